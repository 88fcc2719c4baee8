"""From the engine's flat arrays to figures: per-replication metrics, summary with 95 % CIs,
per-job records and the timeline.

Definitions (all over the measured window [t0, t1] after warm-up; "admitted" = not
rejected with 429/503):
- wait_*: time spent waiting in the queue by admitted jobs (until service, abandonment, or
  summed over requeues after a crash); prob_wait = share of admitted jobs that waited
  longer than `wait_tolerance` (a millionth of the mean service time, at least 64 ulps
  of the horizon): floating-point rounding of start - arrival is not waiting;
- response_mean_s: arrival to completion of jobs that completed (status done);
- queue_length_mean: time-average number of waiting jobs (not in service);
- utilization: busy worker-time / online worker-time, online = able to serve (idle or busy), so
  cold starts and crash restarts do not dilute it (per class: that class's busy time);
- worker_hours: provisioned worker-time (incl. cold start and restarts) in hours; a class's
  share is pro rata to its busy time; cost = worker_hours x workers.cost_per_hour;
- throughput_per_s: completed jobs per second; *_fraction: share of arriving jobs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit
from scipy.special import stdtrit  # t quantile; scipy.stats would add ~1 s of import time

from archbook.model.queue import Scenario
from archbook.sim.quantiles import NB, bin_base, bin_edges, bin_of, hist_quantile, pooled_quantiles

__all__ = ["FIELDS", "COLUMNS", "SimResult", "replication_metrics", "replication_values", "metrics_frame", "group_labels",
           "summarize"]

FIELDS = (
    "wait_mean_s", "wait_p50_s", "wait_p95_s", "wait_p99_s", "response_mean_s", "prob_wait",
    "queue_length_mean", "utilization", "throughput_per_s", "rejected_fraction", "abandoned_fraction",
    "failed_fraction", "worker_hours", "cost",
)
QUANTILES = {"wait_p50_s": 0.5, "wait_p95_s": 0.95, "wait_p99_s": 0.99}
WAIT_TOL_REL = 1e-6  # waits below this fraction of the mean service time are rounding error


def wait_tolerance(mean_service: float | None, t1: float) -> float:
    """The smallest wait that counts as waiting: relative to the time scale of the queue
    (its mean service), and never below the rounding error of absolute times near t1."""
    scale = mean_service if mean_service and np.isfinite(mean_service) else 0.0
    return max(WAIT_TOL_REL * scale, 64 * float(np.spacing(max(abs(t1), 1.0))))


EXTRA = ("arrival_rate_per_s", "jobs", "rejected_429_fraction", "rejected_503_fraction", "service_mean_s",
         "workers_mean", "retries_mean")
COLUMNS = FIELDS + EXTRA  # the per-replication table's metric columns, in order


# columns of the per-group tally computed in one compiled pass over the jobs
_T_ARR, _T_429, _T_503, _T_AB, _T_FAIL, _T_ADM, _T_WSUM, _T_WAITED, _T_DONE, _T_RSUM, _T_SSUM, _T_RTR = range(12)


def _tally(arr, cls, status, wait, end, svc, restarts, retries, first, n_classes, tol, base):
    """Counts and sums per class (row 1 + k; `values_from_tally` fills row 0, overall) of the
    jobs from `first` on, plus each class's log-spaced histogram of admitted waits (see
    quantiles.py) for the quantiles: one compiled pass (`_tally_chunk`, shared with streaming
    runs) instead of a dozen numpy mask/fancy-index passes and a sort per class."""
    out, hist = new_tally(n_classes)
    sl = slice(first, None)
    _tally_chunk(out, hist, arr[sl], cls[sl], status[sl], wait[sl], end[sl], svc[sl], restarts[sl], retries[sl],
                 -np.inf, tol, base)
    return out, hist


def _group_metrics(row: np.ndarray, hist: np.ndarray, edges: tuple, window: float) -> dict:
    out = dict.fromkeys(FIELDS + EXTRA, np.nan)
    m = row[_T_ARR]
    out["jobs"] = m
    out["arrival_rate_per_s"] = m / window if window > 0 else np.nan
    if m:
        out["rejected_429_fraction"] = row[_T_429] / m
        out["rejected_503_fraction"] = row[_T_503] / m
        out["rejected_fraction"] = (row[_T_429] + row[_T_503]) / m
        out["abandoned_fraction"] = row[_T_AB] / m
        out["failed_fraction"] = row[_T_FAIL] / m
    adm = row[_T_ADM]
    if adm:
        out["wait_mean_s"] = row[_T_WSUM] / adm
        for name, p in QUANTILES.items():
            out[name] = hist_quantile(hist, edges, p)
        out["prob_wait"] = row[_T_WAITED] / adm
        out["retries_mean"] = row[_T_RTR] / adm
    if row[_T_DONE]:
        out["response_mean_s"] = row[_T_RSUM] / row[_T_DONE]
        out["service_mean_s"] = row[_T_SSUM] / row[_T_DONE]
    out["throughput_per_s"] = row[_T_DONE] / window if window > 0 else np.nan
    return out


def wait_bins(plan) -> int:
    """The histogram's lowest bin key for this plan: fixed per scenario, so replications pool."""
    return bin_base(wait_tolerance(plan.mean_service, 0.0))


