"""GET /api/jobs/:jobId load under polling versus WebSocket pushes.

The seed offers both: clients may poll the job resource or open
`wss://.../ws/jobs/:jobId`. Polling cost grows with how long a job stays open
(wait + service), which is exactly what the simulator measures, so the load is
computed from simulated per-job times rather than from a guessed average. The
per-user limit of 60 GETs per minute is checked for a user with several jobs
open at once: each job polled every k seconds costs 60/k requests a minute.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from archbook.errors import ArchbookError

__all__ = ["polling_load", "open_job_times", "DEFAULT_INTERVALS_S", "GET_LIMIT_PER_MIN"]

DEFAULT_INTERVALS_S = (1, 2, 3, 5, 10, 15, 30, 60)
GET_LIMIT_PER_MIN = 60  # the seed: GET /api/jobs/:jobId, 60 requests per minute per user
_OPEN_STATUSES = ("done", "failed", "abandoned")  # jobs that got a jobId and were watched


def open_job_times(jobs: pd.DataFrame, *, poll_while: str = "response") -> tuple[np.ndarray, np.ndarray]:
    """Return (time a client watches each job, its service time) for jobs that were accepted.

    Rejected jobs (429/503) never got a jobId, so nobody polls them. `poll_while`
    is "response" (until complete: wait + service) or "wait" (only while queued).
    """
    _require(jobs, ("wait_s", "service_s", "status"))
    if poll_while not in ("response", "wait"):
        raise ArchbookError(f"poll_while must be 'response' or 'wait', got {poll_while!r}")
    accepted = jobs[jobs["status"].isin(_OPEN_STATUSES)]
    wait = accepted["wait_s"].to_numpy(float)
    service = np.nan_to_num(accepted["service_s"].to_numpy(float), nan=0.0)
    service = np.where(accepted["status"].to_numpy() == "abandoned", 0.0, service)
    watched = wait + service if poll_while == "response" else wait
    return np.nan_to_num(watched, nan=0.0), service


def polling_load(
    jobs: pd.DataFrame,
    intervals_s: Iterable[float] = DEFAULT_INTERVALS_S,
    *,
    arrival_rate_per_s: float | None = None,
    jobs_per_user: int | Iterable[int] = 1,
    progress_updates: int = 4,
    poll_while: str = "response",
    limit_per_min: float = GET_LIMIT_PER_MIN,
) -> pd.DataFrame:
    """Tidy DataFrame over poll interval k (x jobs_per_user): request rates and limit breaches.

    Polls per job = max(1, ceil(T / k)) for watch time T: the client polls at
    k, 2k, ... until it sees a terminal status, and at least once to fetch the
    result. WebSocket cost per job is one connection plus status_update,
    `progress_updates` progress messages and the terminal complete/error.
    """
    ks = np.asarray(list(intervals_s), dtype=float)
    if ks.size == 0 or np.any(ks <= 0):
        raise ArchbookError("intervals_s must be positive poll intervals in seconds, e.g. [1, 5, 10]")
    users = np.atleast_1d(np.asarray(list(_as_iter(jobs_per_user)), dtype=int))
    if np.any(users < 1):
        raise ArchbookError("jobs_per_user must be >= 1 (concurrent jobs one user watches)")
    watched, _service = open_job_times(jobs, poll_while=poll_while)
    if watched.size == 0:
        raise ArchbookError("no accepted jobs to poll: every job was rejected (check the scenario's capacity)")
    rate = arrival_rate_per_s if arrival_rate_per_s is not None else accepted_rate(jobs)
    accepted_share = watched.size / max(len(jobs), 1) if arrival_rate_per_s is not None else 1.0
    job_rate = rate * accepted_share
    ws_msgs = 2 + progress_updates  # status_update + progress_update(s) + complete/error
    rows = []
    for k in ks:
        polls = np.maximum(1.0, np.ceil(watched / k))
        for n in users:
            per_user = n * 60.0 / k
            rows.append({
                "interval_s": k, "jobs_per_user": int(n),
                "polls_per_job_mean": polls.mean(), "polls_per_job_p95": np.quantile(polls, 0.95),
                "get_rate_per_s": job_rate * polls.mean(),
                "ws_messages_per_s": job_rate * ws_msgs,
                "ws_connections_open_mean": job_rate * watched.mean(),
                "polling_to_ws_ratio": polls.mean() / ws_msgs,
                "staleness_mean_s": k / 2.0,
                "per_user_get_per_min": per_user,
                "limit_per_min": float(limit_per_min),
                "breaks_limit": bool(per_user > limit_per_min),
                "max_jobs_within_limit": int(np.floor(limit_per_min * k / 60.0 + 1e-9)),
            })
    return pd.DataFrame(rows)


def accepted_rate(jobs: pd.DataFrame) -> float:
    """Accepted jobs per second, from the arrival span of each replication (Little-style)."""
    _require(jobs, ("arrival_s", "status"))
    rep = jobs["replication"] if "replication" in jobs else pd.Series(0, index=jobs.index)
    rates = []
    for _, grp in jobs.groupby(rep, sort=True):
        span = grp["arrival_s"].max() - grp["arrival_s"].min()
        if span > 0:
            rates.append(grp["status"].isin(_OPEN_STATUSES).sum() / span)
    if not rates:
        raise ArchbookError("cannot infer the arrival rate from one job; pass arrival_rate_per_s")
    return float(np.mean(rates))


def _as_iter(value):
    return value if isinstance(value, Iterable) and not isinstance(value, (str, bytes)) else [value]


def _require(df: pd.DataFrame, cols: Iterable[str]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ArchbookError(
            f"jobs table lacks column(s) {missing}; pass SimResult.jobs from simulate(..., record_jobs=True)"
        )
