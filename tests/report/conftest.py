"""Shared fixtures for the build tests: one small report built once per session.

The fixture notebooks under tests/build/fixtures/notebooks exercise every report
feature (parameters cell, Mermaid in Markdown, a matplotlib chart, an ipywidgets
slider, capacity.json) in a couple of seconds, independent of the real notebooks.
"""
from __future__ import annotations

import pytest
from buildkit import FIXTURE_NOTEBOOKS, SYSTEM

# The fixture notebooks are inputs of these tests, not tests: keep nbval (`make test`) off them.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(scope="session")
def fixture_report(tmp_path_factory):
    """A complete report of the default system built from the fixture notebooks."""
    from archbook.report.report import BuildOptions, build_report

    out = tmp_path_factory.mktemp("reports")
    result = build_report(SYSTEM, BuildOptions(out=out, notebooks_dir=FIXTURE_NOTEBOOKS, jobs=2, progress=False))
    return result
