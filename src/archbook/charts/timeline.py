"""A simulated day: queue length, busy and online workers over time (autoscaling at work)."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from archbook.charts._base import new_figure, require

__all__ = ["day_timeline"]


def day_timeline(timeline: pd.DataFrame, *, replication: int | None = None,
                 profile: pd.DataFrame | None = None, title: str = "a simulated day",
                 hours: tuple[float, float] | None = None) -> Figure:
    """Queue length (top) and workers online / busy (bottom) against the hour of day.

    `timeline` is `SimResult.timeline`; one replication is drawn (the first by
    default) because averaging would blur the scaling steps. `profile` (t_s,
    rate_per_s) adds the arrival rate on a twin axis.
    """
    require(timeline, ["t_s", "queue_length", "busy", "workers"], "day_timeline")
    tl = timeline
    if "replication" in tl:
        rep = tl["replication"].min() if replication is None else replication
        tl = tl[tl["replication"] == rep]
    if hours is not None:  # e.g. (24, 48): the second day, after a one-day warm-up
        tl = tl[tl["t_s"].between(hours[0] * 3600.0, hours[1] * 3600.0)]
        if profile is not None:
            profile = _clip_profile(profile, hours)
    if tl.empty:
        raise ValueError(f"day_timeline: no rows for replication {replication} in hours {hours}")
    hours = tl["t_s"] / 3600.0
    fig, axes = new_figure(2, 1, width=9.0, height=2.6, sharex=True)
    ax_q, ax_w = axes[0][0], axes[1][0]
    ax_q.step(hours, tl["queue_length"], where="post", color="#d62728", lw=1)
    ax_q.set(ylabel="jobs waiting", title=title)
    ax_w.step(hours, tl["workers"], where="post", color="#222222", lw=1.4, label="workers online")
    ax_w.step(hours, tl["busy"], where="post", color="#1f77b4", lw=0.8, alpha=0.7, label="busy")
    ax_w.set(xlabel="hour", ylabel="workers")
    if profile is not None:
        require(profile, ["t_s", "rate_per_s"], "day_timeline profile")
        twin = ax_q.twinx()
        twin.step(profile["t_s"] / 3600.0, profile["rate_per_s"], where="post", color="#7f7f7f",
                  ls="--", lw=1)
        twin.set_ylabel("arrivals per s", color="#7f7f7f")
    for ax in (ax_q, ax_w):
        ax.grid(alpha=0.3)
    ax_w.legend(fontsize=8, loc="upper left")
    return fig


def _clip_profile(profile: pd.DataFrame, hours: tuple[float, float]) -> pd.DataFrame:
    """The step function restricted to [h0, h1], with the step in force at h0 kept."""
    lo, hi = hours[0] * 3600.0, hours[1] * 3600.0
    before = profile[profile["t_s"] <= lo].tail(1).assign(t_s=lo)
    inside = profile[(profile["t_s"] > lo) & (profile["t_s"] <= hi)]
    end = pd.concat([before, inside]).tail(1).assign(t_s=hi)
    return pd.concat([before, inside, end], ignore_index=True)
