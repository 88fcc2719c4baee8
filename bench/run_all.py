"""Run every benchmark in bench/ one after another, each in its own interpreter.

Each script runs its peers (SimPy, Ciw, plain parsers, ...) in the same run and prints
its own figures and ratios; this runner only sequences them and reports failures.

    .venv/bin/python bench/run_all.py [--skip browser]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bench_load.py", "bench_render.py", "bench_views.py", "bench_sim.py", "bench_sweep.py", "bench_build.py",
         "bench_widget_browser.py"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip", action="append", default=[], help="skip scripts whose name contains this")
    args = ap.parse_args()
    failed = []
    for name in ORDER:
        if any(s in name for s in args.skip):
            continue
        print(f"\n=== {name} ===", flush=True)
        t0 = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / name)], cwd=HERE.parent)
        print(f"=== {name}: exit {code}, {time.perf_counter() - t0:.1f} s ===", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
