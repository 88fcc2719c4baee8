"""Score the `estimatedWaitTime` the API could return against simulated actual waits.

POST /api/generate-video answers with `estimatedWaitTime` and `queuePosition`.
What the server knows at that moment is what `SimResult.jobs` records at each
arrival: the queue length, the jobs ahead of this one in service order
(`queue_ahead`), the busy and online workers. Each estimator below maps those
to seconds; it is fitted on one replication (train) and scored on the others,
so a calibrated estimator cannot grade its own homework.

Estimators:
- ``naive``: queuePosition x mean service / workers, with queuePosition the
  whole queue + 1 -- the formula the seed implies.
- ``position``: class-aware position (`queue_ahead`), zero when a worker is idle,
  and the first departure after a busy worker's *residual* service
  (E[S^2] / 2E[S]) instead of a full service.
- ``priority``: ``position`` inflated by 1/(1 - rho_higher): while a job waits,
  higher-priority arrivals keep cutting in front (the Cobham argument).
- ``regression``: per class, non-negative least squares of the actual wait on
  the ``priority`` features, fitted on the training replication.
- ``schedule``: a virtual schedule of what the server sees -- each busy worker's
  expected remaining time given how long its job has run, the classes queued
  ahead -- dealt greedily to the earliest-free worker (see `schedule_estimate`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from archbook.errors import ArchbookError

__all__ = [
    "ESTIMATORS", "ClassStats", "fit_stats", "estimate_waits", "score_estimators",
    "recommend_estimator", "estimator_errors", "score_estimates",
]

_SCORED = ("done", "failed")  # jobs whose actual wait is known (abandoned jobs are censored)
_NEEDED = ("replication", "cls", "priority", "arrival_s", "wait_s", "service_s", "status",
           "queue_ahead", "queue_length_at_arrival", "busy_at_arrival", "workers_at_arrival")


@dataclass(frozen=True)
class ClassStats:
    """What a server could know from history: per-class rate and service moments."""

    mean_service_s: float  # all classes
    residual_s: float  # all classes: E[S^2] / (2 E[S])
    per_class: pd.DataFrame  # index cls: priority, rate_per_s, mean_s, residual_s


def fit_stats(train: pd.DataFrame) -> ClassStats:
    """Estimate service moments and arrival rates from the training jobs."""
    done = train[train["status"].isin(_SCORED) & train["service_s"].notna()]
    if done.empty:
        raise ArchbookError("no completed jobs in the training replication to calibrate the estimators")
    span = max(float(train["arrival_s"].max() - train["arrival_s"].min()), 1e-9)
    s = done["service_s"]
    grp = done.groupby("cls")["service_s"]
    per = pd.DataFrame({
        "priority": train.groupby("cls")["priority"].first(),
        "rate_per_s": train[train["status"].isin(_SCORED)].groupby("cls").size() / span,
        "mean_s": grp.mean(),
        "residual_s": grp.apply(lambda x: (x**2).mean() / (2 * x.mean())),
    })
    return ClassStats(float(s.mean()), float((s**2).mean() / (2 * s.mean())), per)


def _features(jobs: pd.DataFrame, st: ClassStats) -> pd.DataFrame:
    """Per-job quantities known at arrival, shared by the estimators."""
    c = np.maximum(jobs["workers_at_arrival"].to_numpy(float), 1.0)
    idle = np.maximum(jobs["workers_at_arrival"].to_numpy(float) - jobs["busy_at_arrival"].to_numpy(float), 0)
    ahead = jobs["queue_ahead"].to_numpy(float)
    waits = (idle <= 0) | (ahead >= idle)  # a free worker means the job starts at once
    per = st.per_class
    load = (per["rate_per_s"] * per["mean_s"]).fillna(0.0)
    by_priority = {p: float(load[per["priority"] < p].sum()) for p in per["priority"].unique()}
    higher_load = jobs["priority"].map(by_priority).fillna(0.0).to_numpy(float)
    rho_h = np.clip(higher_load / c, 0.0, 0.95)
    return pd.DataFrame({
        "c": c, "waits": waits, "ahead": ahead, "rho_h": rho_h,
        "qlen": jobs["queue_length_at_arrival"].to_numpy(float),
    }, index=jobs.index)


def _naive(f: pd.DataFrame, st: ClassStats, fit=None) -> np.ndarray:
    return (f["qlen"] + 1) * st.mean_service_s / f["c"]


def _position(f: pd.DataFrame, st: ClassStats, fit=None) -> np.ndarray:
    base = (st.residual_s + f["ahead"] * st.mean_service_s) / f["c"]
    return np.where(f["waits"], base, 0.0)


def _priority(f: pd.DataFrame, st: ClassStats, fit=None) -> np.ndarray:
    return _position(f, st) / (1.0 - f["rho_h"])


def _regression_design(f: pd.DataFrame, st: ClassStats) -> np.ndarray:
    inflate = 1.0 / (1.0 - f["rho_h"].to_numpy())
    return np.column_stack([inflate / f["c"], f["ahead"] * inflate / f["c"]])


def _fit_regression(train_f: pd.DataFrame, train: pd.DataFrame, st: ClassStats) -> dict:
    """Per class: wait ~ a/c' + b*ahead/c' on jobs that found every worker busy (NNLS)."""
    coefs = {}
    pooled = (st.residual_s, st.mean_service_s)
    for cls, idx in train_f[train_f["waits"]].groupby(train.loc[train_f.index, "cls"]).groups.items():
        X = _regression_design(train_f.loc[idx], st)
        y = train.loc[idx, "wait_s"].to_numpy(float)
        coefs[cls] = tuple(nnls(X, y)[0]) if len(y) >= 20 else pooled
    coefs["__pooled__"] = pooled
    return coefs


def _regression(f: pd.DataFrame, st: ClassStats, fit=None) -> np.ndarray:
    X = _regression_design(f, st)
    cls = f["cls"].to_numpy()
    coef = np.array([fit.get(k, fit["__pooled__"]) for k in cls]).reshape(-1, 2)
    return np.where(f["waits"], (X * coef).sum(axis=1), 0.0)


def _schedule(f: pd.DataFrame, st: ClassStats, fit=None) -> np.ndarray:
    return f["schedule"].to_numpy(float)  # computed on the whole replay in estimate_waits


ESTIMATORS: dict[str, Callable] = {
    "naive": _naive, "position": _position, "priority": _priority, "regression": _regression,
    "schedule": _schedule,
}


def _split(jobs: pd.DataFrame, train_replication: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train on one replication, score on the rest; one replication -> halves in arrival order."""
    missing = [c for c in _NEEDED if c not in jobs.columns]
    if missing:
        raise ArchbookError(f"jobs table lacks column(s) {missing}; use simulate(..., record_jobs=True).jobs")
    reps = np.sort(jobs["replication"].unique())
    if len(reps) >= 2:
        tr = reps[0] if train_replication is None else train_replication
        if tr not in reps:
            raise ArchbookError(f"train_replication={tr} not among replications {list(reps)}")
        return jobs[jobs["replication"] == tr], jobs[jobs["replication"] != tr]
    order = jobs.sort_values("arrival_s", kind="stable")
    half = len(order) // 2
    return order.iloc[:half], order.iloc[half:]


