"""Fixtures for the deployment artefacts: paths, YAML, promtool and the metrics catalogue in docs/operations.md."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
CATALOGUE_ROW = re.compile(r"^\| `(medevac_\w+)` \| (counter|gauge|histogram|info) \|", re.MULTILINE)


def load_yaml(path: Path) -> list:
    """Every document of a YAML file (manifests may hold several)."""
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def required_tool(name: str) -> str:
    """A tool from Debian's `prometheus` package; missing is a failure (`make test` installs it first)."""
    path = shutil.which(name)
    assert path, f"{name} not found: apt-get install prometheus (`make test` does, as root)"
    return path


@pytest.fixture(scope="session")
def promtool() -> str:
    return required_tool("promtool")


def read_catalogue() -> dict[str, str]:
    """Metric name → type from the catalogue table in docs/operations.md."""
    text = (REPO / "docs" / "operations.md").read_text()
    section = text.split("## Metrics catalogue", 1)
    assert len(section) == 2, "docs/operations.md has no 'Metrics catalogue' section"
    rows = dict(CATALOGUE_ROW.findall(section[1]))
    assert rows, "the metrics catalogue table is empty"
    return rows


@pytest.fixture(scope="session")
def catalogue() -> dict[str, str]:
    return read_catalogue()


def family(series_name: str) -> str:
    """The metric family a sample or PromQL series name belongs to."""
    return re.sub(r"_(bucket|sum|count|total|created)$", "", series_name)
