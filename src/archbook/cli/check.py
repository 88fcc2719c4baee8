"""`archbook check PATH [--strict] [--json]`: print the quality checklist of a system."""
from __future__ import annotations

import json

__all__ = ["register", "run"]


def register(subparsers) -> None:
    p = subparsers.add_parser("check", help="evaluate the Section 05 quality checklist of a system")
    p.add_argument("path", help="the system folder (e.g. data/video-editor)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any checklist item fails")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    p.add_argument("--no-custom", action="store_true",
                   help="skip the system's own rules (archbook_rules.py, rules/*.py) and entry-point rules")
    p.add_argument("--against", metavar="OLD", default=None,
                   help="judge the breaking-change policy against a previous version: a folder, or a git revision "
                        "of this folder; a violation exits 1")
    p.set_defaults(func=run)


def run(args) -> int:
    from archbook.checklist import evaluate, summary
    from archbook.render.checklist import checklist_table
    from archbook.load import find_system, load_system

    system = load_system(find_system(args.path))
    results = evaluate(system, include_custom=not args.no_custom)
    violated = False
    if args.against is not None:
        from archbook.checklist.evolution import honour

        report = _diff_against(system.root, args.against)
        results, violated = honour(results, report), bool(report.violations)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        print(checklist_table(results))
        print()
        print(summary(results))
    failed = any(not r.passed for r in results)
    return 1 if (args.strict and failed) or violated else 0


def _diff_against(root: str, old: str):
    """The diff from `old` (an existing folder, else a git revision of `root`) to the system now."""
    from pathlib import Path

    from archbook.diff import diff_api_sets
    from archbook.load.apiset import load_api_set, load_api_set_at

    before = load_api_set(old) if Path(old).is_dir() else load_api_set_at(root, old)
    return diff_api_sets(before, load_api_set(root))
