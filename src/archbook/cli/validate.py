"""`archbook validate PATH [--json]`: check a system folder; print a summary or every problem.

Exit 1 when there is any error, 0 with warnings only.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from archbook.errors import ArchbookError, Problem, ValidationFailed

__all__ = ["register", "run", "summarize"]


def register(subparsers) -> None:
    p = subparsers.add_parser("validate", help="check a system folder and print a summary or all its errors")
    p.add_argument("path", help="the system folder (e.g. data/video-editor)")
    p.add_argument("--json", action="store_true", help="machine-readable output: {ok, errors, warnings, summary}")
    p.set_defaults(func=run)


def summarize(model) -> dict:
    """Counts a reader can compare with the design at a glance."""
    channels = model.ws_channels()
    return {
        "system": model.name,
        "version": model.architecture.system.version,
        "root": model.root,
        "layers": len(model.architecture.layers),
        "components": len(model.components),
        "dependencies": len(model.architecture.edges()),
        "flows": len(model.flows),
        "patterns": len(model.patterns),
        "operations": len(model.http_operations()),
        "openapi": [{"file": api.file, "version": api.version, "operations": len(api.operations),
                     "webhooks": len(api.webhooks)} for api in model.http_apis],
        "operations": len(model.operations()),
        "asyncapi_version": model.event_api().version if model.asyncapi else None,
        "channels": len(channels),
        "messages": sum(len(c.messages) for c in channels),
        "versioning": model.versioning is not None,
        "queue_scenario": (Path(model.root) / "queue.yaml").is_file(),
        "graphql_operations": len(model.graphql.operations) if model.graphql else 0,
        "graphql_types": len(model.graphql.types) if model.graphql else 0,
    }


def _queue_problems(root: Path) -> list[Problem]:
    """queue.yaml (the simulation scenario) is checked too when the folder has one."""
    if not (root / "queue.yaml").is_file():
        return []
    try:
        from archbook.load.scenario import load_scenario
    except ImportError:  # simulator not installed in this build
        return []
    try:
        scenario = load_scenario(root)
    except ValidationFailed as exc:
        return exc.problems
    return list(getattr(scenario, "_warnings", []))


def check(path: str) -> tuple[object | None, list[Problem]]:
    from archbook.load import find_system, validate_system

    root = find_system(path)
    model, problems = validate_system(root)
    problems = problems + _queue_problems(root)
    if any(p.severity == "error" for p in problems):
        model = None
    return model, problems


def run(args) -> int:
    try:
        model, problems = check(args.path)
    except ArchbookError as exc:
        if not args.json:
            raise
        model, problems = None, getattr(exc, "problems", None) or [Problem(args.path, None, "", str(exc))]
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    if args.json:
        out = {"ok": not errors, "errors": [p.to_dict() for p in errors],
               "warnings": [p.to_dict() for p in warnings], "summary": summarize(model) if model else None}
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 1 if errors else 0
    if errors:
        for p in errors + warnings:
            print(p, file=sys.stderr)
        print(f"\n{len(errors)} error(s), {len(warnings)} warning(s) in {args.path}", file=sys.stderr)
        return 1
    _print_summary(summarize(model), warnings)
    return 0


def _print_summary(s: dict, warnings: list[Problem]) -> None:
    print(f"{s['system']} (version {s['version']}): OK")
    print(f"  {s['layers']} layers, {s['components']} components, {s['dependencies']} dependencies, {s['flows']} flows")
    print(f"  {s['patterns']} patterns, {s['operations']} REST operations, "
          f"{s['channels']} AsyncAPI channels ({s['messages']} messages), "
          f"versioning policy: {'yes' if s['versioning'] else 'no'}, "
          f"queue scenario: {'yes' if s['queue_scenario'] else 'no'}")
    for doc in s.get("openapi", []):
        print(f"  {doc['file']}: OpenAPI {doc['version']}, {doc['operations']} operations, {doc['webhooks']} webhooks")
    if s.get("asyncapi_version"):
        from archbook.load.asyncapi import schema_version

        v = s["asyncapi_version"]
        print(f"  asyncapi: AsyncAPI {v} document, checked against the {schema_version(v) or v} schema")
    if s.get("graphql_operations"):
        print(f"  GraphQL: {s['graphql_operations']} root operations, {s['graphql_types']} types")
    for p in warnings:
        print(p)
    print(f"  {len(warnings)} warning(s)")
