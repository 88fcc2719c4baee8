"""The injection test over the whole product: a system whose every text field holds hostile
strings (`<script>`, `<img onerror>`, `<svg onload>`, `javascript:` links, `"]-->end`,
`%%{init}%%`, backticks, `{{ }}`, `{% %}`) is built with the real notebooks, and Chromium
opens every page: no payload ran (it would set `data-pwned` on <html> or `window.__pwned`),
no element carries an event-handler attribute or a `javascript:` URL, Jinja syntax stays
text, and every Mermaid diagram drew. Regenerate the system with
tests/data/hostile/make_hostile.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import CHROMIUM, REPO, require_chromium

from archbook.report.report import BuildOptions, build_report

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # builds every notebook: about 45 s

HOSTILE = REPO / "tests" / "data" / "hostile" / "system"
VISIBLE = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned', '1'); window.__pwned = 1\">"
MD_LINK = "[md link](javascript:document.documentElement.setAttribute('data-pwned','1');window.__pwned=1)"
SMALL = {"replications": 2, "jobs": 20_000, "workers_max": 6}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
FACTS_JS = """() => ({
  pwned: document.documentElement.getAttribute('data-pwned'), global: window.__pwned === undefined ? null : 1,
  blocks: document.querySelectorAll('pre.mermaid').length,
  svgs: document.querySelectorAll('.jp-RenderedMermaid > figure.archbook-mermaid > svg').length,
  failed: document.querySelectorAll('.jp-RenderedMermaid.jp-mod-warning').length,
  js_urls: Array.from(document.querySelectorAll('[href],[src],[action],[formaction]'))
    .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')
    .filter(u => /^\\s*(javascript|vbscript):/i.test(u)),
  handlers: Array.from(document.querySelectorAll('body *'))
    .filter(e => Array.from(e.attributes).some(a => /^on/i.test(a.name))).map(e => e.outerHTML.slice(0, 100)),
  text: document.body.innerText,
})"""


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    require_chromium()
    out = tmp_path_factory.mktemp("hostile")
    return build_report(HOSTILE, BuildOptions(out=out, parameters=SMALL, jobs=2, progress=False))


def _facts(browser, path: Path) -> dict:
    context = browser.new_context(offline=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("!document.querySelector('pre.mermaid') || "
                           "document.body.getAttribute('data-archbook-mermaid') === 'done'", timeout=60_000)
    page.wait_for_timeout(300)  # an <img onerror> fires after load
    facts = page.evaluate(FACTS_JS)
    context.close()
    return {**facts, "errors": errors}


def test_no_payload_runs_in_any_page(hostile_report):
    from playwright.sync_api import sync_playwright

    pages = sorted(hostile_report.report_dir.rglob("*.html"))  # every page the build wrote, nested ones too
    names = {p.name for p in pages}
    assert {"index.html", "section05.html", "01_system_architecture.html", "02_design_patterns.html",
            "03_api_design.html", "04_job_queue_simulation.html"} <= names
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        seen = {p.name: _facts(browser, p) for p in pages}
        browser.close()
    for name, f in seen.items():
        assert (f["pwned"], f["global"]) == (None, None), f"{name}: a payload ran"
        assert f["handlers"] == [] and f["js_urls"] == [], f"{name}: live markup {f['handlers'] or f['js_urls']}"
        assert f["svgs"] == f["blocks"] and f["failed"] == 0, f"{name}: a diagram did not draw"
        assert f["errors"] == [], f"{name}: {f['errors']}"
        assert "1337" not in f["text"], f"{name}: Jinja evaluated user text"
    for name in ("01_system_architecture.html", "02_design_patterns.html", "section05.html"):
        assert "{{ 7*191 }}" in seen[name]["text"] and "<script>" in seen[name]["text"], name  # shown as text
    for name, f in seen.items():  # every page showing free text shows it as text (04's queue has none)
        if name == "04_job_queue_simulation.html":
            continue
        assert VISIBLE in f["text"] or MD_LINK in f["text"], f"{name}: the hostile text is not shown escaped"
    assert seen["01_system_architecture.html"]["blocks"] >= 3 and seen["section05.html"]["blocks"] >= 2


def _viewer_pages(report_dir: Path, out: Path, sanitised: str) -> list[Path]:
    """The Markdown the build writes (section05.md), and `archbook render`'s, each turned into HTML
    the way an unsanitising viewer would: markdown-it with raw HTML on and every link scheme allowed,
    and mistune (nbconvert's renderer) with escaping off. Whatever survives must be inert."""
    import mistune
    from markdown_it import MarkdownIt

    from archbook.load import load_system
    from archbook.render.document import render_document

    texts = {"section05": (report_dir / "section05.md").read_text(encoding="utf-8"),
             "render": render_document(load_system(HOSTILE)), "sanitised": sanitised}
    permissive = MarkdownIt("commonmark", {"html": True}).enable("table")
    permissive.validateLink = lambda url: True
    pages = []
    for name, text in texts.items():
        for viewer, html in (("markdown-it", permissive.render(text)), ("mistune", mistune.create_markdown(
                escape=False, plugins=["table"])(text))):
            page = out / f"{name}.{viewer}.html"
            page.write_text(f"<!doctype html><meta charset=utf-8><title>{name}</title><body>{html}</body>",
                            encoding="utf-8")
            pages.append(page)
    return pages


def _sanitised() -> str:
    """User Markdown without an unsafe Markdown link takes nh3's path (not the escaping fallback)."""
    from archbook.render.templating import environment

    mark = "document.documentElement.setAttribute('data-pwned', '1'); window.__pwned = 1"
    purpose = (f"Uses [S3](https://aws.amazon.com/s3/) *well* `<b>` <script>{mark}</script> <img src=x onerror=\"{mark}\">"
               f" <svg onload=\"{mark}\"></svg> <a href=\"javascript:{mark}\">raw link</a> <b onclick=\"{mark}\">bold</b>"
               " {{ 7*191 }} <!-- c --> <iframe srcdoc='<script>parent.__pwned=1</script>'></iframe>")
    return environment().from_string("**Purpose:** {{ p|prose }}\n").render(p=purpose)


def test_the_markdown_is_inert_in_any_viewer(hostile_report, tmp_path):
    from playwright.sync_api import sync_playwright

    sanitised = _sanitised()
    assert sanitised.startswith("**Purpose:** Uses [S3](https://aws.amazon.com/s3/) *well* `<b>`")
    pages = _viewer_pages(hostile_report.report_dir, tmp_path, sanitised)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        seen = {p.name: _facts(browser, p) for p in pages}
        browser.close()
    assert len(seen) == 6
    for name in ("sanitised.markdown-it.html", "sanitised.mistune.html"):  # formatting kept, HTML inert
        f = seen.pop(name)
        assert (f["pwned"], f["global"], f["handlers"], f["js_urls"]) == (None, None, [], []), name
        assert f["text"].startswith("Purpose: Uses S3 well <b> raw link bold {{ 7*191 }}"), (name, f["text"])
    for name, f in seen.items():
        assert (f["pwned"], f["global"]) == (None, None), f"{name}: a payload ran"
        assert f["handlers"] == [] and f["js_urls"] == [], f"{name}: live markup {f['handlers'] or f['js_urls']}"
        assert f["errors"] == [], f"{name}: {f['errors']}"
        assert "{{ 7*191 }}" in f["text"] and "1337" not in f["text"], name
        # the names are shown escaped: the payload is readable text, not markup
        assert "<script>document.documentElement.setAttribute('data-pwned'" in f["text"], name
        assert MD_LINK in f["text"] and VISIBLE in f["text"], name
