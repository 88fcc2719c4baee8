"""Parse and render Mermaid text with the real mermaid.min.js in headless Debian Chromium.

Playwright drives the system browser only (`executable_path`); it never downloads one.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MERMAID_JS = REPO / "vendor" / "js" / "mermaid.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

_CHECK = """
async ([texts, renderFlags]) => {
  mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
  const out = [];
  for (let i = 0; i < texts.length; i++) {
    try {
      await mermaid.parse(texts[i]);
      if (!renderFlags[i]) { out.push({ok: true, svg: null, error: null}); continue; }
      const {svg} = await mermaid.render('d' + i, texts[i]);
      out.push({ok: svg.startsWith('<svg') && svg.includes('</svg>'), svg: svg, error: null});
    } catch (e) {
      out.push({ok: false, svg: null, error: String(e && e.message || e)});
    }
  }
  return out;
}
"""


def unavailable_reason() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    if not Path(CHROMIUM).exists():
        return f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not MERMAID_JS.exists():
        return f"{MERMAID_JS} missing: run `make assets`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "python playwright not installed (pip install playwright; no browser download needed)"
    return None


def parse_all(texts: list[str], render: list[bool] | None = None) -> list[dict]:
    """Parse every diagram (and render those flagged, default all) in one page: [{ok, svg, error}].

    Runs in its own thread: Playwright's sync API refuses a thread where an asyncio loop runs
    (which other tests in the same session, e.g. kernels or servers, may leave behind).
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_parse_all, texts, render).result()


def _parse_all(texts: list[str], render: list[bool] | None) -> list[dict]:
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("about:", "data:")) else route.continue_())
            page.set_content("<!doctype html><html><body></body></html>")
            page.add_script_tag(content=MERMAID_JS.read_text(encoding="utf-8"))
            return page.evaluate(_CHECK, [texts, render if render is not None else [True] * len(texts)])
        finally:
            browser.close()
