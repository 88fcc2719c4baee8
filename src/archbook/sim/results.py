"""From the engine's flat arrays to figures: per-replication metrics, summary with 95 % CIs,
per-job records and the timeline.

Definitions (all over the measured window [t0, t1] after warm-up; "admitted" = not
rejected with 429/503):
- wait_*: time spent waiting in the queue by admitted jobs (until service, abandonment, or
  summed over requeues after a crash); prob_wait = share of admitted jobs that waited;
- response_mean_s: arrival to completion of jobs that completed (status done);
- queue_length_mean: time-average number of waiting jobs (not in service);
- utilization: busy worker-time / provisioned worker-time (per class: that class's busy time);
- worker_hours: provisioned worker-time (incl. cold start and restarts) in hours; a class's
  share is pro rata to its busy time; cost = worker_hours x workers.cost_per_hour;
- throughput_per_s: completed jobs per second; *_fraction: share of arriving jobs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from archbook.model.queue import Scenario

__all__ = ["FIELDS", "SimResult", "replication_metrics", "summarize", "jobs_frame"]

FIELDS = (
    "wait_mean_s", "wait_p50_s", "wait_p95_s", "wait_p99_s", "response_mean_s", "prob_wait",
    "queue_length_mean", "utilization", "throughput_per_s", "rejected_fraction", "abandoned_fraction",
    "failed_fraction", "worker_hours", "cost",
)
EXTRA = ("arrival_rate_per_s", "jobs", "rejected_429_fraction", "rejected_503_fraction", "service_mean_s",
         "workers_mean", "retries_mean")


def _group_metrics(arr, wait, status, resp, svc, retries, window: float) -> dict:
    m = len(arr)
    adm = (status != 1) & (status != 2)
    w = wait[adm]
    done = status == 0
    out = dict.fromkeys(FIELDS + EXTRA, np.nan)
    out["jobs"] = float(m)
    out["arrival_rate_per_s"] = m / window if window > 0 else np.nan
    if m:
        out["rejected_429_fraction"] = float(np.count_nonzero(status == 1)) / m
        out["rejected_503_fraction"] = float(np.count_nonzero(status == 2)) / m
        out["rejected_fraction"] = out["rejected_429_fraction"] + out["rejected_503_fraction"]
        out["abandoned_fraction"] = float(np.count_nonzero(status == 3)) / m
        out["failed_fraction"] = float(np.count_nonzero(status == 4)) / m
    if len(w):
        out["wait_mean_s"] = float(w.mean())
        out["wait_p50_s"], out["wait_p95_s"], out["wait_p99_s"] = np.quantile(w, [0.5, 0.95, 0.99])
        out["prob_wait"] = float(np.count_nonzero(w > 0)) / len(w)
        out["retries_mean"] = float(retries[adm].mean())
    if done.any():
        out["response_mean_s"] = float(resp[done].mean())
        out["service_mean_s"] = float(svc[done].mean())
    out["throughput_per_s"] = float(np.count_nonzero(done)) / window if window > 0 else np.nan
    return out


def replication_metrics(plan, d, res, rep: int) -> pd.DataFrame:
    """One row per group (overall, then classes in service order) for one replication."""
    start, end, wait, status, *_, retries, totals, cq_area, cb_area, _tl = res
    sc: Scenario = plan.scenario
    window = d.t1 - d.t0
    first = int(np.searchsorted(d.arr_t, d.t0, side="left"))
    arr, cls = d.arr_t[first:], d.cls[first:]
    wait, status, end = wait[first:], status[first:], end[first:]
    resp = end - arr
    svc, rtr = d.svc[first:], retries[first:]
    area_q, area_b, area_p, _area_o = totals
    rows, index = [], []
    overall = _group_metrics(arr, wait, status, resp, svc, rtr, window)
    _fill_time_averages(overall, area_q, area_b, area_b, area_p, window, sc)
    rows.append(overall)
    index.append("overall")
    for k in plan.order:
        sel = cls == k
        g = _group_metrics(arr[sel], wait[sel], status[sel], resp[sel], svc[sel], rtr[sel], window)
        _fill_time_averages(g, cq_area[k], cb_area[k], area_b, area_p, window, sc)
        rows.append(g)
        index.append(plan.names[k])
    frame = pd.DataFrame(rows)
    frame.insert(0, "cls", index)
    frame.insert(0, "replication", rep)
    return frame


def _fill_time_averages(g: dict, area_q, busy_area, total_busy, area_p, window, sc: Scenario) -> None:
    if window <= 0:
        return
    g["queue_length_mean"] = area_q / window
    g["utilization"] = busy_area / area_p if area_p > 0 else np.nan
    share = busy_area / total_busy if total_busy > 0 else 0.0
    g["worker_hours"] = area_p / 3600.0 * share
    g["cost"] = g["worker_hours"] * sc.workers.cost_per_hour
    g["workers_mean"] = area_p / window


def summarize(reps: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Mean across replications and the 95 % CI half-width (Student t, R - 1 d.f.)."""
    cols = [c for c in reps.columns if c not in ("replication", "cls")]
    g = reps.groupby("cls", sort=False)[cols]
    mean = g.mean()
    n = g.count()
    sd = g.std(ddof=1)
    tq = pd.DataFrame(stats.t.ppf(0.975, np.maximum(n.to_numpy() - 1, 1)), index=n.index, columns=cols)
    half = (tq * sd / np.sqrt(n)).where(n > 1)
    half.columns = [f"{c}_ci95" for c in cols]
    out = pd.concat([mean, half], axis=1).reindex(order)
    ordered = [x for f in FIELDS for x in (f, f"{f}_ci95")]
    ordered += [x for f in EXTRA for x in (f, f"{f}_ci95")]
    out = out[ordered]
    out.index.name = "cls"
    return out


