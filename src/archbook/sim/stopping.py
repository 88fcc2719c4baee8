"""Sequential stopping for sweeps: add replications to a point until its SLO metric is precise.

A point is done when, for every target (`cls.field`), the 95 % CI half-width is at most
`precision` times the estimate (a zero estimate with a zero half-width counts as exact).
Points still short get more replications in rounds that double their count, up to
`max_replications`. Replication r always uses child r of the root seed, so a point's
numbers with n replications are the same whether it stopped there or was asked for n."""
from __future__ import annotations

import math

import pandas as pd

__all__ = ["relative_half_width", "short_points", "next_count"]


def relative_half_width(summary: pd.DataFrame, targets) -> float:
    """The largest CI half-width / |estimate| over the targets (0 when all are exactly zero)."""
    worst = 0.0
    for cls, field in targets:
        value, half = float(summary.at[cls, field]), float(summary.at[cls, f"{field}_ci95"])
        if not (math.isfinite(value) and math.isfinite(half)):
            return math.inf
        if half == 0.0:
            continue
        worst = max(worst, half / abs(value) if value else math.inf)
    return worst


def short_points(summaries: dict[int, pd.DataFrame], targets, precision: float, counts: dict[int, int],
                 cap: int) -> list[int]:
    """Points whose relative half-width exceeds `precision` and that may still grow."""
    return [i for i, s in summaries.items()
            if counts[i] < cap and relative_half_width(s, targets) > precision]


def next_count(current: int, cap: int) -> int:
    """Doubling rounds: few rounds (each round costs one pass over the pool) but bounded overshoot."""
    return min(cap, 2 * current)
