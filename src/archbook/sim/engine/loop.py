"""The event loop: find the next event, integrate the state up to it, hand it to its handler.

Events and deterministic ties. Arrivals are read from their sorted array by index and
autoscaling checks from a single clock; everything else (service completions, workers
coming online, restarts, crashes, abandonments) sits in one binary min-heap keyed by
(time, kind << 40 | id), in two heaps read as one. At equal times the heap goes first, then the autoscaling
check, then the arrival; inside the heap the lower kind, then the lower id, wins.

Speed tricks, each on purpose:
- variates are pre-drawn in numpy, so the loop does no random-number work except for
  crash times (drawn with numba's own generator, seeded per replication);
- the heaps hold only future events: completions and abandonments in one (size ~ busy
  workers when nobody is impatient), crashes, restarts and cold starts in the other
  (state.schedule says why), never the arrivals;
- waiting lines are per-priority-level ring buffers in one flat array; FIFO is one level;
- abandoned jobs are deleted lazily (left in the ring and skipped when reached), and a
  superseded completion or crash is recognised as stale when popped, instead of
  searching the heap;
- time averages are integrated incrementally (area += count * dt) instead of sampling;
- the handlers of per-job events are inlined into the loop (numba `inline="always"`) and
  the loop runs without reference counting (state.py says why), so splitting it into
  handlers costs nothing: bench/bench_sim.py compares it with a hand-written
  single-function M/M/c loop.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from archbook.sim.engine.codes import EV_ABANDON, EV_ARRIVAL, EV_CHECK, EV_CRASH, EV_DONE, EV_STOP, INF, SHIFT
from archbook.sim.engine.handlers import abandon, arrive, autoscale_check, come_online, complete, crash, serve_next
from archbook.sim.engine.heap import pop
from archbook.sim.engine.state import (AREA_B, AREA_O, AREA_P, AREA_Q, BUSY, HN, HW, LASTC, NEXT, ONLINE, PROV, Q,
                                       T_CHK, TL_N, TL_NEXT, TL_STEP, Params, drawn, new_state, pending, slot,
                                       start_workers)

__all__ = ["run_replication"]


@njit(cache=True, inline="always", _nrt=False)
def next_event(P, S):
    """(kind, id, time) of the next event, or EV_STOP when nothing is left to happen (or, in
    a streaming run, when the next arrival is still to be drawn). An arrival's id is its job slot:
    its index in the replication, masked to the job buffer of a streaming run (stream.py;
    no mask otherwise)."""
    c = S.count
    i = c[NEXT]
    n = drawn(P.avail, P.arr_t)
    # streaming: stop too when the next arrival is not drawn yet (stream.py draws it, then resumes)
    if i >= n and (pending(P.more) or (c[Q] == 0 and c[BUSY] == 0)):
        return EV_STOP, np.int64(0), 0.0
    ta = P.arr_t[slot(i, P.mask)] if i < n else INF
    th = S.ht[0] if c[HN] > 0 else INF
    workers_first = c[HW] > 0 and (c[HN] == 0 or S.wt[0] < th or (S.wt[0] == th and S.wk[0] < S.hk[0]))
    if workers_first:
        th = S.wt[0]
    tchk = S.time[T_CHK]
    if th == INF and ta == INF and tchk == INF:
        return EV_STOP, np.int64(0), 0.0
    if th <= ta and th <= tchk:
        if workers_first:
            key = S.wk[0]
            c[HW] = pop(S.wt, S.wk, c[HW])
        else:
            key = S.hk[0]
            c[HN] = pop(S.ht, S.hk, c[HN])
        kind = key // SHIFT
        return kind, key - kind * SHIFT, th
    if tchk <= ta:
        return EV_CHECK, np.int64(0), tchk
    c[NEXT] = i + 1
    return EV_ARRIVAL, np.int64(slot(i, P.mask)), ta


@njit(cache=True, inline="always", _nrt=False)
def sample_timeline(S, until):
    """Record the state that held up to `until` at every fixed timeline step passed."""
    c, T, tl = S.count, S.time, S.tl
    while T[TL_NEXT] <= until and c[TL_N] < tl.shape[0]:
        k = c[TL_N]
        tl[k, 0] = T[TL_NEXT]
        tl[k, 1] = c[Q]
        tl[k, 2] = c[BUSY]
        tl[k, 3] = c[PROV]
        c[TL_N] = k + 1
        T[TL_NEXT] += T[TL_STEP]


@njit(cache=True, inline="always", _nrt=False)
def advance_clock(P, S, t):
    """Integrate the state that held over [last event, t), clipped to the window; returns t clipped."""
    c, T = S.count, S.time
    tc = min(max(t, P.t0), P.t1)
    d = tc - T[LASTC]
    T[LASTC] = tc
    if d > 0:
        T[AREA_Q] += c[Q] * d
        T[AREA_B] += c[BUSY] * d
        T[AREA_P] += c[PROV] * d
        T[AREA_O] += c[ONLINE] * d
    sample_timeline(S, t)
    return tc


@njit(cache=True, inline="always", _nrt=False)
def handle(P, S, kind, ident, t, tc):
    """Dispatch one event; a worker freed by it takes the next job."""
    if kind == EV_ARRIVAL:
        arrive(P, S, ident, t, tc)
        return
    if kind == EV_DONE:
        w = complete(P, S, ident, t, tc)
    elif kind == EV_ABANDON:
        abandon(P, S, ident, t, tc)
        return
    elif kind == EV_CHECK:
        autoscale_check(P, S, t)
        return
    elif kind == EV_CRASH:
        w = crash(P, S, ident, t, tc)
    else:
        w = come_online(P, S, ident, t, kind)
    if w >= 0:
        serve_next(P, S, w, t, tc)


@njit(cache=True, _nrt=False)
def run(P, S):
    """Process events until none is left (or, streaming, until more arrivals must be drawn)."""
    while True:
        kind, ident, t = next_event(P, S)
        if kind == EV_STOP:
            break
        handle(P, S, kind, ident, t, advance_clock(P, S, t))


@njit(cache=True)
def close_window(P, S):
    """Flush every integral to the end of the window; returns (totals, class queue area, class busy area)."""
    c, T, A = S.count, S.time, S.areas
    d = P.t1 - T[LASTC]
    T[AREA_Q] += c[Q] * d
    T[AREA_B] += c[BUSY] * d
    T[AREA_P] += c[PROV] * d
    T[AREA_O] += c[ONLINE] * d
    sample_timeline(S, P.t1)
    for k in range(P.n_classes):
        A.cq_area[k] += A.cq[k] * (P.t1 - A.cq_last[k])
        A.cb_area[k] += A.cb[k] * (P.t1 - A.cb_last[k])
    if not P.multi:  # one class: its areas are the overall ones, never tracked separately (~20 % faster)
        A.cq_area[0] = T[AREA_Q]
        A.cb_area[0] = T[AREA_B]
    return np.array([T[AREA_Q], T[AREA_B], T[AREA_P], T[AREA_O]]), A.cq_area, A.cb_area


@njit(cache=True, nogil=True)  # releases the GIL: the next replication is drawn meanwhile (run.py)
def run_replication(arr_t, lvl, cls, svc, pat, pre, n_levels, n_classes,
                    w_init, w_max, autoscale, a_min, a_max, a_target, a_interval, a_delay, a_cooldown,
                    capacity, crash_mtbf, restart_s, crash_seed, t0, t1, tl_cap, rec):
    """Simulate one replication. Times are absolute seconds; [t0, t1] is the measured window.

    Returns (start, end, wait, status, ahead, qlen_at, busy_at, online_at, restarts,
    totals[area_queue, area_busy, area_provisioned, area_online], class_queue_area,
    class_busy_area, timeline[t, queue, busy, workers][:k]); start and end are float32
    offsets from each job's arrival (state.py). Without `rec` (no per-job records wanted)
    start/ahead/qlen_at/busy_at/online_at are left out (length 1)."""
    P = Params(arr_t, lvl, cls, svc, pat, pre, n_levels, n_classes, w_max, capacity,
               autoscale, a_min, a_max, a_target, a_interval, a_delay, a_cooldown,
               crash_mtbf, restart_s, t0, t1, rec, n_classes > 1, pat.shape[0] > 0,
               None, None, None)  # the defaults, spelt out: numba ignores namedtuple defaults
    S = new_state(P, tl_cap)
    if crash_mtbf > 0:
        np.random.seed(crash_seed)
    start_workers(P, S, w_init)
    run(P, S)
    totals, cq_area, cb_area = close_window(P, S)
    J = S.jobs
    return (J.start, J.end, J.wait, J.status, J.ahead, J.qlen_at, J.busy_at, J.online_at, J.restarts,
            totals, cq_area, cb_area, S.tl[:S.count[TL_N]].copy())
