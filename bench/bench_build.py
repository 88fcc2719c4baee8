"""`archbook build data/video-editor` (what `make report` runs): wall time against the 90 s target.

Runs the real command in a subprocess from a warm venv, into a fresh temp folder:
  1. --jobs 1 (notebooks one after another, in-process)
  2. --jobs N (default: all CPUs; the notebooks run in parallel on a process pool)
  3. the same build again (every notebook up to date: only the document and index are redone)
and prints each time, its ratio to the target, the parallel speed-up, and the per-notebook
times recorded in report.json. Run: `python bench/bench_build.py [--skip-serial] [-p name=value ...]`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 90.0


def _build(out: Path, *extra: str) -> float:
    cmd = [sys.executable, "-m", "archbook.cli", "build", "data/video-editor", "--out", str(out), "--no-progress",
           *extra]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def _line(label: str, seconds: float) -> None:
    print(f"{label:<38} {seconds:7.1f} s   {seconds / TARGET_S:5.2f} x target ({TARGET_S:.0f} s)")


def main(argv: list[str]) -> int:
    extra = [a for a in argv if a != "--skip-serial"]
    cpus = len(os.sched_getaffinity(0))
    print(f"archbook build data/video-editor -- {cpus} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="archbook-bench-") as tmp:
        serial = None
        if "--skip-serial" not in argv:
            serial = _build(Path(tmp) / "serial", "--jobs", "1", *extra)
            _line("--jobs 1 (cold report folder)", serial)
        parallel = _build(Path(tmp) / "parallel", *extra)
        _line(f"--jobs {cpus} (cold report folder)", parallel)
        rerun = _build(Path(tmp) / "parallel", *extra)
        _line("rerun, everything up to date", rerun)
        if serial:
            print(f"parallel speed-up: {serial / parallel:.2f}x")
        manifest = json.loads((Path(tmp) / "parallel" / "video-editor" / "report.json").read_text())
        for key, page in manifest["pages"].items():
            print(f"  {key:<34} {page['seconds']:7.1f} s (kernel + execution + export)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
