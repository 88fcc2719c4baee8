"""API documents: archbook validate and render against widdershins 4.0.1, same files, same run.

Two documents: the Box platform API (a real public OpenAPI 3.0 document, 296 operations,
tests/data/openapi/box) and a generated OpenAPI 3.1 document of ~16,000 operations sharing
named schemas. Each tool runs as its own process (start-up included, as a user sees it);
peak memory is that process's max RSS, read from wait4 for archbook and widdershins alike.

    PYTHONPATH=src .venv/bin/python bench/bench_api_docs.py [--ops 16000] [--repeat 1]

Targets (issue 10): archbook validate+render <= widdershins render alone; the 16k document
under 20 s and 1 GB; the notebook-03 page of the Box API (`archbook build --only 03`) under
3 MB of HTML (its scripts are shared in the report's _assets/ folder).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BOX = ROOT / "tests" / "data" / "openapi" / "box" / "openapi.json"
WIDDERSHINS = Path(os.environ.get("WIDDERSHINS", Path(__file__).resolve().parent / "peers" / "widdershins" / "node_modules" / ".bin" / "widdershins"))


def generated(n_ops: int) -> dict:
    """An OpenAPI 3.1 document of `n_ops` operations: 4 per path, parameters, bodies, shared schemas."""
    schemas = {f"Thing{i}": {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string", "format": "uuid"}, "name": {"type": "string", "maxLength": 80},
        "count": {"type": "integer", "minimum": 0}, "next": {"$ref": f"#/components/schemas/Thing{(i + 1) % 200}"}}}
        for i in range(200)}
    schemas["Error"] = {"type": "object", "properties": {"error": {"type": "string"}}}
    paths = {}
    for i in range(n_ops // 4):
        ref = {"$ref": f"#/components/schemas/Thing{i % 200}"}
        body = {"content": {"application/json": {"schema": ref}}}
        ok = {"description": "OK", "content": {"application/json": {"schema": ref}}}
        err = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        paths[f"/r{i}"] = {"get": {"operationId": f"list{i}", "tags": [f"t{i % 40}"], "summary": "List",
                                   "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}}],
                                   "responses": {"200": ok, "4XX": err, "default": err}},
                           "post": {"operationId": f"create{i}", "tags": [f"t{i % 40}"], "requestBody": body,
                                    "responses": {"201": ok, "400": err}}}
        paths[f"/r{i}/{{id}}"] = {"parameters": [param],
                                  "get": {"operationId": f"get{i}", "tags": [f"t{i % 40}"], "responses": {"200": ok, "404": err}},
                                  "delete": {"operationId": f"delete{i}", "tags": [f"t{i % 40}"],
                                             "responses": {"204": {"description": "Gone"}, "404": err}}}
    return {"openapi": "3.1.0", "info": {"title": "Generated", "version": "1"},
            "servers": [{"url": "https://api.example.com"}], "paths": paths, "components": {"schemas": schemas}}


def _timed(cmd: list[str], env: dict | None = None) -> tuple[float, int | None, int]:
    """(seconds, peak KiB, exit code) of one process. The peak is the kernel's max RSS of that
    child alone (wait4), so archbook and widdershins (node) are measured the same way."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code:
            err.seek(0)
            sys.stderr.write(err.read().decode("utf-8", "replace")[-2000:])
    return seconds, usage.ru_maxrss, code


def _archbook(args: list[str]) -> tuple[float, int | None, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return _timed([sys.executable, "-m", "archbook.cli", *args], env)


def _system(doc: Path, parent: Path, name: str) -> Path:
    from archbook.cli.new import scaffold

    return scaffold(name, parent, {"openapi": [str(doc)]})


def bench(label: str, doc: Path, work: Path, repeat: int) -> dict:
    folder = _system(doc, work, label)
    out = work / f"{label}.md"
    best = {}
    for _ in range(repeat):
        runs = {"archbook validate": _archbook(["validate", str(folder)]),
                "archbook validate+render": _archbook(["render", str(folder), "-o", str(out), "--section", "5.3"]),
                "widdershins render": _timed([str(WIDDERSHINS), str(doc), "-o", str(work / f"{label}.w.md")])}
        for k, v in runs.items():
            best[k] = min(best.get(k, v), v, key=lambda r: r[0])
    size = out.stat().st_size if out.exists() else 0
    print(f"\n{label}: {doc.name} ({doc.stat().st_size / 1e6:.2f} MB), section 5.3 Markdown {size / 1e6:.2f} MB")
    for k, (sec, rss, code) in best.items():
        mem = f"{rss / 1024:.0f} MB" if rss else "   n/a"
        print(f"  {k:26s} {sec:7.2f} s  peak {mem:>7s}  exit {code}")
    ratio = best["archbook validate+render"][0] / best["widdershins render"][0]
    print(f"  ratio archbook validate+render / widdershins render = {ratio:.2f} (target <= 1)")
    return best


def page_size(work: Path) -> int:
    """Bytes of the Box API's notebook-03 HTML page, built as `archbook build` builds it."""
    system = _system(BOX, work / "pages", "box")
    out = work / "pages-out"
    _, _, code = _archbook(["build", str(system), "--out", str(out), "--only", "03", "--no-progress"])
    page = out / "box" / "03_api_design.html"
    return page.stat().st_size if code == 0 and page.exists() else -1


def _ratio(best: dict) -> float:
    """archbook validate+render over widdershins render; infinite when either run failed."""
    (a, _, code_a), (w, _, code_w) = best["archbook validate+render"], best["widdershins render"]
    return a / w if code_a == code_w == 0 else float("inf")


def summary(box: dict, page: int, big: dict, n_ops: int) -> None:
    """The issue's targets on one screen. A run that failed counts as a miss, whatever its time."""
    sec, rss, code = big["archbook validate+render"]
    mem = (rss or 0) / 1024
    rows = [("Box: validate+render / widdershins render", f"{_ratio(box):.2f}", "<= 1.0", _ratio(box) <= 1),
            (f"{n_ops} ops: validate+render / widdershins render", f"{_ratio(big):.2f}", "<= 1.0", _ratio(big) <= 1),
            (f"{n_ops} ops: validate+render time", f"{sec:.1f} s", "< 20 s", code == 0 and sec < 20),
            (f"{n_ops} ops: validate+render peak RSS", f"{mem:.0f} MB", "< 1 GB", code == 0 and mem < 1024),
            ("Box: notebook-03 page", f"{page / 1e6:.2f} MB", "< 3 MB", 0 < page < 3e6)]
    print("\nsummary (issue 10 targets)")
    for label, value, target, ok in rows:
        print(f"  {label:50s} {value:>9s}  target {target:7s} {'meets' if ok else 'MISSES'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=16000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    if not WIDDERSHINS.exists():
        print(f"widdershins not found at {WIDDERSHINS}: run `make bench-peers` (npm install in bench/peers/)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        work = Path(tmp)
        box = bench("box", BOX, work, args.repeat)
        size = page_size(work)
        print(f"  notebook-03 page (archbook build --only 03): {size / 1e6:.2f} MB of HTML")
        gen = work / "generated.json"
        gen.write_text(json.dumps(generated(args.ops)), encoding="utf-8")
        big = bench("generated", gen, work, args.repeat)
    summary(box, size, big, args.ops)
    return 0


if __name__ == "__main__":
    sys.exit(main())
