"""A design session in a real JupyterLab: notebook 04's capacity panel reacts, notebook 01 draws.

The server runs on a copy of notebooks/ and data/ (see conftest), so running
the notebooks here never saves outputs into the committed ones.
"""
from __future__ import annotations

import pytest

from driver import (NB01, NB04, QUICK, assert_fewer_workers_raise_p95_and_redraw, mermaid_svgs, open_notebook,
                    page_problems, run_all_cells, shrink_parameters, wait_for_panel, watch_redraws)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lab(lab_server):
    shrink_parameters(lab_server.root / NB04, QUICK)
    return lab_server


def test_notebook_04_panel_follows_the_workers_slider(page, lab):
    open_notebook(page, lab, NB04)
    assert run_all_cells(page) == "done", page_problems(page)
    wait_for_panel(page)
    watch_redraws(page)
    assert_fewer_workers_raise_p95_and_redraw(page)


def test_notebook_01_draws_the_architecture_as_svg(page, lab):
    open_notebook(page, lab, NB01)
    assert run_all_cells(page) == "done", page_problems(page)
    page.wait_for_function("() => document.querySelectorAll('.jp-RenderedMermaid img').length >= 2",
                           timeout=60_000)
    svgs = mermaid_svgs(page)
    assert svgs and all("<svg" in s for s in svgs)
    first = svgs[0]
    assert 'aria-roledescription="flowchart' in first
    for name in ("Web Browser", "Client Layer", "External Services"):
        assert name in first, f"{name!r} missing from the rendered architecture diagram"
    assert page.locator(".jp-RenderedMermaid.jp-mod-warning").count() == 0
    assert page.locator(".archbook-component-picker").count() == 1  # the interactive section ran
    assert page_problems(page) == []
