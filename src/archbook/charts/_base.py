"""Shared figure plumbing: object-oriented Figures only (no pyplot state), so charts are
safe in worker processes, under Agg, and in papermill runs."""
from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from archbook.atomic import atomic_write_bytes

__all__ = ["ChartFigure", "new_figure", "png_bytes", "save_png", "class_color", "class_order", "require"]

_COLORS = {"overall": "#222222", "high": "#d62728", "normal": "#1f77b4", "low": "#7f7f7f"}
_CYCLE = ["#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#ff7f0e"]


class ChartFigure(Figure):
    """A Figure that shows itself in Jupyter as a PNG (IPython's `_repr_png_` protocol).

    Why: figures built without pyplot have no inline-backend hook, so a bare Figure
    as a cell's value would print as text; this keeps charts pyplot-free and still
    lets a notebook cell end with the chart (also in HTML export).
    """

    def _repr_png_(self) -> bytes:
        return png_bytes(self)


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 6.4, height: float = 4.0,
               layout: str | None = "constrained", **kw):
    """A Figure with its axes; `width`/`height` are per panel, in inches. Live widgets pass
    layout=None: constrained layout costs a second layout pass per redraw."""
    fig = ChartFigure(figsize=(width * ncols, height * nrows), layout=layout)
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


def class_color(name: str, i: int = 0) -> str:
    """The seed's priorities keep one colour everywhere: high red, normal blue, low grey."""
    return _COLORS.get(str(name), _CYCLE[i % len(_CYCLE)])


def class_order(names: Iterable[str]) -> list[str]:
    """overall first, then high, normal, low, then the rest in given order."""
    names = list(dict.fromkeys(str(n) for n in names))
    rank = {k: i for i, k in enumerate(_COLORS)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), names.index(n)))


def require(df: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    """Charts take DataFrames; a missing column is a caller bug worth a precise message."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: DataFrame lacks column(s) {missing}; has {list(df.columns)}")


def png_bytes(fig: Figure, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def save_png(fig: Figure, path: str | os.PathLike, dpi: int = 110) -> Path:
    """Write atomically: a temp file in the same folder, then os.replace."""
    return atomic_write_bytes(path, png_bytes(fig, dpi))
