"""`archbook diff OLD NEW` or `archbook diff FOLDER --since REV`: classify API changes, enforce the policy.

Exit 0: no breaking change, or breaking changes released as a new major version.
Exit 1: the versioning policy is violated (or a change reaches `--fail-on`). Exit 2: bad input.
"""
from __future__ import annotations

import datetime as dt
import sys

from archbook.errors import ArchbookError, ValidationFailed

__all__ = ["register", "run"]

FORMATS = ("text", "json", "markdown", "junit", "github")


def register(subparsers) -> None:
    p = subparsers.add_parser("diff", help="breaking changes between two versions of a system's APIs")
    p.add_argument("old", nargs="?", help="the old version: a system folder (or a folder of API documents)")
    p.add_argument("new", nargs="?", help="the new version (a folder); omit it with --since/--against")
    p.add_argument("--since", "--against", dest="rev", metavar="REV",
                   help="compare OLD (a folder) as of git revision REV with its current files")
    for fmt in FORMATS[1:]:
        p.add_argument(f"--{fmt}", dest="format", action="store_const", const=fmt, help=f"{fmt} output")
    p.add_argument("--format", dest="format", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument("--fail-on", choices=("breaking", "warning", "info"), default=None,
                   help="also exit 1 when any change reaches this level, even with a major version bump")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the date sunsets are judged against (YYYY-MM-DD)")
    p.add_argument("-o", "--out", default=None, help="write the output to this file instead of stdout")
    p.add_argument("--list-checks", action="store_true", help="print the table of every check (id, level, meaning)")
    p.set_defaults(func=run, format="text")


def _sets(args):
    from archbook.load import find_system
    from archbook.load.apiset import load_api_set, load_api_set_at

    if args.old is None:
        raise ArchbookError("give two folders (OLD NEW), or one folder with --since REV")
    if args.rev is not None:
        if args.new is not None:
            raise ArchbookError("give one folder with --since/--against, or two folders without it")
        folder = find_system(args.old)
        return load_api_set_at(folder, args.rev), load_api_set(folder, label=args.old)
    if args.new is None:
        raise ArchbookError("give two folders (OLD NEW), or one folder with --since REV")
    return load_api_set(find_system(args.old), label=args.old), load_api_set(find_system(args.new), label=args.new)


def run(args) -> int:
    from archbook.diff import diff_api_sets
    from archbook.diff.writers import WRITERS, write_github

    if args.list_checks:
        from archbook.diff import checks_table

        print(checks_table())
        return 0
    try:
        old, new = _sets(args)
        report = diff_api_sets(old, new, today=args.today)
    except ValidationFailed as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return 2
    except ArchbookError as exc:
        print(f"archbook diff: {exc}", file=sys.stderr)
        return 2
    _emit(write_github(report, new.files) if args.format == "github" else WRITERS[args.format](report), args.out)
    return report.exit_code(args.fail_on)


def _emit(text: str, out: str | None) -> None:
    if out is None:
        print(text)
        return
    from archbook.atomic import atomic_write_text

    atomic_write_text(out, text + "\n")
