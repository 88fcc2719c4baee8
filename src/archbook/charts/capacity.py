"""Capacity charts from a `sweep` table: wait vs workers, utilization and cost, and the
cost-latency trade-off. Inputs are tidy rows (one per worker count x class)."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from archbook.charts._base import class_color, class_order, new_figure, require

__all__ = ["wait_vs_workers", "utilization_cost", "cost_latency"]


def _one_point_per_worker(table: pd.DataFrame, what: str) -> pd.DataFrame:
    require(table, ["workers", "cls"], what)
    if table.duplicated(["workers", "cls"]).any():
        raise ValueError(f"{what}: several rows per (workers, cls); filter the sweep to one grid point first")
    return table.sort_values("workers")


def _slo_value(slo: Mapping | None, cls: str, field: str) -> float | None:
    if not slo:
        return None
    v = (slo.get(cls) or {}).get(field)
    return float(v) if v is not None else None


def _band(ax, x, y, half, color, label, style="-"):
    ax.plot(x, y, style, color=color, label=label, lw=1.8)
    if half is not None and np.isfinite(half).any():
        ax.fill_between(x, np.maximum(y - half, 0), y + half, color=color, alpha=0.18, lw=0)


def wait_vs_workers(table: pd.DataFrame, *, analytic: pd.DataFrame | None = None,
                    classes: list[str] | None = None, slo: Mapping | None = None,
                    recommended: int | None = None) -> Figure:
    """Mean and p95 wait (CI bands) per class against worker count, with the Erlang C curve.

    `analytic` has columns workers, wait_mean_s, wait_p95_s for the equivalent M/M/c.
    A symlog axis keeps both the saturated and the idle end readable.
    """
    t = _one_point_per_worker(table, "wait_vs_workers")
    require(t, ["wait_mean_s", "wait_p95_s"], "wait_vs_workers")
    fig, axes = new_figure(1, 2, width=5.6, height=4.0)
    classes = class_order(classes or t["cls"].unique())
    for ax, field, title in zip(axes[0], ("wait_mean_s", "wait_p95_s"), ("mean wait", "p95 wait")):
        for i, cls in enumerate(classes):
            g = t[t["cls"] == cls]
            half = g.get(f"{field}_ci95")
            _band(ax, g["workers"], g[field], None if half is None else half.to_numpy(),
                  class_color(cls, i), cls, "--" if cls == "overall" else "-")
            target = _slo_value(slo, cls, field)
            if target is not None:
                ax.axhline(target, color=class_color(cls, i), ls=":", lw=1, label=f"SLO {cls}")
        if analytic is not None and field in analytic:
            a = analytic[np.isfinite(analytic[field])]
            ax.plot(a["workers"], a[field], "k:", marker=".", ms=3, lw=1, label="Erlang C (M/M/c)")
        if recommended is not None:
            ax.axvline(recommended, color="#2ca02c", lw=1, alpha=0.7, label=f"recommended: {recommended}")
        ax.set(title=title, xlabel="workers", ylabel="seconds")
        ax.set_yscale("symlog", linthresh=1.0)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0][1].legend(fontsize=8, loc="upper right")
    return fig


def utilization_cost(table: pd.DataFrame, *, recommended: int | None = None) -> Figure:
    """Utilization (with CI) and cost per hour against worker count, overall rows."""
    t = _one_point_per_worker(table, "utilization_cost")
    require(t, ["utilization", "cost_per_hour"], "utilization_cost")
    t = t[t["cls"] == "overall"]
    fig, axes = new_figure(1, 2, width=5.0, height=3.6)
    ax_u, ax_c = axes[0]
    _band(ax_u, t["workers"], t["utilization"], t.get("utilization_ci95", pd.Series(np.nan)).to_numpy(),
          "#1f77b4", "utilization")
    ax_u.set(title="worker utilization", xlabel="workers", ylabel="busy fraction", ylim=(0, 1.05))
    ax_c.plot(t["workers"], t["cost_per_hour"], "o-", ms=3, color="#ff7f0e")
    ax_c.set(title="cost", xlabel="workers", ylabel="cost per hour")
    for ax in (ax_u, ax_c):
        ax.grid(alpha=0.3)
        if recommended is not None:
            ax.axvline(recommended, color="#2ca02c", lw=1, alpha=0.7)
    return fig


def cost_latency(table: pd.DataFrame, *, field: str = "wait_p95_s", classes: list[str] | None = None,
                 recommended: int | None = None, slo: Mapping | None = None,
                 autoscale: pd.DataFrame | None = None, autoscale_key: str = "autoscale_min",
                 autoscale_recommended: int | None = None) -> Figure:
    """Cost per hour against wait, one curve per class, points labelled with worker counts.

    The recommended count is starred; it is the cheapest point under every SLO line.
    `autoscale` (rows per autoscaler floor, e.g. `Recommendation.autoscale_table`)
    adds dashed curves, starred at `autoscale_recommended`.
    """
    t = _one_point_per_worker(table, "cost_latency")
    require(t, ["cost_per_hour", field], "cost_latency")
    if recommended is not None:  # beyond ~2x the answer every wait is ~0: keep the interesting part
        t = t[t["workers"] <= max(2 * recommended, recommended + 4)]
    fig, axes = new_figure(1, 1, width=6.8, height=4.4)
    ax = axes[0][0]
    classes = class_order(classes or [c for c in t["cls"].unique() if c != "overall"] or ["overall"])
    for i, cls in enumerate(classes):
        g = t[(t["cls"] == cls) & np.isfinite(t[field])]
        color = class_color(cls, i)
        ax.plot(g["cost_per_hour"], g[field], "o-", ms=3, color=color, label=cls)
        target = _slo_value(slo, cls, field)
        if target is not None:
            ax.axhline(target, color=color, ls=":", lw=1)
        if recommended is not None and (g["workers"] == recommended).any():
            r = g[g["workers"] == recommended].iloc[0]
            ax.plot(r["cost_per_hour"], r[field], "*", ms=16, color=color, mec="k",
                    label=f"recommended ({recommended} workers)" if i == 0 else None)
    if autoscale is not None:
        _autoscale_curves(ax, autoscale, field, classes, autoscale_key, autoscale_recommended)
    labelled = t[t["cls"] == classes[0]]
    for _, r in labelled.iloc[:: max(1, len(labelled) // 12)].iterrows():
        if np.isfinite(r[field]):
            ax.annotate(str(int(r["workers"])), (r["cost_per_hour"], r[field]), fontsize=7,
                        textcoords="offset points", xytext=(3, 3))
    ax.set(title=f"cost vs {field.replace('_s', '').replace('_', ' ')}", xlabel="cost per hour",
           ylabel="seconds")
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def _autoscale_curves(ax, table: pd.DataFrame, field: str, classes: list[str], key: str, best) -> None:
    require(table, ["cls", key, "cost_per_hour", field], "cost_latency autoscale")
    for i, cls in enumerate(classes):
        g = table[(table["cls"] == cls) & np.isfinite(table[field])].sort_values(key)
        color = class_color(cls, i)
        ax.plot(g["cost_per_hour"], g[field], "s--", ms=3, lw=1, color=color, alpha=0.8,
                label=f"{cls}, autoscaling (floor 0..)" if i == 0 else None)
        if best is not None and (g[key] == best).any():
            r = g[g[key] == best].iloc[0]
            ax.plot(r["cost_per_hour"], r[field], "P", ms=13, color=color, mec="k",
                    label=f"recommended autoscaling (min {best})" if i == 0 else None)
