"""Admission decided before the loop: which requests a per-user rate limit refuses (HTTP 429).

Only admitted requests count towards a user's limit, and admission depends on arrival
times alone, so it is decided for the whole replication in one pass before the event
loop runs."""
from __future__ import annotations

import numpy as np
from numba import njit

from archbook.sim.engine.codes import INF

__all__ = ["rate_limit_mask", "rate_limit_state", "rate_limit_continue"]


@njit(cache=True)
def rate_limit_mask(times, users, n_users, requests, window, sliding):
    """True where a request exceeds its user's limit (HTTP 429).

    Sliding log: admitted if fewer than `requests` admitted in (t - window, t]; a ring of
    the user's last `requests` admission times answers that in O(1). Fixed window:
    counts reset at multiples of `window`. Only admitted requests count."""
    return rate_limit_continue(times, users, requests, window, sliding, *rate_limit_state(n_users, requests))


@njit(cache=True)
def rate_limit_state(n_users, requests):
    """Every user's admission history, empty: (ring, pos) of the sliding log, (win, cnt) of
    the fixed window. A streaming run carries it from one chunk of arrivals to the next."""
    ring = np.full((n_users, requests), -INF)
    pos = np.zeros(n_users, np.int64)
    win = np.full(n_users, -1, np.int64)
    cnt = np.zeros(n_users, np.int64)
    return ring, pos, win, cnt


@njit(cache=True)
def rate_limit_continue(times, users, requests, window, sliding, ring, pos, win, cnt):
    """`rate_limit_mask` for the next requests, given (and updating) the users' history."""
    n = times.shape[0]
    out = np.zeros(n, np.bool_)
    if sliding:
        for j in range(n):
            u = users[j]
            p = pos[u]
            if times[j] - ring[u, p] >= window:  # the oldest of the last `requests` has left
                ring[u, p] = times[j]
                pos[u] = p + 1 if p + 1 < requests else 0
            else:
                out[j] = True
    else:
        for j in range(n):
            u = users[j]
            w = np.int64(times[j] // window)
            if w != win[u]:
                win[u] = w
                cnt[u] = 0
            if cnt[u] < requests:
                cnt[u] += 1
            else:
                out[j] = True
    return out
