"""Arrival streams: Poisson, a periodic piecewise-constant profile, or a CSV trace.

Each returns sorted absolute arrival times (seconds) for one replication, drawn in bulk.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from archbook.errors import Problem, ValidationFailed
from archbook.load.confine import confined_path
from archbook.load.csvfile import bad_numbers, read_csv
from archbook.model.queue import Arrivals, Scenario

__all__ = ["Trace", "read_trace", "arrival_times", "ArrivalStream", "profile_cumulative", "integrated_rate", "MAX_JOBS"]

MAX_JOBS = 50_000_000  # memory guard: ~1 GB of per-job arrays


def _poisson_times(rate: float, n_max: int | None, t_max: float | None, rng: np.random.Generator) -> np.ndarray:
    """Unit-free Poisson stream: cumulative exponential gaps, cut at n_max jobs or t_max seconds."""
    if n_max is not None and (t_max is None or n_max <= rate * t_max):
        # in place (the same numbers as cumsum(exponential(1 / rate, n))): one array, not three
        times = rng.standard_exponential(n_max)
        times *= 1.0 / rate
        return np.cumsum(times, out=times)
    # by time: draw a little more than expected, then top up in chunks (rare)
    chunk = int(rate * t_max + 6 * np.sqrt(rate * t_max) + 16)
    times = np.cumsum(rng.exponential(1.0 / rate, chunk))
    while times[-1] < t_max:
        more = times[-1] + np.cumsum(rng.exponential(1.0 / rate, max(chunk // 8, 16)))
        times = np.concatenate([times, more])
        if len(times) > MAX_JOBS:
            break
    times = times[times < t_max]
    return times[:n_max] if n_max is not None else times


def profile_cumulative(arr: Arrivals) -> tuple[np.ndarray, np.ndarray]:
    """Knots (t, Lambda(t)) of the cumulative rate over one period, starting at t = 0."""
    starts = np.array([p.start for p in arr.profile])
    rates = np.array([p.rate_per_s for p in arr.profile]) * arr.rate_multiplier
    # the rate before the first point is the last point's (the profile is periodic)
    if starts[0] > 0:
        starts = np.concatenate([[0.0], starts])
        rates = np.concatenate([[rates[-1]], rates])
    edges = np.concatenate([starts, [arr.period_s]])
    cum = np.concatenate([[0.0], np.cumsum(rates * np.diff(edges))])
    return edges, cum


def integrated_rate(arr: Arrivals, t) -> np.ndarray | float:
    """Lambda(t): expected arrivals in [0, t] of the periodic profile, exact for any t
    (whole periods, then the elapsed part of the last one, segment by segment)."""
    edges, cum = profile_cumulative(arr)
    k, rem = np.divmod(np.asarray(t, dtype=float), arr.period_s)
    out = k * cum[-1] + np.interp(rem, edges, cum)
    return float(out) if np.ndim(out) == 0 else out


def _profile_times(arr: Arrivals, n_max: int | None, t_max: float | None, rng: np.random.Generator) -> np.ndarray:
    """Non-homogeneous Poisson by inversion: unit-rate points E_i mapped through Lambda^-1
    (exact for piecewise-constant rates, fully vectorised)."""
    edges, cum = profile_cumulative(arr)
    per_period = cum[-1]
    # the unit-rate horizon is Lambda(t_max), not t_max x mean rate: a partial last
    # period busier than average would otherwise lose its last arrivals
    unit = _poisson_times(1.0, n_max, None if t_max is None else integrated_rate(arr, t_max), rng)
    k, rem = np.divmod(unit, per_period)
    # within a period, interpolate Lambda^-1; flat segments (rate 0) are never hit by
    # searchsorted on the strictly increasing part, as ties go to the left knot
    t = k * arr.period_s + np.interp(rem, cum, edges)
    if t_max is not None:
        t = t[t < t_max]
    return t


@dataclass(frozen=True)
class Trace:
    """A parsed arrivals CSV: times (s, from 0), plus optional user ids, class labels, settings."""

    times: np.ndarray
    users: np.ndarray | None
    labels: np.ndarray | None
    settings: dict[str, np.ndarray]


@functools.lru_cache(maxsize=8)
def _read_trace(path: str, mtime: float, ts_col: str, user_col: str, class_col: str) -> Trace:
    frame = read_csv(Path(path))
    if ts_col not in frame.columns:
        raise ValidationFailed([Problem(path, 1, "arrivals.trace.timestamp_column", f"no column `{ts_col}`",
                                        f"columns are: {', '.join(map(str, frame.columns))}")])
    secs = _seconds(frame[ts_col], path, ts_col)
    _check_order(secs, path, ts_col, frame[ts_col])
    order = np.arange(len(secs))
    secs = secs - secs[0]
    users = None
    if user_col in frame.columns:
        users = pd.factorize(frame[user_col].astype(str))[0][order].astype(np.int64)
    if class_col not in frame.columns and class_col == "class" and "priority" in frame.columns:
        class_col = "priority"  # the seed's request field: low / normal / high
    labels = frame[class_col].astype(str).to_numpy()[order] if class_col in frame.columns else None
    settings = {k: _setting(frame, k, path)[order] for k in ("width", "height", "duration", "fps") if k in frame.columns}
    return Trace(secs, users, labels, settings)


def _seconds(ts: pd.Series, path: str, column: str) -> np.ndarray:
    """Timestamps as seconds from the earliest: numbers (when the first row is one) or ISO-8601 times."""
    if len(ts) == 0:
        raise ValidationFailed([Problem(path, 1, column, "the trace has no rows", "add arrivals")])
    numeric = pd.to_numeric(ts, errors="coerce")
    as_numbers = pd.notna(numeric.iloc[0])
    values = numeric if as_numbers else pd.to_datetime(ts.astype(str), errors="coerce", utc=True, format="ISO8601")
    unreadable = values.isna() | (np.isinf(numeric) if as_numbers else False)
    if unreadable.any():
        i = int(unreadable.to_numpy().argmax())
        kind = "seconds (a number), as in the first row" if as_numbers else "an ISO-8601 time such as 2025-11-09T13:00:00Z"
        raise ValidationFailed([Problem(path, i + 2, column, f"cannot read timestamp `{ts.iloc[i]}`: expected {kind}",
                                        "use one form for the whole column: seconds or ISO-8601 times")])
    if as_numbers:
        return numeric.to_numpy(dtype=float)
    return (values - values.min()).dt.total_seconds().to_numpy()


def _check_order(secs: np.ndarray, path: str, column: str, raw: pd.Series) -> None:
    """Arrivals must be in time order: re-sorting silently would hide a broken export."""
    back = np.flatnonzero(np.diff(secs) < 0)
    if len(back):
        i = int(back[0]) + 1
        raise ValidationFailed([Problem(path, i + 2, column, f"timestamp `{raw.iloc[i]}` is earlier than the row "
                                        f"before it (`{raw.iloc[i - 1]}`); the trace must be in time order",
                                        "sort the rows by timestamp")])


def _setting(frame: pd.DataFrame, column: str, path: str) -> np.ndarray:
    """A request-setting column as floats; an empty cell stays NaN (sampled from the class), text is an error."""
    bad = bad_numbers(frame, column)
    if bad:
        raise ValidationFailed([Problem(path, bad[0], column, f"`{column}` value `{bad[1]}` is not a number",
                                        "write a number, or leave the cell empty to draw it from the class's mix")])
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def read_trace(arr: Arrivals, base_dir: Path) -> Trace:
    spec = arr.trace
    path = confined_path(base_dir, spec.path, file=str(base_dir / spec.path), line=None, field="arrivals.trace.path")
    if not path.is_file():
        raise ValidationFailed([Problem(str(path), None, "arrivals.trace.path", "trace CSV not found",
                                        "the path is relative to the scenario file")])
    return _read_trace(str(path), path.stat().st_mtime, spec.timestamp_column, spec.user_column,
                       spec.class_column)


def arrival_times(sc: Scenario, rng: np.random.Generator, trace: Trace | None = None) -> np.ndarray:
    """Sorted arrival times for one replication, cut by horizon.jobs and horizon.duration_s."""
    arr, hz = sc.arrivals, sc.horizon
    if arr.process == "poisson":
        return _poisson_times(arr.rate_per_s * arr.rate_multiplier, hz.jobs, hz.duration_s, rng)
    if arr.process == "profile":
        return _profile_times(arr, hz.jobs, hz.duration_s, rng)
    t = trace.times / (arr.trace.time_scale * arr.rate_multiplier)
    if hz.duration_s is not None:
        t = t[t < hz.duration_s]
    return t[: hz.jobs] if hz.jobs is not None else t


class ArrivalStream:
    """One replication's arrival times in consecutive chunks, for a streaming run.

    The numbers are those of `arrival_times` with the same generator: exponential gaps
    come from one stream whatever the chunk sizes, and are summed in order, each chunk
    starting from the last time of the one before (Poisson; for a profile, the unit-rate
    times, then mapped through Lambda^-1 point by point). The one exception: where
    `_poisson_times`, cut by time, tops up a first draw that fell short of the horizon
    (a 6-sigma event), its sums restart; here they never do. A trace is sliced."""

    def __init__(self, sc: Scenario, rng: np.random.Generator, trace: Trace | None = None):
        arr, hz = sc.arrivals, sc.horizon
        self.rng, self.left, self.t_max, self.done = rng, hz.jobs, hz.duration_s, False
        self.last, self.times, self.profile = 0.0, None, None
        if arr.process == "trace":
            self.times = arrival_times(sc, rng, trace)
            self.pos = 0
            return
        if arr.process == "poisson":
            rate, unit_max = arr.rate_per_s * arr.rate_multiplier, hz.duration_s
        else:
            self.profile = arr
            rate = 1.0
            unit_max = None if hz.duration_s is None else integrated_rate(arr, hz.duration_s)
        self.scale = 1.0 / rate
        by_jobs = hz.jobs is not None and (unit_max is None or hz.jobs <= rate * unit_max)
        self.unit_max = None if by_jobs else unit_max  # as in _poisson_times: by jobs, no time cut

    def take(self, k: int) -> np.ndarray:
        """The next (at most) k arrival times; fewer, and `done` set, once the horizon ends."""
        if self.left is not None:
            k = min(k, self.left)
        if self.done or k <= 0:
            self.done = True
            return np.empty(0)
        t = self._slice(k) if self.times is not None else self._draw(k)
        if len(t) < k:
            self.done = True
        if self.left is not None:
            self.left -= len(t)
            self.done = self.done or self.left == 0
        return t

    def _slice(self, k: int) -> np.ndarray:
        t = self.times[self.pos:self.pos + k]
        self.pos += len(t)
        return t

    def _draw(self, k: int) -> np.ndarray:
        x = self.rng.standard_exponential(k)
        x *= self.scale
        x[0] += self.last
        np.cumsum(x, out=x)
        self.last = float(x[-1])
        if self.unit_max is not None:
            x = x[:np.searchsorted(x, self.unit_max, side="left")]
        if self.profile is not None:
            edges, cum = profile_cumulative(self.profile)
            p, rem = np.divmod(x, cum[-1])
            x = p * self.profile.period_s + np.interp(rem, cum, edges)
        if self.t_max is not None and self.profile is not None:
            x = x[:np.searchsorted(x, self.t_max, side="left")]
        return x
