"""Every exported page opens offline in Chromium: no request to another host, no console
error, every Mermaid block drawn as SVG, every image and widget visible, code hidden.

Playwright drives Debian's /usr/bin/chromium (it never downloads a browser). Every
request whose URL is not file:, data:, blob: or about: is blocked and counted.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import CHROMIUM, FIXTURE_NOTEBOOKS, SYSTEM, fixture_workers, require_chromium

pytestmark = pytest.mark.browser

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def inspect_page(browser, path: Path) -> dict:
    """Open `path` offline and report what a reader would see (and what it tried to fetch)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    foreign, errors = [], []

    def guard(route):
        if route.request.url.startswith(LOCAL_SCHEMES):
            return route.continue_()
        foreign.append(route.request.url)
        return route.abort()

    context.route("**/*", guard)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("!document.querySelector('pre.mermaid') || "
                           "document.body.getAttribute('data-archbook-mermaid') === 'done'", timeout=60_000)
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        page.wait_for_function(f"document.querySelectorAll('.widget-subarea > *').length >= {views}", timeout=30_000)
    facts = page.evaluate("""() => ({
        mermaid_blocks: document.querySelectorAll('pre.mermaid').length,
        mermaid_svgs: document.querySelectorAll('.jp-RenderedMermaid > figure.archbook-mermaid > svg').length,
        mermaid_failed: document.querySelectorAll('.jp-RenderedMermaid.jp-mod-warning').length,
        images: Array.from(document.images).map(i => i.naturalWidth),
        widget_views: document.querySelectorAll('.widget-subarea > *').length,
        readouts: Array.from(document.querySelectorAll('.widget-readout')).map(e => (e.textContent || e.value).trim()),
        code_inputs: document.querySelectorAll('.jp-CodeCell .jp-InputArea').length,
    })""")
    context.close()
    return {**facts, "views_expected": views, "foreign": foreign, "errors": errors}


def _pages(report_dir: Path) -> list[Path]:
    return sorted(report_dir.glob("*.html")) + sorted(report_dir.glob("grids/*/summary.html")) \
        + sorted(report_dir.glob("grids/*/runs/*/*.html"))


def test_every_report_page_works_offline(browser, fixture_report, tmp_path):
    from archbook.report.grid import run_grid

    grid = tmp_path / "g.yaml"
    grid.write_text('name: browser\nnotebook: "01"\nparameters: {arrival_multiplier: [2]}\n')
    run_grid(SYSTEM, grid, out=fixture_report.report_dir.parent, notebooks_dir=FIXTURE_NOTEBOOKS, progress=False)
    pages = _pages(fixture_report.report_dir)
    names = {p.relative_to(fixture_report.report_dir).as_posix() for p in pages}
    assert {"index.html", "section05.html", "01_fixture.html", "02_second.html", "grids/browser/summary.html",
            "grids/browser/runs/arrival_multiplier-2/01_fixture.html"} <= names
    seen = {}
    for path in pages:
        facts = seen[path.relative_to(fixture_report.report_dir).as_posix()] = inspect_page(browser, path)
        where = path.name
        assert facts["foreign"] == [], f"{where} asked other hosts: {facts['foreign']}"
        assert facts["errors"] == [], f"{where} logged console errors: {facts['errors']}"
        assert facts["mermaid_svgs"] == facts["mermaid_blocks"] and facts["mermaid_failed"] == 0, where
        assert all(w > 0 for w in facts["images"]), f"{where} has a broken image"
        assert facts["widget_views"] >= facts["views_expected"], f"{where}: widgets not drawn"
        assert facts["code_inputs"] == 0, f"{where} shows code"
    doc = seen["section05.html"]
    assert doc["mermaid_blocks"] >= 2 and doc["mermaid_svgs"] == doc["mermaid_blocks"]
    page = seen["01_fixture.html"]
    assert page["mermaid_svgs"] == 2 and len(page["images"]) == 1
    assert page["readouts"] == [str(fixture_workers())]  # the slider shows its executed state
    assert seen["grids/browser/runs/arrival_multiplier-2/01_fixture.html"]["readouts"] == [str(fixture_workers(2))]
    assert len(seen["index.html"]["images"]) == 1


def test_a_foreign_request_would_be_caught(browser, tmp_path):
    """The guard itself works: a page that loads from a CDN is reported, not silently passed."""
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><img src="https://cdn.example.com/x.png">'
                    '<script src="https://cdnjs.cloudflare.com/ajax/libs/x.js"></script></body></html>')
    facts = inspect_page(browser, page)
    assert len(facts["foreign"]) == 2