def replication_metrics(plan, d, res, rep: int) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per group (overall, then classes in service order) for one replication, and
    the groups' wait histograms (rows in the same order) for the pooled quantiles."""
    values, hists = replication_values(plan, d, res)
    return metrics_frame(plan, [(rep, values)]), hists


def replication_values(plan, d, res) -> tuple[np.ndarray, np.ndarray]:
    """`replication_metrics` as an array (groups x `COLUMNS`, see `values_from_tally`)."""
    start, end, wait, status, *_, retries, totals, cq_area, cb_area, _tl = res
    first = int(np.searchsorted(d.arr_t, d.t0, side="left"))
    tally, hist = _tally(d.arr_t, d.cls, status, wait, end, d.svc, retries, d.retries, first,
                         len(plan.names), wait_tolerance(plan.mean_service, d.t1), wait_bins(plan))
    return values_from_tally(plan, tally, hist, totals, cq_area, cb_area, d.t1 - d.t0)


def _fill_time_averages(g: dict, area_q, busy_area, total_busy, area_p, area_o, window, sc: Scenario) -> None:
    if window <= 0:
        return
    g["queue_length_mean"] = area_q / window
    g["utilization"] = busy_area / area_o if area_o > 0 else np.nan
    share = busy_area / total_busy if total_busy > 0 else 0.0
    g["worker_hours"] = area_p / 3600.0 * share
    g["cost"] = g["worker_hours"] * sc.workers.cost_per_hour
    g["workers_mean"] = area_p / window


def summarize(reps: pd.DataFrame, order: list[str], hists: np.ndarray | None = None,
              base: int | None = None) -> pd.DataFrame:
    """Mean across replications and the 95 % CI half-width (Student t, R - 1 d.f.); with
    `hists` (R, groups in `order`, NB), the wait quantiles and their CIs are the pooled
    ones of quantiles.py instead of the mean of per-replication quantiles.

    NaN (a metric a replication has no value for) is skipped, as pandas' groupby does; the
    arithmetic is numpy per group: a sweep summarises every point in the parent process,
    and groupby cost 12 ms a point there (a 32-point sweep waited 0.5 s for it)."""
    cols = [c for c in reps.columns if c not in ("replication", "cls")]
    values = reps[cols].to_numpy(dtype=float)
    labels = reps["cls"].to_numpy()
    stats = np.full((len(order), 2 * len(cols)), np.nan)
    for g, name in enumerate(order):
        stats[g] = _mean_and_half_width(values[labels == name])
    out = pd.DataFrame(stats, index=pd.Index(order, name="cls"), columns=cols + [f"{c}_ci95" for c in cols])
    if hists is not None:
        _pooled_quantiles(out, hists, bin_edges(base))
    ordered = [x for f in FIELDS for x in (f, f"{f}_ci95")]
    ordered += [x for f in EXTRA for x in (f, f"{f}_ci95")]
    return out[ordered]


