"""Rendering the whole video-editor Section 05 document: median of N runs, against the 1 s target.

Prints: load only, render only (model already loaded; includes the checklist), the checklist
alone, and load + render -- each with its ratio to the target. Run: `python bench/bench_render.py [N]`.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SYSTEM = REPO / "data" / "video-editor"
TARGET_S = 1.0


def _median(func, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(n: int = 20) -> int:
    from archbook.checklist import evaluate
    from archbook.load import load_system
    from archbook.render import render_document

    t0 = time.perf_counter()
    model = load_system(SYSTEM)
    first_doc = render_document(model)
    cold = time.perf_counter() - t0
    rows = [
        ("cold: first load + render (template compile, schema build)", cold),
        ("load_system only", _median(lambda: load_system(SYSTEM), n)),
        ("render_document only (load excluded)", _median(lambda: render_document(model), n)),
        ("checklist evaluate only", _median(lambda: evaluate(model), n)),
        ("load + render_document (load included)", _median(lambda: render_document(load_system(SYSTEM)), n)),
    ]
    print(f"video-editor Section 05: {len(first_doc.splitlines())} lines, {len(first_doc)} chars; median of {n} runs")
    print(f"{'measurement':<60} {'seconds':>9} {'/ target':>9}")
    for name, secs in rows:
        print(f"{name:<60} {secs:>9.4f} {secs / TARGET_S:>8.1%}")
    worst = rows[-1][1]
    print(f"target < {TARGET_S:.1f} s: {'met' if worst < TARGET_S else 'MISSED'} "
          f"(load + render is {TARGET_S / worst:.0f}x faster than the target)")
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
