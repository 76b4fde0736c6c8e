"""No module of the service imports another in a cycle, counting imports made only for type checking."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import medevac

ROOT = Path(medevac.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.AST, package: str, modules: set[str]) -> list[str]:
    """The medevac modules an import statement names (a name imported from a package may be a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join(anchor + ([base] if base else []))
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):  # every import, TYPE_CHECKING ones too
            for target in imported(node, package, set(paths)):
                while target and target not in paths:  # `medevac.keys.pool_key` → `medevac.keys`
                    target = target.rpartition(".")[0]
                if target and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def test_the_graph_sees_imports_of_every_kind():
    graph = import_graph()
    assert "medevac.keys" in graph["medevac.app"]  # `from medevac.keys import …`
    assert "medevac.dispatch.nineline.errors" in graph["medevac.dispatch.nineline"]  # package re-export
    assert len(graph) > 100


def test_no_module_imports_another_in_a_cycle():
    try:
        TopologicalSorter(import_graph()).prepare()
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None
