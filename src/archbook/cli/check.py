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
    p.set_defaults(func=run)


def run(args) -> int:
    from archbook.checklist import evaluate, summary
    from archbook.render.checklist import checklist_table
    from archbook.load import find_system, load_system

    system = load_system(find_system(args.path))
    results = evaluate(system, include_custom=not args.no_custom)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        print(checklist_table(results))
        print()
        print(summary(results))
    failed = any(not r.passed for r in results)
    return 1 if (args.strict and failed) else 0
