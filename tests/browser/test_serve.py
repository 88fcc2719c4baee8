"""`archbook serve` in a real browser: the capacity app loads offline, with no code, and reacts."""
from __future__ import annotations

import pytest

from driver import assert_fewer_workers_raise_p95_and_redraw, wait_for_panel, watch_redraws

pytestmark = pytest.mark.browser


def test_capacity_app_moves_with_the_workers_slider(page, voila_server):
    page.goto(voila_server.url, timeout=90_000)
    wait_for_panel(page, timeout_ms=90_000)
    watch_redraws(page)
    assert "import" not in page.inner_text("body"), "Voilà must strip the code"
    assert page.locator(".cm-editor, .jp-InputPrompt").count() == 0
    assert "Capacity: video-editor" in page.inner_text(".archbook-app-title")
    assert_fewer_workers_raise_p95_and_redraw(page)
