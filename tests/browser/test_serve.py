"""`archbook serve` in a real browser: the capacity app loads offline, with no code, and reacts."""
from __future__ import annotations

import pytest

from driver import (CHART, P95, chart_src, fixed_pool, move_slider_and_wait, p95_text, page_problems,
                    wait_for_panel, watch_redraws)

pytestmark = pytest.mark.browser


def test_capacity_app_moves_with_the_workers_slider(page, voila_server):
    page.goto(voila_server.url, timeout=90_000)
    wait_for_panel(page, timeout_ms=90_000)
    watch_redraws(page)
    assert "import" not in page.inner_text("body"), "Voilà must strip the code"
    assert page.locator(".cm-editor, .jp-InputPrompt").count() == 0
    assert "Capacity: video-editor" in page.inner_text(".archbook-app-title")
    fixed_pool(page, 5)
    p95_before, src_before = p95_text(page), chart_src(page)

    seconds = move_slider_and_wait(page, "ArrowLeft")  # 5 -> 4 workers: longer waits

    page.wait_for_function("([s, t]) => document.querySelector(s).innerText !== t", arg=[P95, p95_before])
    assert float(p95_text(page).replace(",", "")) > float(p95_before.replace(",", ""))
    assert chart_src(page) != src_before and page.locator(CHART).count() == 1
    assert 0 < seconds < 10
    assert page_problems(page) == []
