"""Validate + render GitHub's public GraphQL schema (1.2 MB, 1,600 types) against graphql-markdown.

Both tools get the same file in the same run: archbook as a fresh process running
`load_graphql` (parse, SDL and schema validation, example generation and checking) and the 5.3
GraphQL template; graphql-markdown 7.3.0 (npm, with graphql 16) as `graphql-markdown FILE`.
Median of N runs each, then the ratio (target: archbook within 2x). In-process figures for
archbook's stages are printed too.

    python bench/bench_graphql.py [N]
    GRAPHQL_MARKDOWN=/path/to/node_modules/.bin/graphql-markdown python bench/bench_graphql.py
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "tests" / "data" / "graphql" / "github" / "schema.graphql"
PEER_CANDIDATES = [os.environ.get("GRAPHQL_MARKDOWN", ""),
                   str(REPO / "bench" / "peers" / "graphql-markdown" / "node_modules" / ".bin" / "graphql-markdown")]
TARGET_RATIO = 2.0

_ARCHBOOK = """
import sys
from pathlib import Path
from archbook.apis.graphql import load_graphql
from archbook.render.graphql_views import graphql_view
from archbook.render.templating import environment
problems = []
api = load_graphql(Path(sys.argv[1]), None, problems, {})
if api is None:
    sys.exit("\\n".join(map(str, problems)))
text = environment().get_template("graphql.md.j2").render(gql=graphql_view(api), missing="*Not documented*")
Path(sys.argv[2]).write_text(text, encoding="utf-8")
"""


def _median_run(cmd: list[str], n: int, out: Path | None = None, env=None) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        with open(out, "w") if out else open(os.devnull, "w") as sink:
            subprocess.run(cmd, check=True, stdout=sink, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _stages(folder: Path) -> list[tuple[str, float]]:
    from archbook.apis.graphql import build_schema_from_files, load_graphql
    from archbook.render.graphql_views import graphql_view
    from archbook.render.templating import environment

    t0 = time.perf_counter()
    build_schema_from_files([folder / "schema.graphql"], [])
    t1 = time.perf_counter()
    api = load_graphql(folder, None, [], {})
    t2 = time.perf_counter()
    text = environment().get_template("graphql.md.j2").render(gql=graphql_view(api), missing="")
    t3 = time.perf_counter()
    return [("parse + validate + build schema", t1 - t0), ("load_graphql (all of it, examples included)", t2 - t1),
            (f"render ({len(text) / 1e6:.1f} MB Markdown)", t3 - t2)]


def main(n: int = 3) -> int:
    sys.path.insert(0, str(SOURCE.parents[1]))
    from repair import without_duplicate_fields

    peer = next((p for p in PEER_CANDIDATES if p and Path(p).exists()), None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        schema = folder / "schema.graphql"
        schema.write_text(without_duplicate_fields(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"schema: {SOURCE.relative_to(REPO)} (duplicates removed), {schema.stat().st_size:,} bytes; median of {n} runs")
        env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
        ours = _median_run([sys.executable, "-c", _ARCHBOOK, str(folder), str(folder / "archbook.md")], n, env=env)
        print(f"{'archbook validate + render (fresh process)':<52} {ours:>8.2f} s")
        for name, secs in _stages(folder):
            print(f"  {name:<50} {secs:>8.2f} s")
        if peer is None:
            print("graphql-markdown not found: `npm install graphql-markdown@7.3.0 graphql@16`, or set GRAPHQL_MARKDOWN")
            return 0
        node = [shutil.which("node") or "node", peer] if not os.access(peer, os.X_OK) else [peer]
        theirs = _median_run(node + [str(schema)], n, out=folder / "peer.md")
        size = (folder / "peer.md").stat().st_size
        print(f"{'graphql-markdown 7.3.0 (fresh process)':<52} {theirs:>8.2f} s  ({size / 1e6:.1f} MB Markdown)")
    ratio = ours / theirs
    print(f"ratio archbook / graphql-markdown: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x: "
          f"{'met' if ratio <= TARGET_RATIO else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