def _mean_and_half_width(rows: np.ndarray) -> np.ndarray:
    """[means..., CI half-widths...] of one group's replications (rows), NaN-skipping."""
    ok = ~np.isnan(rows)
    n = ok.sum(axis=0)
    filled = np.where(ok, rows, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
        dev = np.where(ok, rows - mean, 0.0)
        sd = np.sqrt((dev * dev).sum(axis=0) / (n - 1))
        half = stdtrit(np.maximum(n - 1, 1), 0.975) * sd / np.sqrt(n)
    return np.concatenate([mean, np.where(n > 1, half, np.nan)])


def _pooled_quantiles(out: pd.DataFrame, hists: np.ndarray, edges: tuple) -> None:
    """Overwrite the quantile columns with the pooled estimates (whole columns at once:
    cell-by-cell `.at` writes were a third of a sweep point's summary)."""
    per_group = np.array([pooled_quantiles(hists[:, g, :], edges, tuple(QUANTILES.values()))
                          for g in range(len(out.index))]).reshape(len(out.index), len(QUANTILES), 2)
    for k, field_name in enumerate(QUANTILES):
        out[field_name] = per_group[:, k, 0]
        out[f"{field_name}_ci95"] = per_group[:, k, 1]


class SimResult:
    """What `simulate` returns. See the module docstring for the definitions of the fields.

    `jobs` and `timeline` are DataFrames built on first access from the columns the engine
    wrote (records.py), then cached; `job_columns` gives the columns without pandas."""

    def __init__(self, summary: pd.DataFrame, replications: pd.DataFrame, jobs, timeline,
                 scenario: Scenario, warnings: list[str] | None = None):
        self.summary, self.replications, self.scenario = summary, replications, scenario
        self.warnings = list(warnings or [])
        self._jobs, self._timeline = jobs, timeline

    @property
    def jobs(self) -> pd.DataFrame | None:
        if self._jobs is not None and not isinstance(self._jobs, pd.DataFrame):
            self._jobs = self._jobs.frame()  # the columns are dropped: the frame holds them now
        return self._jobs

    @property
    def timeline(self) -> pd.DataFrame | None:
        if self._timeline is not None and not isinstance(self._timeline, pd.DataFrame):
            self._timeline = self._timeline.frame()
        return self._timeline

    @property
    def job_columns(self):
        """The per-job columns as numpy arrays (a `records.JobColumns`), or None once `jobs` was built."""
        return None if isinstance(self._jobs, pd.DataFrame) else self._jobs

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


# --- the tally, chunk by chunk: a full run's one chunk, or a streaming run's many ---------


@njit(cache=True, nogil=True)
def _tally_chunk(out, hist, arr, cls, status, wait, end, svc, restarts, retries, t0, tol, base):
    """Add the jobs arriving at or after t0 to the class rows (1 + k) of `out` and `hist`, in
    order, so that sums over consecutive chunks equal one pass over all of them (row 0 is
    left to `_tally_total`)."""
    wbits = wait.view(np.int64)
    for j in range(arr.shape[0]):
        if arr[j] < t0:
            continue
        g = cls[j] + 1
        st = status[j]
        out[g, _T_ARR] += 1
        if st == 1:
            out[g, _T_429] += 1
            continue
        if st == 2:
            out[g, _T_503] += 1
            continue
        w = wait[j]
        out[g, _T_ADM] += 1
        out[g, _T_WSUM] += w
        out[g, _T_RTR] += restarts[j] + retries[j]
        b = bin_of(w, wbits[j], tol, base)
        if b > 0:
            out[g, _T_WAITED] += 1
        hist[g, b] += 1
        if st == 3:
            out[g, _T_AB] += 1
        elif st == 4:
            out[g, _T_FAIL] += 1
        else:
            out[g, _T_DONE] += 1
            out[g, _T_RSUM] += end[j]
            out[g, _T_SSUM] += svc[j]


def new_tally(n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Empty accumulators for `_tally_chunk`: (counts and sums, wait histograms) per group."""
    return np.zeros((n_classes + 1, 12)), np.zeros((n_classes + 1, NB), np.int64)


def _tally_total(out: np.ndarray, hist: np.ndarray) -> None:
    """Row 0 (overall) as the sum of the class rows, in class order like `_tally`."""
    out[0] = 0.0
    hist[0] = 0
    for k in range(1, out.shape[0]):
        out[0] += out[k]
        hist[0] += hist[k]


def metrics_from_tally(plan, tally: np.ndarray, hist: np.ndarray, totals, cq_area, cb_area, window: float,
                       rep: int) -> tuple[pd.DataFrame, np.ndarray]:
    """`replication_metrics` from accumulated tallies (a streaming run keeps no per-job arrays):
    the same rows, means exact (sums over counts), quantiles from the histograms."""
    values, hists = values_from_tally(plan, tally, hist, totals, cq_area, cb_area, window)
    return metrics_frame(plan, [(rep, values)]), hists


def values_from_tally(plan, tally: np.ndarray, hist: np.ndarray, totals, cq_area, cb_area,
                      window: float) -> tuple[np.ndarray, np.ndarray]:
    """One replication's metrics as an array, groups (overall, then classes in service order)
    x `COLUMNS`, and the groups' histograms. A sweep reduces 320 replications in its workers
    and a DataFrame apiece cost 1.1 ms, so frames are built once per point (`metrics_frame`)."""
    _tally_total(tally, hist)
    sc: Scenario = plan.scenario
    edges = bin_edges(wait_bins(plan))
    area_q, area_b, area_p, area_o = totals
    overall = _group_metrics(tally[0], hist[0], edges, window)
    _fill_time_averages(overall, area_q, area_b, area_b, area_p, area_o, window, sc)
    rows = [overall]
    for k in plan.order:
        if len(plan.names) == 1:
            rows.append(dict(overall))
            continue
        g = _group_metrics(tally[k + 1], hist[k + 1], edges, window)
        _fill_time_averages(g, cq_area[k], cb_area[k], area_b, area_p, area_o, window, sc)
        rows.append(g)
    values = np.array([[g[c] for c in COLUMNS] for g in rows], dtype=float)
    return values, hist[[0] + [k + 1 for k in plan.order]]


def group_labels(plan) -> list[str]:
    """The groups of every per-replication row set and summary: overall, then the classes in service order."""
    return ["overall"] + [plan.names[k] for k in plan.order]


def metrics_frame(plan, reps: list[tuple[int, np.ndarray]]) -> pd.DataFrame:
    """The per-replication table (`replication`, `cls`, then `COLUMNS`) of (rep, values) pairs, in order."""
    labels = group_labels(plan)
    if not reps:
        return pd.DataFrame(columns=["replication", "cls", *COLUMNS])
    frame = pd.DataFrame(np.concatenate([v for _, v in reps]), columns=list(COLUMNS))
    frame.insert(0, "cls", labels * len(reps))
    frame.insert(0, "replication", np.repeat(np.array([r for r, _ in reps], dtype=np.int64), len(labels)))
    return frame
