"""Slider release -> redrawn chart, in a real browser. Target: median under 0.5 s.

For JupyterLab (notebook 04, run in a temporary copy with smaller sweep parameters; the
capacity panel is unchanged) and for `archbook serve` (Voilà), it switches autoscaling off,
sets the workers slider to 5, then makes N keyboard moves alternating 5 -> 4 -> 5 ... Each
latency runs from the key's release (a capture-phase `keyup` listener in the page) to the
`load` event of the chart's new image, both on the page's `performance.now()` clock. It
prints the median and p90 per front end, the panel's own in-kernel update time as a peer
(simulation + PNG), and the ratio of each median to the target.

    .venv/bin/python bench/bench_widget_browser.py [-n 20] [--only lab|voila]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

import conftest as servers  # noqa: E402  (the browser tests' server helpers)
import driver  # noqa: E402

TARGET_S = 0.5


def measure(page, moves: int) -> list[float]:
    driver.wait_for_panel(page, timeout_ms=120_000)
    driver.watch_redraws(page)
    driver.fixed_pool(page, 5)
    out = []
    for i in range(moves):
        out.append(driver.move_slider_and_wait(page, "ArrowLeft" if i % 2 == 0 else "ArrowRight"))
        driver.settle(page, quiet_s=0.3)
    problems = driver.page_problems(page)
    if problems:
        raise SystemExit(f"the page shows problems: {problems}")
    return out


def in_kernel_update_s(reps: int = 5) -> float:
    """Peer: the panel's update (simulate + PNG) in this process, without browser or kernel."""
    from archbook.widgets.capacity import capacity_panel

    panel = capacity_panel(str(REPO / "data" / "video-editor"))
    panel.update_once(autoscale=False, workers=5)
    times = []
    for i in range(reps):
        t0 = time.perf_counter()
        panel.update_once(workers=4 if i % 2 == 0 else 5)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_lab(pw, scratch: Path, moves: int) -> list[float]:
    server = servers.launch_lab(scratch)
    try:
        driver.shrink_parameters(server.root / driver.NB04, driver.QUICK)
        browser = servers.launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        driver.open_notebook(page, server, driver.NB04)
        if driver.run_all_cells(page) != "done":
            raise SystemExit(f"notebook 04 failed in JupyterLab: {driver.page_problems(page)}")
        result = measure(page, moves)
        browser.close()
        return result
    finally:
        servers.stop_server(server)


def run_voila(pw, scratch: Path, moves: int) -> list[float]:
    server = servers.launch_voila(scratch)
    try:
        browser = servers.launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server.url, timeout=120_000)
        result = measure(page, moves)
        browser.close()
        return result
    finally:
        servers.stop_server(server)


def report(name: str, samples: list[float]) -> None:
    med = statistics.median(samples)
    p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) >= 2 else samples[0]
    print(f"{name:<8} n={len(samples):<3} median {med * 1000:6.0f} ms   p90 {p90 * 1000:6.0f} ms   "
          f"max {max(samples) * 1000:6.0f} ms   median/target {med / TARGET_S:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--moves", type=int, default=20)
    parser.add_argument("--only", choices=["lab", "voila"])
    args = parser.parse_args()
    if not servers.CHROMIUM.exists():
        raise SystemExit(f"{servers.CHROMIUM} not found: install Debian's chromium")
    from playwright.sync_api import sync_playwright

    print(f"slider release -> chart redrawn (target median < {TARGET_S} s)")
    peer = in_kernel_update_s()
    print(f"{'peer':<8} in-process panel update (simulate + PNG, no browser): {peer * 1000:.0f} ms")
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="archbook-bench-") as tmp:
        for name, runner in (("lab", run_lab), ("voila", run_voila)):
            if args.only in (None, name):
                scratch = Path(tmp) / name
                scratch.mkdir()
                samples = runner(pw, scratch, args.moves)
                report(name, samples)
                print(f"{'':<8} browser overhead vs in-process update: {statistics.median(samples) / peer:.1f}x")


if __name__ == "__main__":
    main()
