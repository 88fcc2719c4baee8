"""The `schedule` wait estimator: replay what the server could see at each POST.

At a job's arrival the API knows which jobs are running, since when, and of what
class, and the classes of the jobs queued ahead. The first busy worker frees after
E[min_i R_i], where R_i is worker i's remaining time given how long its job has
already run (from the training replication's service times of that class): the
integral of prod_i P(R_i > x) -- the soonest of c random residuals comes much
earlier than the smallest of their means. Each of the `queue_ahead` jobs then
takes the mean service of the classes waiting ahead, spread over the c workers;
an idle worker means no wait. Higher-priority jobs that arrive meanwhile cut in, hence the 1 / (1 - rho_higher)
factor. The run state is rebuilt from the per-job records (arrival, start, end).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

__all__ = ["schedule_estimates", "residual_tables"]

# event kinds, in tie-break order at equal times: a worker frees before a new job is
# seen, and a job is seen (estimated) before it starts
_END, _ARRIVE, _START, _LEAVE = 0, 1, 2, 3


def residual_tables(train: pd.DataFrame, classes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per class: sorted training service times, packed in one array with offsets."""
    parts, offs = [], [0]
    for name in classes:
        s = np.sort(train.loc[(train["cls"] == name) & train["service_s"].notna(), "service_s"].to_numpy(float))
        if s.size == 0:
            s = np.sort(train["service_s"].dropna().to_numpy(float))
        parts.append(s)
        offs.append(offs[-1] + s.size)
    samples = np.concatenate(parts) if parts else np.zeros(0)
    return samples, np.asarray(offs, np.int64)


@njit(cache=True)
def _replay(ev_t, ev_kind, ev_job, cls, prio, start, ahead, online, mean_k, prio_k, inflate_k,
            samples, offs, n_classes, h):
    """Walk the events in order; at each arrival, estimate that job's wait. `start` is
    read only for jobs already in service, i.e. a time in the past of the estimate."""
    n = cls.shape[0]
    est = np.full(n, np.nan)
    serving = np.empty(n, np.int64)  # compact list of jobs in service (swap-remove)
    slot = np.full(n, -1, np.int64)
    n_serv = 0
    waiting = np.zeros(n_classes, np.int64)
    for e in range(ev_t.shape[0]):
        t, kind, j = ev_t[e], ev_kind[e], ev_job[e]
        if kind == _END:
            s = slot[j]
            if s >= 0:
                last = serving[n_serv - 1]
                serving[s] = last
                slot[last] = s
                slot[j] = -1
                n_serv -= 1
        elif kind == _ARRIVE:
            est[j] = _estimate(t, j, cls, prio, start, ahead, online, serving, n_serv, waiting,
                               mean_k, prio_k, inflate_k, samples, offs, n_classes, h)
            waiting[cls[j]] += 1
        elif kind == _START:
            waiting[cls[j]] -= 1
            slot[j] = n_serv
            serving[n_serv] = j
            n_serv += 1
        else:  # left the queue without service (abandoned)
            waiting[cls[j]] -= 1
    return est


@njit(cache=True)
def _survival(samples, offs, k, age, x):
    """P(S > age + x | S > age) for class k, from its sorted samples."""
    a, b = offs[k], offs[k + 1]
    alive = b - (a + np.searchsorted(samples[a:b], age, side="right"))
    if alive <= 0:
        return 0.0
    left = b - (a + np.searchsorted(samples[a:b], age + x, side="right"))
    return left / alive


@njit(cache=True)
def _first_departure(t, start, cls, serving, n_serv, samples, offs, h):
    """E[min_i R_i] = integral of prod_i P(R_i > x) dx: the expected time until the first
    busy worker frees (the min of the residuals, not the min of their means)."""
    total, x = 0.0, 0.0
    for _ in range(100_000):
        p = 1.0
        for i in range(n_serv):
            q = serving[i]
            p *= _survival(samples, offs, cls[q], t - start[q], x + 0.5 * h)
            if p < 1e-4:
                break
        if p < 1e-4:
            break
        total += p * h
        x += h
    return total


@njit(cache=True)
def _estimate(t, j, cls, prio, start, ahead, online, serving, n_serv, waiting,
              mean_k, prio_k, inflate_k, samples, offs, n_classes, h):
    c = max(online[j], 1)
    if n_serv < c and ahead[j] < c - n_serv:
        return 0.0  # a worker is free for this job right away
    num, den = 0.0, 0
    for k in range(n_classes):
        if prio_k[k] <= prio[j]:
            num += waiting[k] * mean_k[k]
            den += waiting[k]
    step = num / den if den > 0 else mean_k[cls[j]]
    first = _first_departure(t, start, cls, serving, n_serv, samples, offs, h)
    return (first + ahead[j] * step / c) * inflate_k[cls[j]]


def _events(rep: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(time, kind, row) for one replication, sorted by time then kind."""
    n = len(rep)
    rows = np.arange(n)
    status = rep["status"].astype(str).to_numpy()
    admitted = ~np.isin(status, ("rejected_429", "rejected_503"))
    start = rep["start_s"].to_numpy(float)
    started = admitted & np.isfinite(start)
    left = admitted & ~started
    arr = rep["arrival_s"].to_numpy(float)
    t = np.concatenate([rep["end_s"].to_numpy(float)[started], arr[admitted], start[started],
                        (arr + rep["wait_s"].to_numpy(float))[left]])
    kind = np.concatenate([np.full(started.sum(), _END), np.full(admitted.sum(), _ARRIVE),
                           np.full(started.sum(), _START), np.full(left.sum(), _LEAVE)])
    job = np.concatenate([rows[started], rows[admitted], rows[started], rows[left]])
    order = np.lexsort((kind, t))
    return t[order], kind[order].astype(np.int64), job[order].astype(np.int64)


def schedule_estimates(jobs: pd.DataFrame, train: pd.DataFrame, per_class: pd.DataFrame) -> pd.Series:
    """The `schedule` estimate for every admitted job in `jobs` (all replications).

    `per_class` holds the training statistics (priority, rate_per_s, mean_s) by class.
    """
    classes = list(per_class.index)
    code = {name: i for i, name in enumerate(classes)}
    samples, offs = residual_tables(train, classes)
    mean_k = per_class["mean_s"].fillna(per_class["mean_s"].mean()).to_numpy(float)
    h = float(np.nanmean(mean_k)) / 50.0  # integration step: 2 % of a mean service
    prio_k = per_class["priority"].to_numpy(np.int64)
    out = pd.Series(np.nan, index=jobs.index)
    for _, rep in jobs.groupby("replication", sort=True):
        rep = rep.sort_values("arrival_s", kind="stable")
        c_mean = max(float(rep["workers_at_arrival"].mean()), 1.0)
        load = (per_class["rate_per_s"] * per_class["mean_s"]).fillna(0.0).to_numpy(float)
        higher = np.array([load[prio_k < p].sum() for p in prio_k])
        inflate_k = 1.0 / (1.0 - np.clip(higher / c_mean, 0.0, 0.95))
        ev_t, ev_kind, ev_job = _events(rep)
        est = _replay(ev_t, ev_kind, ev_job, rep["cls"].astype(str).map(code).to_numpy(np.int64),
                      rep["priority"].to_numpy(np.int64), rep["start_s"].to_numpy(float),
                      rep["queue_ahead"].to_numpy(np.int64), rep["workers_at_arrival"].to_numpy(np.int64),
                      mean_k, prio_k, inflate_k, samples, offs, len(classes), h)
        out.loc[rep.index] = est
    return out