def estimate_waits(jobs: pd.DataFrame, names: Iterable[str] | None = None, *,
                   train_replication: int | None = None) -> pd.DataFrame:
    """Scored jobs (not the training ones) with `actual_s` and one `est_<name>` column each."""
    names = list(names or ESTIMATORS)
    unknown = [n for n in names if n not in ESTIMATORS]
    if unknown:
        raise ArchbookError(f"unknown estimator(s) {unknown}; choose from {sorted(ESTIMATORS)}")
    train, test = _split(jobs, train_replication)
    st = fit_stats(train)
    train_f = _features(train, st)
    fit = _fit_regression(train_f, train, st) if "regression" in names else None
    sched = _schedule_column(jobs, train, st) if "schedule" in names else None
    test = test[test["status"].isin(_SCORED) & test["wait_s"].notna()]
    f = _features(test, st).assign(cls=test["cls"].to_numpy())
    if sched is not None:
        f["schedule"] = sched.loc[test.index].to_numpy()
    out = pd.DataFrame({"cls": test["cls"], "priority": test["priority"], "actual_s": test["wait_s"]})
    for n in names:
        out[f"est_{n}"] = np.asarray(ESTIMATORS[n](f, st, fit), dtype=float)
    return out


def _schedule_column(jobs: pd.DataFrame, train: pd.DataFrame, st: ClassStats) -> pd.Series:
    """Replay every replication (training rows too: the state at a test arrival may
    depend on jobs that arrived earlier); only test rows are scored."""
    from archbook.sim.schedule_estimate import schedule_estimates

    per = st.per_class.copy()
    for name, prio in jobs.groupby("cls", observed=True)["priority"].first().items():
        if name not in per.index:  # a class never seen in training: pooled figures
            per.loc[name] = {"priority": prio, "rate_per_s": 0.0, "mean_s": st.mean_service_s,
                             "residual_s": st.residual_s}
    return schedule_estimates(jobs, train, per)


