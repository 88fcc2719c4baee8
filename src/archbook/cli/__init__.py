"""The `archbook` command. It parses arguments and calls the library; it holds no logic.

Each subcommand lives in its own module in this package and exposes
`register(subparsers)`, which adds its parser and sets `func=run`.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import sys

__all__ = ["main"]

SUBCOMMANDS = ["new", "validate", "schema", "check", "diff", "render", "simulate", "sweep", "build", "lab", "serve"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archbook",
        description="Describe a system once as data; get its Section 05 architecture document, "
        "its quality checklist and simulation-backed capacity numbers.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"archbook.cli.{name}")
        except ModuleNotFoundError as exc:  # a subcommand not built yet
            if exc.name != f"archbook.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


# Imports (pandas, numba, pydantic) make ~10^6 long-lived objects; at the default threshold
# of 700 allocations the collector walks them dozens of times: 0.2 s of a warm sweep.
# Collections still happen, for the long-running commands (lab, serve), just less often.
GC_THRESHOLD = (20_000, 20, 20)


def main(argv: list[str] | None = None) -> int:
    gc.set_threshold(*GC_THRESHOLD)
    parser = build_parser()
    args = parser.parse_args(argv)
    from archbook.cli.guard import run_guarded  # no traceback, whatever happens (see guard.py)

    return run_guarded(args.command, args.func, args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
