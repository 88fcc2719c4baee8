"""End to end with the project's real notebooks (small simulation sizes keep it quick).

The fast test builds notebook 04 alone and checks that its capacity figures reach
the index and that its page works offline in Chromium. The slow ones build the
whole report and run a grid of 8 scenarios of notebook 04 on the process pool.
"""
from __future__ import annotations

import csv
import json
import re

import pytest
from buildkit import REPO, SYSTEM, require_chromium

from archbook.report.report import BuildOptions, build_report

SMALL = {"replications": 2, "jobs": 25_000, "workers_max": 10}
NOTEBOOKS = REPO / "notebooks"


def _needs(number: str):
    if not list(NOTEBOOKS.glob(f"{number}_*.ipynb")):
        pytest.fail(f"notebooks/{number}_*.ipynb is missing")


@pytest.fixture(scope="module")
def real_04(tmp_path_factory):
    _needs("04")
    out = tmp_path_factory.mktemp("real")
    return build_report(SYSTEM, BuildOptions(out=out, only={"04"}, parameters=SMALL, progress=False))


def test_capacity_from_notebook_04_reaches_the_index(real_04):
    capacity = json.loads((real_04.report_dir / "artifacts" / "capacity.json").read_text())
    assert capacity["recommended_workers"] >= 1 and capacity["cost_per_hour"] > 0
    html = (real_04.report_dir / "index.html").read_text()
    assert f'<div class="value">{capacity["recommended_workers"]}</div>' in html
    assert f'{capacity["cost_per_hour"]:,.2f}' in html
    charts = sorted((real_04.report_dir / "artifacts" / "charts").glob("*.png"))
    assert charts and html.count('src="data:image/png;base64,') == len(charts)


def test_notebook_04_page_works_offline(real_04):
    require_chromium()
    from test_offline_browser import ARGS, CHROMIUM, inspect_page
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            for page in (real_04.report_dir / "04_job_queue_simulation.html", real_04.report_dir / "index.html"):
                facts = inspect_page(browser, page)
                assert facts["foreign"] == [] and facts["errors"] == [], (page.name, facts)
                assert facts["images"] and all(w > 0 for w in facts["images"]), page.name
                assert facts["widget_views"] >= facts["views_expected"] and facts["code_inputs"] == 0
        finally:
            browser.close()


@pytest.mark.slow
def test_full_real_report_works_offline(tmp_path):
    require_chromium()
    from test_offline_browser import ARGS, CHROMIUM, inspect_page
    from playwright.sync_api import sync_playwright

    result = build_report(SYSTEM, BuildOptions(out=tmp_path, parameters=SMALL, progress=False))
    pages = sorted(result.report_dir.glob("*.html"))
    assert len(pages) >= 6  # index, section05 and one page per notebook
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            for page in pages:
                facts = inspect_page(browser, page)
                assert facts["foreign"] == [] and facts["errors"] == [], (page.name, facts)
                assert facts["mermaid_svgs"] == facts["mermaid_blocks"] and facts["mermaid_failed"] == 0
                assert all(w > 0 for w in facts["images"]) and facts["widget_views"] >= facts["views_expected"]
        finally:
            browser.close()


@pytest.mark.slow
def test_grid_of_8_with_notebook_04_agrees_with_runs(tmp_path):
    from archbook.report.grid import run_grid

    _needs("04")
    grid = tmp_path / "grid.yaml"
    grid.write_text('name: load\nnotebook: "04"\nparameters:\n  arrival_multiplier: [0.5, 1, 1.5, 2]\n'
                    '  autoscale: [true, false]\n' + "fixed: " + json.dumps(SMALL) + "\n")
    result = run_grid(SYSTEM, grid, out=tmp_path / "out", jobs=2, progress=False)
    assert not result.failed and len(result.executed) == 8
    with open(result.summary_csv, newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        cap = json.loads((result.grid_dir / "runs" / row["run"] / "artifacts" / "capacity.json").read_text())
        assert int(row["recommended_workers"]) == cap["recommended_workers"]
        assert float(row["cost_per_hour"]) == pytest.approx(cap["cost_per_hour"])
        assert float(row["arrival_multiplier"]) == cap["arrival_multiplier"]
        for cls, p95 in cap["p95_wait_s"].items():  # per-class figures get a column each
            assert float(row[f"p95_wait_s.{cls}"]) == pytest.approx(p95)
    workers = {(float(r["arrival_multiplier"]), r["autoscale"]): int(r["recommended_workers"]) for r in rows}
    assert workers[(2.0, "false")] >= workers[(0.5, "false")]  # more load never needs fewer workers


def test_notebook_04_shows_the_crn_variance_reduction(real_04):
    import nbformat

    nb = nbformat.read(real_04.report_dir / "notebooks" / "04_job_queue_simulation.ipynb", as_version=4)
    text = "".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []))
    assert re.search(r"neighbour differences of the mean wait have \*\*-?\d+% less variance\*\*", text), text[:500]
