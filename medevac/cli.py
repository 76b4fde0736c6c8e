"""The `medevac` command line: each command family registers its own subcommands."""

import argparse
import importlib
import sys

from medevac.db.migrations import MigrationError

# Each module exposes `register(subparsers)`; its subcommands set `func(args) -> int`.
COMMAND_MODULES = (
    "medevac.service_commands",
    "medevac.dispatch.commands",
    "medevac.basing.commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="medevac", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except MigrationError as error:  # any command that opens the database: say why, plainly
        print(f"medevac {args.command}: cannot bring the database up to date: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
