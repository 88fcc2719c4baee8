"""GET /api/jobs/:jobId load: polling every k seconds versus WebSocket pushes."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from archbook.charts._base import new_figure, require

__all__ = ["polling_chart"]


def polling_chart(df: pd.DataFrame) -> Figure:
    """Left: system-wide GET rate vs poll interval, against WebSocket messages.
    Right: one user's GETs per minute for each concurrency, with the limit; breaches in red."""
    require(df, ["interval_s", "jobs_per_user", "get_rate_per_s", "ws_messages_per_s",
                 "per_user_get_per_min", "limit_per_min", "breaks_limit"], "polling_chart")
    fig, axes = new_figure(1, 2, width=5.2, height=3.8)
    ax, ax2 = axes[0]
    one = df.drop_duplicates("interval_s").sort_values("interval_s")
    ax.plot(one["interval_s"], one["get_rate_per_s"], "o-", color="#d62728", label="polling GET/s")
    ax.plot(one["interval_s"], one["ws_messages_per_s"], "s--", color="#1f77b4", label="WebSocket msgs/s")
    ax.set(xscale="log", yscale="log", xlabel="poll interval k (s)", ylabel="requests or messages per s",
           title="system-wide load")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    for i, (n, g) in enumerate(df.groupby("jobs_per_user", sort=True)):
        g = g.sort_values("interval_s")
        ax2.plot(g["interval_s"], g["per_user_get_per_min"], "-", color=f"C{i}", label=f"{n} job(s) open")
        bad = g[g["breaks_limit"]]
        ax2.plot(bad["interval_s"], bad["per_user_get_per_min"], "o", color="#d62728", ms=5)
    ax2.axhline(df["limit_per_min"].iloc[0], color="k", ls=":", label="limit (60/min)")
    ax2.set(xscale="log", yscale="log", xlabel="poll interval k (s)", ylabel="GET per minute per user",
            title="per-user rate limit (red: 429s)")
    ax2.grid(alpha=0.3, which="both")
    ax2.legend(fontsize=8)
    return fig
