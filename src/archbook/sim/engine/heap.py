"""A binary min-heap of (time, key) in two flat arrays, for the events of workers and
abandonments. Keys are `kind << 40 | id`, so at equal times the lower kind, then the
lower id, comes first: ties are deterministic."""
from __future__ import annotations

from numba import njit

from archbook.sim.engine.codes import (EV_ABANDON, EV_CRASH, EV_DONE, EV_ONLINE, J_WAITING, SHIFT, W_BUSY,
                                       W_RESTARTING, W_STARTING)

__all__ = ["push", "pop", "purge"]


@njit(cache=True, inline="always", _nrt=False)
def push(ht, hk, n, t, k):
    """Sift-up insert of (t, k) into the heap held in ht/hk[:n]; returns the new size."""
    i = n
    while i > 0:
        p = (i - 1) >> 1
        if ht[p] < t or (ht[p] == t and hk[p] <= k):
            break
        ht[i] = ht[p]
        hk[i] = hk[p]
        i = p
    ht[i] = t
    hk[i] = k
    return n + 1


@njit(cache=True, inline="always", _nrt=False)
def pop(ht, hk, n):
    """Remove the top; returns the new size (read the top before calling)."""
    n -= 1
    t = ht[n]
    k = hk[n]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= n:
            break
        r = c + 1
        if r < n and (ht[r] < ht[c] or (ht[r] == ht[c] and hk[r] < hk[c])):
            c = r
        if ht[c] < t or (ht[c] == t and hk[c] < k):
            ht[i] = ht[c]
            hk[i] = hk[c]
            i = c
        else:
            break
    ht[i] = t
    hk[i] = k
    return n


@njit(cache=True, _nrt=False)
def is_live(kind, ident, t, w_state, w_end, w_crash, jstate, restarts):
    """Whether a heap event still means something (superseded ones are left in place)."""
    if kind == EV_DONE:
        return w_state[ident] == W_BUSY and w_end[ident] == t
    if kind == EV_CRASH:
        return w_crash[ident] == t
    if kind == EV_ABANDON:
        return jstate[ident] == J_WAITING and restarts[ident] == 0
    if kind == EV_ONLINE:
        return w_state[ident] == W_STARTING
    return w_state[ident] == W_RESTARTING


@njit(cache=True, _nrt=False)
def purge(ht, hk, hn, w_state, w_end, w_crash, jstate, restarts):
    """Drop stale events and re-heapify in place; returns the new size.

    The heap is sized for every event that can be live at once (one per worker and kind,
    plus one per impatient waiting job), so after a purge there is always room. Purging in
    place instead of growing keeps the arrays fixed: reassigning arrays inside the hot loop
    makes numba reference-count them on every iteration (measured: 2.5x slower)."""
    m = 0
    for x in range(hn):
        kind = hk[x] // SHIFT
        if is_live(kind, hk[x] - kind * SHIFT, ht[x], w_state, w_end, w_crash, jstate, restarts):
            ht[m] = ht[x]
            hk[m] = hk[x]
            m += 1
    for x in range(m):  # re-insert one by one: O(m log m), and purges are rare
        push(ht, hk, x, ht[x], hk[x])
    if m == ht.shape[0]:
        raise RuntimeError("event heap overflow (internal error)")
    return m
