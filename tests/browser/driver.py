"""Page-level helpers shared by the browser tests and bench/bench_widget_browser.py.

They drive JupyterLab and Voilà the way a user does (menus, keyboard) and read
the stable selectors the widgets publish: `#archbook-p95-overall`,
`img.archbook-capacity-chart`, `.archbook-slider-workers`.
"""
from __future__ import annotations

import re
import time
import urllib.parse

__all__ = ["open_notebook", "run_all_cells", "workers_handle", "p95_text", "chart_src", "page_problems",
           "watch_redraws", "move_slider_and_wait", "mermaid_svgs", "wait_for_panel", "settle", "fixed_pool",
           "shrink_parameters", "P95", "CHART", "NB01", "NB04", "QUICK"]

P95 = "#archbook-p95-overall"
CHART = "img.archbook-capacity-chart"
WORKERS = ".archbook-slider-workers .noUi-handle"
NB04 = "notebooks/04_job_queue_simulation.ipynb"
NB01 = "notebooks/01_system_architecture.ipynb"
# Smaller than the defaults so notebook 04 runs in ~20 s; the capacity panel itself is unchanged.
QUICK = {"replications": "2", "jobs": "40_000", "workers_max": "12"}
ERROR_WORDS = ("Error displaying widget", "Traceback", "Error rendering")

# Timestamps, in page time, of every slider release and every chart image load.
WATCH_JS = """() => {
  if (window.__archbook) return;
  const w = window.__archbook = {releases: [], redraws: []};
  const release = () => w.releases.push(performance.now());
  document.addEventListener('keyup', release, true);
  document.addEventListener('pointerup', release, true);
  document.addEventListener('load', (e) => {
    if (e.target.matches && e.target.matches('img.archbook-capacity-chart'))
      w.redraws.push({t: performance.now(), src: e.target.src});
  }, true);
}"""


def shrink_parameters(path, values: dict) -> None:
    """Rewrite `name = ...` lines of a (copied!) notebook's `parameters` cell; fail if one is missing."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for name, value in values.items():
        cell.source, count = re.subn(rf"^{name}\s*=.*$", f"{name} = {value}", cell.source, flags=re.MULTILINE)
        assert count == 1, f"parameter {name!r} not found in {path}"
    nbformat.write(nb, path)


def open_notebook(page, server, path: str) -> None:
    """Open `path` (relative to the server root) in JupyterLab and wait for its kernel to be idle."""
    quoted = urllib.parse.quote(path)
    page.goto(f"{server.url}lab/tree/{quoted}?reset&token={server.token}")  # reset: no tabs restored
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector(".jp-StatusBar-TextItem:has-text('| Idle')", timeout=90_000)


_PROMPTS_JS = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!nb) return 'pending';
  const errors = nb.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  for (const e of errors) if (/Traceback|Error/.test(e.textContent)) return 'error';
  const prompts = Array.from(nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).map(p => p.textContent.trim());
  if (prompts.some(p => p.includes('*'))) return 'running';
  if (prompts.length && prompts.every(p => /\\[\\d+\\]/.test(p))) return 'done';
  return 'pending';
}"""


def run_all_cells(page, timeout_s: float = 180) -> str:
    """Run > Run All Cells, then wait until every code cell has an execution count (or one failed).

    Returns 'done' or 'error'. The menu is clicked again if nothing has started
    after a few seconds: the kernel can report idle just before it is connected.
    """
    deadline = time.monotonic() + timeout_s
    state = "pending"
    while time.monotonic() < deadline:
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        started = time.monotonic()
        while time.monotonic() < deadline:
            state = page.evaluate(_PROMPTS_JS)
            if state in ("done", "error"):
                return state
            if state == "pending" and time.monotonic() - started > 8:
                break  # nothing ran: click Run All again
            page.wait_for_timeout(250)
    prompts = page.evaluate("() => Array.from(document.querySelectorAll("
                            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt'))"
                            ".map(p => p.textContent.trim())")
    raise TimeoutError(f"notebook did not finish within {timeout_s} s (last state {state}); prompts {prompts}")


