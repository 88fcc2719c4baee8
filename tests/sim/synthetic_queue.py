"""A tiny, independent M/M/c (optionally non-preemptive priority) simulator for tests.

It produces the `SimResult.jobs` columns so the analysis code can be tested
without the production engine, and against a second implementation.
"""
from __future__ import annotations

import heapq

import numpy as np
import pandas as pd


def mmc_jobs(lam=3.0, mu=1.0, c=4, n=4000, reps=2, classes=(("normal", 1, 1.0),), seed=0,
             service="exponential") -> pd.DataFrame:
    """classes: (name, priority, share). Lower priority number is served first.
    service: "exponential" or "deterministic" (M/D/c), mean 1/mu either way."""
    rng = np.random.default_rng(seed)
    names = [k[0] for k in classes]
    prios = np.array([k[1] for k in classes])
    shares = np.array([k[2] for k in classes], float)
    rows = []
    kind = service
    for r in range(reps):
        t = 0.0
        free_at = [0.0] * c  # heap of worker free times
        waiting: list = []  # (priority, seq, arrival, service, job)
        arrivals = np.cumsum(rng.exponential(1 / lam, n))
        service = rng.exponential(1 / mu, n) if kind == "exponential" else np.full(n, 1 / mu)
        cls = rng.choice(len(classes), size=n, p=shares / shares.sum())
        # event loop: departures in a heap; jobs start when a worker frees
        busy: list = []  # heap of (end, job)
        start = np.zeros(n)
        qlen_at = np.zeros(n, int)
        ahead_at = np.zeros(n, int)
        busy_at = np.zeros(n, int)
        for j in range(n):
            t = arrivals[j]
            while busy and busy[0][0] <= t:
                end, _ = heapq.heappop(busy)
                if waiting:
                    _, _, _, s, k = heapq.heappop(waiting)
                    start[k] = end
                    heapq.heappush(busy, (end + s, k))
            qlen_at[j] = len(waiting)
            busy_at[j] = len(busy)
            p = prios[cls[j]]
            ahead_at[j] = sum(1 for w in waiting if w[0] <= p)
            if len(busy) < c:
                start[j] = t
                heapq.heappush(busy, (t + service[j], j))
            else:
                heapq.heappush(waiting, (p, j, t, service[j], j))
        while waiting:
            end, _ = heapq.heappop(busy)
            _, _, _, s, k = heapq.heappop(waiting)
            start[k] = end
            heapq.heappush(busy, (end + s, k))
        del free_at
        rows.append(pd.DataFrame({
            "replication": r, "job": np.arange(n), "cls": [names[i] for i in cls], "priority": prios[cls],
            "arrival_s": arrivals, "start_s": start, "end_s": start + service, "wait_s": start - arrivals,
            "service_s": service, "status": "done", "retries": 0, "queue_ahead": ahead_at,
            "queue_length_at_arrival": qlen_at, "busy_at_arrival": busy_at, "workers_at_arrival": c,
        }))
    return pd.concat(rows, ignore_index=True)