def jobs_frame(plan, d, res, rep: int) -> pd.DataFrame:
    """Per-job records of one replication after warm-up."""
    start, end, wait, status, ahead, qlen, busy, online, retries, *_ = res
    first = int(np.searchsorted(d.arr_t, d.t0, side="left"))
    sl = slice(first, None)
    st = status[sl]
    served = (st == 0) | (st == 4)
    names = pd.Categorical.from_codes(d.cls[sl], categories=plan.names)
    return pd.DataFrame({
        "replication": np.full(len(st), rep, np.int32),
        "job": np.arange(first, len(status), dtype=np.int64),
        "cls": names,
        "priority": plan.priority[d.cls[sl]],
        "arrival_s": d.arr_t[sl],
        "start_s": start[sl],
        "end_s": end[sl],
        "wait_s": wait[sl],
        "service_s": np.where(served, d.svc[sl], np.nan),
        "status": pd.Categorical.from_codes(st, categories=["done", "rejected_429", "rejected_503",
                                                            "abandoned", "failed"]),
        "retries": (retries[sl] + d.retries[sl]).astype(np.int32),
        "queue_ahead": ahead[sl],
        "queue_length_at_arrival": qlen[sl],
        "busy_at_arrival": busy[sl],
        "workers_at_arrival": online[sl],
    })


@dataclass
class SimResult:
    """What `simulate` returns. See the module docstring for the definitions of the fields."""

    summary: pd.DataFrame
    replications: pd.DataFrame
    jobs: pd.DataFrame | None
    timeline: pd.DataFrame | None
    scenario: Scenario
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready: NaN becomes None."""
        rows = {idx: {k: _num(v) for k, v in row.items()} for idx, row in self.summary.iterrows()}
        return {
            "overall": rows.pop("overall"),
            "classes": rows,
            "warnings": list(self.warnings),
            "scenario": self.scenario.model_dump(mode="json", exclude_none=True),
        }


def _num(v):
    v = float(v)
    return None if not np.isfinite(v) else v