def wait_for_panel(page, timeout_ms: int = 60_000) -> None:
    page.wait_for_selector(P95, timeout=timeout_ms)
    page.wait_for_function("s => { const i = document.querySelector(s); return i && i.src && i.complete; }",
                           arg=CHART, timeout=timeout_ms)


def workers_handle(page):
    handle = page.locator(WORKERS).first
    handle.scroll_into_view_if_needed()
    return handle


def p95_text(page) -> str:
    return page.inner_text(P95)


def chart_src(page) -> str:
    return page.get_attribute(CHART, "src") or ""


def watch_redraws(page) -> None:
    page.evaluate(WATCH_JS)


def move_slider_and_wait(page, key: str = "ArrowRight", timeout_ms: int = 20_000) -> float:
    """Move the workers slider one step with the keyboard (press and release); return the
    seconds from the key's release to the load of the redrawn chart."""
    before = page.evaluate("() => window.__archbook.redraws.length")
    src = chart_src(page)
    workers_handle(page).press(key)
    page.wait_for_function(
        "([n, src]) => { const w = window.__archbook; return w.redraws.length > n && w.redraws[w.redraws.length-1].src !== src; }",
        arg=[before, src], timeout=timeout_ms)
    release, redraw = page.evaluate("() => [window.__archbook.releases.at(-1), window.__archbook.redraws.at(-1).t]")
    return (redraw - release) / 1000.0


def settle(page, quiet_s: float = 0.8, timeout_s: float = 30) -> None:
    """Wait until the figures and the chart have stopped changing for `quiet_s` (debounced updates done)."""
    def state():
        return page.evaluate("() => (window.__archbook || {redraws: []}).redraws.length"), p95_text(page)

    last, since, deadline = state(), time.monotonic(), time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page.wait_for_timeout(150)
        now = state()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
    raise TimeoutError("the capacity panel kept changing")


def fixed_pool(page, workers: int) -> None:
    """Switch autoscaling off and step the workers slider (keyboard) to `workers`, then settle.

    Why: with autoscaling on, the slider is the autoscaler's ceiling, which the
    default scenario rarely reaches; a fixed pool makes every step visible.
    """
    box = page.locator(".archbook-toggle-autoscale input[type=checkbox]")
    if box.is_checked():
        box.uncheck()
    handle = workers_handle(page)
    for _ in range(64):
        now = round(float(handle.get_attribute("aria-valuenow")))
        if now == workers:
            break
        handle.press("ArrowLeft" if now > workers else "ArrowRight")
    settle(page)


def page_problems(page) -> list[str]:
    """Widget or Python errors visible on the page, and requests that tried to leave localhost."""
    text = page.inner_text("body")
    found = [word for word in ERROR_WORDS if word in text]
    return found + [f"external request: {u}" for u in getattr(page, "external_requests", [])]


def mermaid_svgs(page) -> list[str]:
    """The SVG documents of every Mermaid diagram JupyterLab rendered (it inlines them as data: images)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.jp-RenderedMermaid img'))
        .map(i => i.src).filter(s => s.startsWith('data:image/svg+xml'))
        .map(s => decodeURIComponent(s.slice(s.indexOf(',') + 1)))""")


def assert_fewer_workers_raise_p95_and_redraw(page) -> None:
    """The check both UIs share: 5 -> 4 fixed workers raises the shown p95 and redraws the chart, cleanly."""
    fixed_pool(page, 5)
    p95_before, src_before = p95_text(page), chart_src(page)

    seconds = move_slider_and_wait(page, "ArrowLeft")  # 5 -> 4 workers: longer waits

    page.wait_for_function("([s, t]) => document.querySelector(s).innerText !== t", arg=[P95, p95_before])
    assert float(p95_text(page).replace(",", "")) > float(p95_before.replace(",", ""))
    assert chart_src(page) != src_before and page.locator(CHART).count() == 1
    assert 0 < seconds < 10
    assert page_problems(page) == []
