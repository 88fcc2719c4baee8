"""How long does `load_system` take? Target: under 0.5 s for data/video-editor.

Prints the warm median (in-process, after one warm-up), the cold time in fresh subprocesses
(interpreter start + imports + load), and, as peers measured in the same run, the parts:
plain `yaml.safe_load` of the same files, openapi-spec-validator alone, and the interpreter
start-up itself, so the ratios say where the time goes.

    .venv/bin/python bench/bench_load.py [--system data/video-editor] [-n 20] [--cold 5]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 0.5


def _median_time(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _cold(code: str, runs: int, env: dict | None = None) -> tuple[float, float]:
    """Median wall time and median CPU time (user+sys) of fresh interpreters running `code`.

    CPU time is reported too because wall time on a busy machine includes waiting for a core.
    """
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, env=env)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--system", default="data/video-editor")
    ap.add_argument("-n", type=int, default=20, help="warm repetitions")
    ap.add_argument("--cold", type=int, default=5, help="fresh-process repetitions")
    args = ap.parse_args()

    import yaml

    from archbook.load import find_system, load_system

    root = find_system(args.system)
    load_system(root)  # warm-up: imports, validator construction
    warm = _median_time(lambda: load_system(root), args.n)

    from archbook.load.system import FILES

    files = [root / name for name in FILES.values() if (root / name).is_file()]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parse = _median_time(lambda: [yaml.load(f.read_text(), Loader=loader) for f in files], args.n)
    from openapi_spec_validator import OpenAPIV31SpecValidator

    doc = yaml.load((root / "openapi.yaml").read_text(), Loader=loader)
    osv = _median_time(lambda: list(OpenAPIV31SpecValidator(doc).iter_errors()), args.n)

    code = f"from archbook.load import load_system; load_system({str(root)!r})"
    cold, cold_cpu = _cold(code, args.cold)
    python, python_cpu = _cold("pass", args.cold)

    def verdict(seconds: float) -> str:
        return f"(target < {TARGET_S * 1000:.0f} ms: {'OK' if seconds < TARGET_S else 'MISSED'})"

    print(f"load_system({args.system})")
    print(f"  warm median of {args.n}: {warm * 1000:8.1f} ms   {verdict(warm)}")
    print(f"  cold, fresh process (median of {args.cold}): wall {cold * 1000:8.1f} ms, CPU {cold_cpu * 1000:8.1f} ms")
    print(f"  bare interpreter start:                 wall {python * 1000:8.1f} ms, CPU {python_cpu * 1000:8.1f} ms")
    print(f"  imports + load, CPU: {(cold_cpu - python_cpu) * 1000:8.1f} ms")
    print("peers, same run:")
    print(f"  yaml parse of {len(files)} files (libyaml): {parse * 1000:8.1f} ms   ratio load/parse = {warm / parse:5.1f}x")
    print(f"  openapi-spec-validator alone:       {osv * 1000:8.1f} ms   share of warm load = "
          f"{osv / warm:5.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
