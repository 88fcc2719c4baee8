"""Diffing two versions of a large public API against validating it once (issue 13: "well under").

The API is Box's platform API (tests/data/openapi/box, OpenAPI 3.0, a few hundred operations).
Version 2 is version 1 with realistic edits: endpoints removed, a widely shared schema gaining a
required property, enums and limits changed. Prints the median of N runs of:
  validate  - `load_openapi` (read, resolve, validate, normalise) of version 1
  diff      - `diff_api_sets` between the two already-loaded versions (views, rules, policy)
and the ratio diff / validate. Run: `python bench/bench_diff.py [N]`.
"""
from __future__ import annotations

import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BOX = REPO / "tests" / "data" / "openapi" / "box" / "openapi.json"


def _median(func, n: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _edited(doc: dict) -> dict:
    """Version 2: drop every 20th path, add a required property to the most used schema, narrow limits."""
    new = copy.deepcopy(doc)
    new["info"]["version"] = "3.0.0"
    for path in list(new["paths"])[::20]:
        del new["paths"][path]
    schemas = new["components"]["schemas"]
    used = json.dumps(doc["paths"])
    name = max(schemas, key=lambda n: used.count(f'"#/components/schemas/{n}"'))
    target = schemas[name].setdefault("properties", {}) if "properties" in schemas[name] else None
    if target is not None:
        target["bench_new"] = {"type": "string"}
        schemas[name].setdefault("required", []).append("bench_new")
    for s in list(schemas.values())[::7]:
        for prop in (s.get("properties") or {}).values():
            if isinstance(prop, dict) and "enum" in prop and len(prop["enum"]) > 1:
                prop["enum"] = prop["enum"][:-1]
            if isinstance(prop, dict) and "maxLength" in prop:
                prop["maxLength"] = max(1, prop["maxLength"] // 2)
    return new


def main(n: int = 5) -> int:
    from archbook.diff import diff_api_sets
    from archbook.load.apiset import load_api_set
    from archbook.load.openapi import load_openapi

    doc = json.loads(BOX.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        old_dir, new_dir = Path(tmp, "v1"), Path(tmp, "v2")
        old_dir.mkdir(), new_dir.mkdir()
        (old_dir / "openapi.json").write_text(json.dumps(doc))
        (new_dir / "openapi.json").write_text(json.dumps(_edited(doc)))
        validate, _ = _median(lambda: load_openapi(old_dir / "openapi.json", [], {}, old_dir), n)
        old, new = load_api_set(old_dir), load_api_set(new_dir)
    ops = len(old.http_api.operations)
    diff, report = _median(lambda: diff_api_sets(old, new), n)
    print(f"Box platform API: {ops} operations, {len(old.http_api.schemas)} named schemas; median of {n} runs")
    print(f"{'validate (load_openapi, version 1)':<44} {validate:>8.3f} s")
    print(f"{'diff (diff_api_sets, v1 -> v2)':<44} {diff:>8.3f} s  = {diff / validate:.1%} of validate")
    print(f"changes: {report.count('breaking')} breaking, {report.count('warning')} warning, {report.count('info')} info")
    ok = diff < 0.5 * validate
    print(f"target diff < 50 % of validate: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
