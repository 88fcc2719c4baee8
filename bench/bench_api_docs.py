"""API documents: archbook validate and render against widdershins 4.0.1, same files, same run.

Two documents: the Box platform API (a real public OpenAPI 3.0 document, 296 operations,
tests/data/openapi/box) and a generated OpenAPI 3.1 document of ~16,000 operations sharing
named schemas. Each tool runs as its own process (start-up included, as a user sees it);
peak memory is the process's max RSS.

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
# Runs a CLI in-process and reports its peak memory (KiB) on the last line of stderr.
_RUN = ("import resource, sys; from archbook.cli import main; code = main(sys.argv[1:]); "
        "print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)")


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
    """(seconds, peak KiB or None, exit code) of one process."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - t0
    rss = None
    for line in proc.stderr.splitlines()[::-1]:
        if line.startswith("maxrss "):
            rss = int(line.split()[1])
            break
    if proc.returncode:
        sys.stderr.write(proc.stderr[-2000:])
    return seconds, rss, proc.returncode


def _archbook(args: list[str]) -> tuple[float, int | None, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return _timed([sys.executable, "-c", _RUN, *args], env)


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
        bench("box", BOX, work, args.repeat)
        size = page_size(work)
        print(f"  notebook-03 page (archbook build --only 03): {size / 1e6:.2f} MB of HTML "
              f"({'meets' if 0 < size < 3e6 else 'misses'} the 3 MB target)")
        gen = work / "generated.json"
        gen.write_text(json.dumps(generated(args.ops)), encoding="utf-8")
        big = bench("generated", gen, work, args.repeat)
        sec, rss, _ = big["archbook validate+render"]
        ok = sec < 20 and (rss or 0) < 1024 * 1024
        print(f"\n{args.ops} operations: validate+render {sec:.1f} s, peak {(rss or 0) / 1024:.0f} MB "
              f"({'meets' if ok else 'misses'} the 20 s / 1 GB target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