def estimator_errors(est: pd.DataFrame) -> pd.DataFrame:
    """Long table (estimator, cls, actual_s, estimate_s, error_s) for charts."""
    names = [c[4:] for c in est.columns if c.startswith("est_")]
    parts = [pd.DataFrame({"estimator": n, "cls": est["cls"].to_numpy(), "actual_s": est["actual_s"].to_numpy(),
                           "estimate_s": est[f"est_{n}"].to_numpy()}) for n in names]
    long = pd.concat(parts, ignore_index=True)
    long["error_s"] = long["estimate_s"] - long["actual_s"]
    return long


def _metrics(actual: np.ndarray, estimate: np.ndarray, min_wait_s: float) -> dict:
    err = estimate - actual
    waited = actual >= min_wait_s
    ape = np.abs(err[waited]) / actual[waited]
    nan = float("nan")
    return {
        "n_jobs": int(actual.size), "n_waited": int(waited.sum()),
        "mape_waited": float(ape.mean()) if ape.size else nan,
        "mdape_waited": float(np.median(ape)) if ape.size else nan,
        "mae_s": float(np.abs(err).mean()),
        "p50_abs_error_s": float(np.quantile(np.abs(err), 0.5)),
        "p90_abs_error_s": float(np.quantile(np.abs(err), 0.9)),
        "mean_wait_waited_s": float(actual[waited].mean()) if waited.any() else nan,
        "mae_waited_s": float(np.abs(err[waited]).mean()) if waited.any() else nan,
        "p90_abs_error_waited_s": float(np.quantile(np.abs(err[waited]), 0.9)) if waited.any() else nan,
        "bias_s": float(err.mean()),
        "bias_waited_s": float(err[waited].mean()) if waited.any() else nan,
        "under_share_waited": float((err[waited] < 0).mean()) if waited.any() else nan,
    }


def score_estimators(jobs: pd.DataFrame, names: Iterable[str] | None = None, *,
                     train_replication: int | None = None, min_wait_s: float = 1.0,
                     by_class: bool = True) -> pd.DataFrame:
    """Error distribution per estimator (and per class): MAPE on jobs that waited >= min_wait_s,
    p90 absolute error, bias. Rows indexed by (estimator, cls) with cls "overall" first."""
    est = estimate_waits(jobs, names, train_replication=train_replication)
    return score_estimates(est, min_wait_s=min_wait_s, by_class=by_class)


def score_estimates(est: pd.DataFrame, *, min_wait_s: float = 1.0, by_class: bool = True) -> pd.DataFrame:
    """`score_estimators` for estimates already made by `estimate_waits` (reuse them for charts)."""
    if est.empty:
        raise ArchbookError("no completed jobs outside the training replication to score")
    rows = []
    groups = [("overall", est)] + (list(est.groupby("cls", sort=True, observed=True)) if by_class else [])
    for n in [c[4:] for c in est.columns if c.startswith("est_")]:
        for cls, g in groups:
            m = _metrics(g["actual_s"].to_numpy(float), g[f"est_{n}"].to_numpy(float), min_wait_s)
            rows.append({"estimator": n, "cls": str(cls), **m})
    return pd.DataFrame(rows).set_index(["estimator", "cls"])


def recommend_estimator(scores: pd.DataFrame, *, max_bias: float = 0.10) -> str:
    """Smallest overall p90 absolute error on jobs that waited, among estimators whose bias
    there is within `max_bias` of the mean wait (all of them if none is); ties: |bias|.

    Jobs that start at once barely read the estimate; the users who wait notice the
    big misses, and a biased estimator misleads every one of them the same way.
    """
    ov = scores.xs("overall", level="cls").copy()
    ov["abs_bias"] = ov["bias_waited_s"].abs()
    fair = ov[ov["abs_bias"] <= max_bias * ov["mean_wait_waited_s"]]
    ranked = (fair if not fair.empty else ov).sort_values(["p90_abs_error_waited_s", "abs_bias"], kind="stable")
    return str(ranked.index[0])
