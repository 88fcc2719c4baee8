"""A generated large system (1,000 components, 3,000 dependencies): validate, render and check,
against the 2 s target for the three together (issue 16). Also reports the diagram set's sizes.

The system comes from tests/render/large_system.py (deterministic), written to a temporary folder
so `load_system` reads and validates YAML exactly as for a user's folder.
Run: `python bench/bench_views.py [N] [components] [dependencies]`.
"""
from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "render"))
TARGET_S = 2.0


def _write(folder: Path, n: int, deps: int) -> Path:
    import yaml

    import large_system

    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(large_system.architecture(n, deps), sort_keys=False)
    (folder / "architecture.yaml").write_text(text, encoding="utf-8")
    return folder


def _once(folder: Path) -> tuple[dict, str]:
    from archbook.checklist import evaluate
    from archbook.load import load_system
    from archbook.render import render_document

    times, t0 = {}, time.perf_counter()
    model = load_system(folder)
    times["validate (load_system)"] = time.perf_counter() - (t := t0)
    results = evaluate(model, include_custom=False)
    times["check (evaluate)"] = time.perf_counter() - (t := t + times["validate (load_system)"])
    doc = render_document(model, results=results)
    times["render (render_document)"] = time.perf_counter() - t - times["check (evaluate)"]
    times["together"] = time.perf_counter() - t0
    return times, doc


def main(n_runs: int = 3, n: int = 1000, deps: int = 3000) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp) / "large", n, deps)
        runs = [_once(folder) for _ in range(n_runs)]
    doc = runs[-1][1]
    blocks = re.findall(r"```mermaid\n(.*?)\n```", doc, re.S)
    nodes = [len(set(re.findall(r"^\s+(n\d+)[\[({>]", b, re.M))) for b in blocks if b.startswith("graph")]
    print(f"generated system: {n} components, {deps} dependencies; document {len(doc.splitlines())} lines, "
          f"{len(blocks)} Mermaid diagrams (largest {max(map(len, blocks))} chars, at most {max(nodes)} nodes); "
          f"median of {n_runs} runs")
    print(f"{'measurement':<32} {'seconds':>9} {'/ target':>9}")
    for key in runs[0][0]:
        secs = statistics.median(r[0][key] for r in runs)
        print(f"{key:<32} {secs:>9.3f} {secs / TARGET_S:>8.1%}")
    worst = statistics.median(r[0]["together"] for r in runs)
    print(f"target < {TARGET_S:.1f} s for the three together: {'met' if worst < TARGET_S else 'MISSED'}")
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    sys.exit(main(*args))
