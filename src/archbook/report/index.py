"""The report's front page (`index.html`) and the grid summary page.

Both are plain HTML without scripts: everything a reader needs at a glance
(checklist status, recommended workers and cost, key charts) with charts
embedded as base64, and every piece of user text escaped by Jinja2's autoescape.
"""
from __future__ import annotations

import base64
import datetime as _dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

import archbook

__all__ = ["IndexPage", "render_index", "render_grid_summary", "read_capacity", "chart_images", "environment"]

PAGES_DIR = Path(__file__).resolve().parent / "pages"
MAX_CHARTS = 12


def _show(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value)
    return str(value)


def _number(value, fmt: str, unit: str = "") -> str:
    """Format a figure; capacity.json may hold one number or one per job class."""
    if value is None:
        return "n/a"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_number(v, fmt, unit)}" for k, v in value.items())
    try:
        return f"{float(value):{fmt}}{unit}"
    except (TypeError, ValueError):
        return str(value)


def _money(value) -> str:
    return _number(value, ",.2f")


def _seconds(value) -> str:
    return _number(value, ".3g", " s")


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Jinja2 environment for archbook's own pages; autoescape is on for all of them."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PAGES_DIR)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(show=_show, money=_money, seconds=_seconds)
    return env


def _common() -> dict:
    return {"version": archbook.__version__,
            "generated_at": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def read_capacity(data: bytes | None) -> dict | None:
    """Parse capacity.json; None when missing or not a JSON object (the page then says n/a)."""
    if not data:
        return None
    try:
        value = json.loads(data)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    keys = ("recommended_workers", "cost_per_hour", "slo", "slo_met", "p95_wait_s")
    return {**{k: None for k in keys}, **value}


def chart_images(files: dict[str, bytes]) -> list[dict]:
    """Key charts as embeddable images: every `charts/*.png` (name -> bytes), sorted by name."""
    charts = []
    for name in sorted(files)[:MAX_CHARTS]:
        encoded = base64.b64encode(files[name]).decode("ascii")
        charts.append({"name": Path(name).stem.replace("_", " "), "src": f"data:image/png;base64,{encoded}"})
    return charts


@dataclass
class IndexPage:
    """Everything the front page shows. Links are paths relative to the report folder."""

    system_name: str
    system_dir: str
    checklist: list = field(default_factory=list)  # objects or dicts with item, passed, reason
    capacity: dict | None = None
    charts: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)  # title, html, notebook
    document: dict | None = None  # html, md, pdf
    grids: list[dict] = field(default_factory=list)  # name, html, csv
    title: str = ""  # the system's display name (system_name is its folder)


def _as_dict(result) -> dict:
    get: Callable = result.get if isinstance(result, dict) else functools.partial(getattr, result)
    return {"item": get("item"), "passed": bool(get("passed")), "reason": get("reason")}


def render_index(page: IndexPage) -> str:
    """HTML of `index.html`."""
    checklist = [_as_dict(r) for r in page.checklist]
    passed = sum(r["passed"] for r in checklist)
    return environment().get_template("index.html.j2").render(
        **_common(), title=page.title, system_name=page.system_name, system_dir=page.system_dir, checklist=checklist,
        checklist_passed=passed, checklist_total=len(checklist), checklist_failed=len(checklist) - passed,
        capacity=page.capacity, charts=page.charts, pages=page.pages, document=page.document, grids=page.grids)


def render_grid_summary(*, system_name: str, grid_name: str, notebook: str, columns: list[str],
                        rows: list[dict]) -> str:
    """HTML of a grid's `summary.html` (one row per run, failures included)."""
    failed = sum(1 for r in rows if r.get("status") != "ok")
    rows = [{**{c: None for c in columns}, "html": None, "notebook": None, **r} for r in rows]
    for row in rows:  # a run that did not fail has nothing to say in these columns
        row.update({k: row.get(k) if row.get(k) is not None else "" for k in ("failed_cell", "error")})
    return environment().get_template("grid.html.j2").render(
        **_common(), system_name=system_name, grid_name=grid_name, notebook=notebook, columns=columns,
        rows=rows, failed=failed)
