"""Per-job records and timelines as columns, turned into DataFrames only when read.

The engine writes its per-job arrays in place; a replication keeps the part after warm-up
(copied on the helper thread of run.py, off the event loop's path, so the warm-up jobs'
records are freed) plus the pre-drawn columns the table shows. Building the
pandas tables costs more than the event loop itself (measured: 0.10 s against 0.11 s per
million jobs), so `SimResult.jobs` / `.timeline` build them on first access and a run
that only reads the summary never pays for it.

Memory while held, per job after warm-up: 48 B. Arrival, wait and service in float64
(3 x 8 B); start and end as float32 offsets from the arrival (2 x 4 B: relative error
6e-8 of the time in the system, where absolute times in float32 would round 1e6 s to
0.06 s); queue ahead and queue length at arrival (2 x 4 B); busy and online workers at
arrival and retries (3 x 2 B); status and class (2 x 1 B, up to 127 classes). The table
shows absolute start and end times, in float64.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["JobColumns", "TimelineColumns", "job_columns", "STATUS_CATEGORIES"]

STATUS_CATEGORIES = ["done", "rejected_429", "rejected_503", "abandoned", "failed"]
_FRAME_ORDER = ("replication", "job", "cls", "priority", "arrival_s", "start_s", "end_s", "wait_s", "service_s",
                "status", "retries", "queue_ahead", "queue_length_at_arrival", "busy_at_arrival",
                "workers_at_arrival")


def job_columns(d, res) -> dict[str, np.ndarray]:
    """One replication's per-job columns after warm-up (views where possible)."""
    start, end, wait, status, ahead, qlen, busy, online, retries, *_ = res
    first = int(np.searchsorted(d.arr_t, d.t0, side="left"))
    sl = slice(first, None)
    total = retries[sl]
    if d.retries.any():  # crash restarts plus OOM retries, saturating like the engine's count
        total = np.minimum(total + d.retries[sl].astype(np.int32), 32767).astype(np.int16)
    cls = d.cls[sl]
    cols = {"cls": cls.astype(np.int8) if cls.max(initial=0) < 127 else cls,
            "arrival_s": d.arr_t[sl], "start_s": start[sl], "end_s": end[sl], "wait_s": wait[sl],
            "service_s": d.svc[sl], "status": status[sl], "retries": total, "queue_ahead": ahead[sl],
            "queue_length_at_arrival": qlen[sl], "busy_at_arrival": busy[sl], "workers_at_arrival": online[sl]}
    if first:  # copies, so the warm-up jobs' part of the engine's arrays is freed (5 B a kept job)
        cols = {k: v.copy() if v.base is not None else v for k, v in cols.items()}
    return {"first": np.int64(first), **cols}


@dataclass
class JobColumns:
    """Every replication's job columns (in replication order) and the class metadata."""

    parts: list[dict[str, np.ndarray]]
    names: list[str]
    priority: np.ndarray

    def __len__(self) -> int:
        return sum(len(p["status"]) for p in self.parts)

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns themselves (and their base arrays, if any)."""
        return sum(_base(a).nbytes for p in self.parts for a in {id(_base(v)): v for v in p.values()}.values())

    def frame(self) -> pd.DataFrame:
        """The `SimResult.jobs` table (one concatenation per column, not per replication)."""
        parts = self.parts
        col = {k: np.concatenate([p[k] for p in parts]) for k in parts[0] if k != "first"} if parts else {}
        if not parts:
            return pd.DataFrame(columns=list(_FRAME_ORDER))
        rep = np.concatenate([np.full(len(p["status"]), r, np.int32) for r, p in enumerate(parts)])
        job = np.concatenate([np.arange(p["first"], p["first"] + len(p["status"]), dtype=np.int64) for p in parts])
        st = col["status"]
        cls = col["cls"].astype(np.int32)
        served = (st == 0) | (st == 4)
        out = dict(col, replication=rep, job=job, priority=self.priority[cls],
                   start_s=col["arrival_s"] + col["start_s"], end_s=col["arrival_s"] + col["end_s"],
                   cls=pd.Categorical.from_codes(cls, categories=self.names),
                   service_s=np.where(served, col["service_s"], np.nan),
                   status=pd.Categorical.from_codes(st, categories=STATUS_CATEGORIES),
                   retries=col["retries"].astype(np.int32, copy=False))
        return pd.DataFrame({k: out[k] for k in _FRAME_ORDER})


def _base(a: np.ndarray) -> np.ndarray:
    while a.base is not None and isinstance(a.base, np.ndarray):
        a = a.base
    return a


@dataclass
class TimelineColumns:
    """Each replication's sampled (t, queue, busy, workers) array."""

    parts: list[np.ndarray]

    def frame(self) -> pd.DataFrame:
        arr = np.concatenate(self.parts) if self.parts else np.zeros((0, 4))
        rep = np.concatenate([np.full(len(a), r, np.int32) for r, a in enumerate(self.parts)]) if self.parts \
            else np.zeros(0, np.int32)
        return pd.DataFrame({"replication": rep, "t_s": arr[:, 0], "queue_length": arr[:, 1].astype(np.int64),
                             "busy": arr[:, 2].astype(np.int64), "workers": arr[:, 3].astype(np.int64)})
