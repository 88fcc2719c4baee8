"""How good is `estimatedWaitTime`? Error distributions of the candidate estimators."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from archbook.charts._base import new_figure, require

__all__ = ["estimator_accuracy"]

_STYLE = {"naive": "#7f7f7f", "position": "#1f77b4", "priority": "#d62728", "regression": "#2ca02c",
          "schedule": "#9467bd"}


def estimator_accuracy(errors: pd.DataFrame, scores: pd.DataFrame | None = None, *,
                       min_wait_s: float = 1.0, recommended: str | None = None) -> Figure:
    """Left: CDF of absolute error for jobs that waited >= min_wait_s. Right: MAPE and p90
    absolute error per estimator (from `score_estimators`, overall rows)."""
    require(errors, ["estimator", "actual_s", "estimate_s"], "estimator_accuracy")
    fig, axes = new_figure(1, 2 if scores is not None else 1, width=5.2, height=3.8)
    ax = axes[0][0]
    waited = errors[errors["actual_s"] >= min_wait_s]
    for i, (name, g) in enumerate(waited.groupby("estimator", sort=False)):
        err = np.sort(np.abs(g["estimate_s"] - g["actual_s"]).to_numpy())
        if err.size == 0:
            continue
        lw = 2.6 if name == recommended else 1.4
        ax.plot(err, np.arange(1, err.size + 1) / err.size, color=_STYLE.get(name, f"C{i}"), lw=lw,
                label=name + (" (recommended)" if name == recommended else ""))
    ax.axhline(0.9, color="k", ls=":", lw=0.8)
    ax.set(xscale="symlog", xlabel="absolute error (s)", ylabel="share of jobs that waited",
           title="estimatedWaitTime error")
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    if scores is not None:
        require(scores.reset_index(), ["estimator", "cls", "mape_waited", "p90_abs_error_waited_s"],
                "estimator_accuracy scores")
        ov = scores.reset_index()
        ov = ov[ov["cls"] == "overall"].set_index("estimator")
        ax2 = axes[0][1]
        x = np.arange(len(ov))
        colors = [_STYLE.get(n, f"C{i}") for i, n in enumerate(ov.index)]
        ax2.bar(x - 0.2, ov["mape_waited"] * 100, 0.4, color=colors, label="MAPE %")
        twin = ax2.twinx()
        twin.bar(x + 0.2, ov["p90_abs_error_waited_s"], 0.4, color=colors, alpha=0.45, hatch="//",
                 label="p90 |error| (s)")
        ax2.set_xticks(x, ov.index)
        ax2.set(ylabel="MAPE (%) solid", title="MAPE and p90 |error|")
        twin.set_ylabel("p90 absolute error (s) hatched")
    return fig
