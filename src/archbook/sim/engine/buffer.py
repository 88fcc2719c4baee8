"""The job buffer of a streaming run (`record_jobs="summary"`, sim/stream.py).

A streaming run keeps its jobs in a circular buffer of B slots (B a power of two): the
job with arrival index g lives in slot g & (B - 1), and every per-job array (inputs and
state) is indexed by slot, so the handlers run unchanged. The loop pauses when it needs
an arrival not drawn yet; the caller then tallies the oldest half of the buffer, frees
it here (`recycle`) and draws the next jobs into it. A job still in the system cannot be
overwritten: then the buffer doubles (`remap`), so a long backlog costs memory only
while it lasts.

Freeing a slot must also drop what still names it: ring entries of jobs that abandoned
(deleted lazily, so they stay in the ring until reached) and abandonment events of jobs
served before their patience ran out (stale, left in the heap). Both would otherwise act
on the slot's next occupant.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from archbook.sim.engine.codes import EV_ABANDON, J_NEW, SHIFT
from archbook.sim.engine.heap import push
from archbook.sim.engine.loop import run
from archbook.sim.engine.state import HN, LASTC, start_workers

__all__ = ["begin", "resume", "finished", "recycle", "remap", "open_window"]


@njit(cache=True)
def begin(P, S, w_init, crash_seed):
    """The initial worker pool, as `run_replication` starts it."""
    if P.crash_mtbf > 0:
        np.random.seed(crash_seed)
    start_workers(P, S, w_init)


@njit(cache=True, nogil=True)
def resume(P, S):
    """Run until the replication ends or needs arrivals beyond `P.avail`; the state stays in S."""
    run(P, S)


@njit(cache=True)
def open_window(P, S):
    """The warm-up end t0 became known: start the integrals there. Until now the window was
    the empty [0, 0], so nothing was integrated, and every event so far came before t0."""
    S.time[LASTC] = P.t0
    A = S.areas
    for k in range(P.n_classes):
        A.cq_last[k] = P.t0
        A.cb_last[k] = P.t0


@njit(cache=True)
def finished(S, lo, hi):
    """Whether every job in slots [lo, hi) has its outcome (status set: done, failed,
    abandoned or refused), i.e. has left the system."""
    st = S.jobs.status
    for s in range(lo, hi):
        if st[s] < 0:
            return False
    return True


@njit(cache=True)
def recycle(P, S, lo, hi):
    """Free slots [lo, hi) of finished jobs for new ones: drop their stale ring entries and
    abandonment events, and reset their per-job state."""
    L = S.lines
    for level in range(P.n_levels):
        _compact_ring(L, level, lo, hi)
    _drop_abandons(S, lo, hi)
    J = S.jobs
    for s in range(lo, hi):
        J.end[s] = np.nan
        J.wait[s] = 0.0
        J.status[s] = -1
        J.restarts[s] = 0
        J.jstate[s] = J_NEW
        J.enq_t[s] = 0.0


@njit(cache=True)
def _compact_ring(L, level, lo, hi):
    """Remove the entries naming slots in [lo, hi) from one level's ring, keeping the order."""
    cap, off = L.cap[level], L.off[level]
    count = (L.tail[level] - L.head[level]) % cap
    src = dst = L.head[level]
    for _ in range(count):
        x = L.ring[off + src]
        src = src + 1 if src + 1 < cap else 0
        if lo <= x < hi:
            continue
        L.ring[off + dst] = x
        dst = dst + 1 if dst + 1 < cap else 0
    L.tail[level] = dst


@njit(cache=True)
def _drop_abandons(S, lo, hi):
    """Remove abandonment events of slots in [lo, hi) from the job-event heap and re-heapify."""
    ht, hk = S.ht, S.hk
    m = 0
    for x in range(S.count[HN]):
        kind = hk[x] // SHIFT
        ident = hk[x] - kind * SHIFT
        if kind == EV_ABANDON and lo <= ident < hi:
            continue
        ht[m] = ht[x]
        hk[m] = hk[x]
        m += 1
    for x in range(m):
        push(ht, hk, x, ht[x], hk[x])
    S.count[HN] = m


@njit(cache=True)
def _new_slot(s, first, old_mask, new_mask):
    """Slot of the job in old slot s in the doubled buffer (first = oldest arrival index held)."""
    g = first + ((s - first) & old_mask)
    return g & new_mask


@njit(cache=True)
def remap(P0, S0, P1, S1, first, hi):
    """Move every job with arrival index in [first, hi) (a full buffer) from P0/S0 into the
    larger P1/S1: per-job inputs and state, ring entries (order kept), abandonment events,
    and the jobs of busy workers. S1 shares the workers (and their event heap, which names
    no job), counts and clocks of S0."""
    om, nm = P0.mask, P1.mask
    J0, J1 = S0.jobs, S1.jobs
    for g in range(first, hi):
        a, b = g & om, g & nm
        P1.arr_t[b] = P0.arr_t[a]
        P1.lvl[b] = P0.lvl[a]
        P1.cls[b] = P0.cls[a]
        P1.svc[b] = P0.svc[a]
        P1.pre[b] = P0.pre[a]
        if P0.has_pat:
            P1.pat[b] = P0.pat[a]
        J1.end[b] = J0.end[a]
        J1.wait[b] = J0.wait[a]
        J1.status[b] = J0.status[a]
        J1.restarts[b] = J0.restarts[a]
        J1.jstate[b] = J0.jstate[a]
        J1.enq_t[b] = J0.enq_t[a]
    L0, L1 = S0.lines, S1.lines
    for level in range(P0.n_levels):
        count = (L0.tail[level] - L0.head[level]) % L0.cap[level]
        src = L0.head[level]
        for k in range(count):
            L1.ring[L1.off[level] + k] = _new_slot(L0.ring[L0.off[level] + src], first, om, nm)
            src = src + 1 if src + 1 < L0.cap[level] else 0
        L1.head[level] = 0
        L1.tail[level] = count
        L1.waiting[level] = L0.waiting[level]
    for x in range(S0.count[HN]):
        kind = S0.hk[x] // SHIFT
        ident = S0.hk[x] - kind * SHIFT
        if kind == EV_ABANDON:
            ident = _new_slot(ident, first, om, nm)
        push(S1.ht, S1.hk, x, S0.ht[x], kind * SHIFT + ident)
    W = S0.workers
    for w in range(W.job.shape[0]):
        if W.job[w] >= 0:
            W.job[w] = _new_slot(W.job[w], first, om, nm)
