"""Synthetic arrival traces, generated deterministically from a scenario.

The trace follows the scenario's arrival profile (or its constant rate), damped on
weekends, with users drawn from the rate limit's population (Zipf-skewed), a few
scripted "burst" users per day (a client retrying in a loop, which is what the 10/min
limit is for), the class mix, and per-request video settings drawn from each class's
`video` mixes. Columns: timestamp (ISO-8601 UTC), user, class, width, height, duration, fps.

    python -m archbook.sim.trace data/video-editor/queue-diurnal.yaml --days 7 \
        --out data/video-editor/traces/week.csv
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from archbook.model.queue import Scenario, Video
from archbook.sim.arrivals import profile_cumulative
from archbook.sim.distributions import video_settings
from archbook.load.scenario import load_scenario

__all__ = ["generate_trace", "write_trace", "main"]

EPOCH = pd.Timestamp("2025-11-10T00:00:00Z")  # a Monday


def _weekly_rate(sc: Scenario, weekend_factor: float):
    """Rate function knots over a week (piecewise constant): the daily profile x weekday factor."""
    arr = sc.arrivals
    if arr.process == "profile" and arr.period_s == 86400.0:
        edges, cum = profile_cumulative(arr)
        day_rates = np.diff(cum) / np.diff(edges)
        day_edges = edges
    else:
        day_edges = np.array([0.0, 86400.0])
        day_rates = np.array([arr.mean_rate() or 0.05])
    edges, rates = [], []
    for day in range(7):
        f = weekend_factor if day >= 5 else 1.0
        edges.extend(day * 86400.0 + day_edges[:-1])
        rates.extend(day_rates * f)
    return np.array(edges + [7 * 86400.0]), np.array(rates)


def generate_trace(scenario, *, days: int = 7, seed: int = 20251109, weekend_factor: float = 0.6,
                   bursts_per_day: float = 3.0) -> pd.DataFrame:
    """A deterministic synthetic trace (same inputs, same rows)."""
    sc = load_scenario(scenario)
    rng = np.random.Generator(np.random.PCG64(seed))
    edges, rates = _weekly_rate(sc, weekend_factor)
    week = 7 * 86400.0
    cum = np.concatenate([[0.0], np.cumsum(rates * np.diff(edges))])
    total = cum[-1] * days / 7
    unit = np.cumsum(rng.exponential(1.0, int(total * 1.2) + 100))
    unit = unit[unit < total]
    k, rem = np.divmod(unit, cum[-1])
    t = k * week + np.interp(rem, cum, edges)
    rl = sc.admission.rate_limit
    n_users = rl.users if rl else 2000
    skew = rl.user_skew if rl else 1.0
    w = 1.0 / np.arange(1, n_users + 1) ** skew
    users = rng.choice(n_users, size=len(t), p=w / w.sum())
    t, users = _add_bursts(t, users, rng, days, bursts_per_day, n_users)
    shares = np.array([c.share for c in sc.classes])
    cls = rng.choice(len(sc.classes), size=len(t), p=shares / shares.sum())
    settings = {key: np.full(len(t), np.nan) for key in ("width", "height", "duration", "fps")}
    for i, c in enumerate(sc.classes):
        idx = np.flatnonzero(cls == i)
        if isinstance(c.service, Video) and len(idx):
            s = video_settings(c.service, len(idx), rng)
            for key in settings:
                settings[key][idx] = s[key]
    ts = EPOCH + pd.to_timedelta(np.round(t * 1000).astype(np.int64), unit="ms")
    frame = pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3] + "Z",
                          "user": [f"u{u:05d}" for u in users],
                          "class": np.array([c.name for c in sc.classes])[cls]})
    for key, col in settings.items():
        if not np.isnan(col).all():
            frame[key] = pd.array(np.round(col), dtype="Int64")
    return frame


def _add_bursts(t, users, rng, days, per_day, n_users):
    """Scripted clients: 15-40 requests a few seconds apart, which the 10/min limit must stop."""
    n_bursts = rng.poisson(per_day * days)
    starts = rng.uniform(0, days * 86400.0, n_bursts)
    extra_t, extra_u = [t], [users]
    for s in starts:
        m = int(rng.integers(15, 41))
        extra_t.append(s + np.cumsum(rng.exponential(3.0, m)))
        extra_u.append(np.full(m, rng.integers(0, n_users)))
    t = np.concatenate(extra_t)
    u = np.concatenate(extra_u)
    order = np.argsort(t, kind="stable")
    keep = t[order] < days * 86400.0
    return t[order][keep], u[order][keep]


def write_trace(frame: pd.DataFrame, out: str | Path) -> Path:
    """Write atomically (temp file in the same folder, then rename)."""
    from archbook.atomic import atomic_write_text

    return atomic_write_text(out, frame.to_csv(index=False, lineterminator="\n"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m archbook.sim.trace", description=__doc__.splitlines()[0])
    p.add_argument("scenario")
    p.add_argument("--days", type=int, default=7)
    p.add_argument("--seed", type=int, default=20251109)
    p.add_argument("--weekend-factor", type=float, default=0.6)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    frame = generate_trace(a.scenario, days=a.days, seed=a.seed, weekend_factor=a.weekend_factor)
    path = write_trace(frame, a.out)
    print(f"wrote {len(frame)} arrivals to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
