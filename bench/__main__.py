"""Run every benchmark module of the package (`python -m bench [name …]`)."""

import importlib
import pkgutil
import sys
import time

import bench


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    for name in argv or names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "main"):
            continue
        started = time.perf_counter()
        print(f"=== bench.{name} ===", flush=True)
        module.main()
        print(f"=== bench.{name}: {time.perf_counter() - started:.0f} s ===\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
