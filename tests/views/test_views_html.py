"""In the offline HTML document, clicking a collapsed box of the overview opens (scrolls to) its view."""
from __future__ import annotations

import os

import pytest

from archbook.model import SystemModel
from archbook.render import render_section
from mermaid_harness import ARGS, CHROMIUM, unavailable_reason

pytestmark = pytest.mark.browser


def test_clicking_an_overview_box_jumps_to_its_view(tmp_path):
    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the browser test cannot run: {reason}")
        pytest.skip(reason)
    import large_system
    from playwright.sync_api import sync_playwright

    from archbook.report.export import markdown_to_html

    system = SystemModel(root=str(tmp_path), architecture=large_system.model(60, 150))
    page_file = tmp_path / "section.html"
    page_file.write_text(markdown_to_html(render_section(system, "5.1"), title="views"), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri(), wait_until="domcontentloaded")
            page.wait_for_selector("body[data-archbook-mermaid=done]", timeout=120_000)
            assert page.locator(".archbook-mermaid-error").count() == 0
            # Mermaid writes the link as xlink:href on an SVG <a> around the box
            box = page.locator("xpath=//*[local-name()='a'][@*[local-name()='href']='#view-layer-ui']").first
            box.click()
            assert page.evaluate("location.hash") == "#view-layer-ui"
            assert page.locator("#view-layer-ui").count() == 1
        finally:
            browser.close()
