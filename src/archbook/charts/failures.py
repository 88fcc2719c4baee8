"""The effect of failures: one row per (case, class) from simulate() summaries."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from archbook.charts._base import class_color, class_order, new_figure, require

__all__ = ["failure_effect"]


def failure_effect(table: pd.DataFrame, *, field: str = "wait_p95_s") -> Figure:
    """Grouped bars of `field` per class for each case (e.g. none / OOM / crash / both),
    next to the failed fraction and utilization overall."""
    require(table, ["case", "cls", field, "failed_fraction", "utilization"], "failure_effect")
    cases = list(dict.fromkeys(table["case"]))
    classes = [c for c in class_order(table["cls"].unique()) if c != "overall"] or ["overall"]
    fig, axes = new_figure(1, 2, width=5.4, height=3.8)
    ax, ax2 = axes[0]
    x = np.arange(len(cases))
    w = 0.8 / len(classes)
    for i, cls in enumerate(classes):
        g = table[table["cls"] == cls].set_index("case").reindex(cases)
        err = g.get(f"{field}_ci95")
        ax.bar(x + i * w - 0.4 + w / 2, g[field], w, yerr=None if err is None else err,
               color=class_color(cls, i), label=cls, capsize=2)
    ax.set_xticks(x, cases, rotation=15)
    ax.set(title=field.replace("_s", " (s)").replace("_", " "), ylabel="seconds")
    ax.legend(fontsize=8)
    ov = table[table["cls"] == "overall"].set_index("case").reindex(cases)
    ax2.bar(x - 0.2, ov["failed_fraction"] * 100, 0.4, color="#d62728", label="failed %")
    ax2.set_ylabel("failed jobs (%)")
    twin = ax2.twinx()
    twin.plot(x, ov["utilization"] * 100, "o-", color="#222222", label="utilization %")
    twin.set(ylabel="utilization (%)", ylim=(0, 105))
    ax2.set_xticks(x, cases, rotation=15)
    ax2.set_title("failed jobs and utilization")
    for a in (ax, ax2):
        a.grid(alpha=0.3, axis="y")
    return fig
