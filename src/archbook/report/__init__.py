"""Unattended use of archbook: papermill batch runs, offline HTML reports, grids (locally or on Dask).

Entry points: `build_report` (what `archbook build` does), `run_grid` (`--grid`),
and `export_html` / `markdown_to_html` (the offline nbconvert export on its own).
"""
from __future__ import annotations

__all__ = ["BuildOptions", "BuildResult", "build_report", "run_grid", "GridResult", "export_html",
           "markdown_to_html", "find_assets"]

_LAZY = {
    "BuildOptions": "archbook.report.report",
    "BuildResult": "archbook.report.report",
    "build_report": "archbook.report.report",
    "run_grid": "archbook.report.grid",
    "GridResult": "archbook.report.grid",
    "export_html": "archbook.report.export",
    "markdown_to_html": "archbook.report.export",
    "find_assets": "archbook.report.assets",
}


def __getattr__(name: str):
    # Lazy: papermill and nbconvert are slow to import and most callers need one piece.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'archbook.report' has no attribute {name!r}")
