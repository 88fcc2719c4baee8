"""What the handlers share: the replication's inputs (`Params`) and its mutable state
(`State`), as small typed tuples of arrays.

Why the loop and its handlers are compiled with `_nrt=False` (numba's reference counting
off): by default numba counts a reference to every array in a tuple each time the tuple
is handed to a function, inlined or not, with an atomic add each way. Measured here:
passing a 30-array tuple costs 190 ns per call, and the split loop ran at 1.7 M jobs/s
instead of 21 M/s. Nothing in the loop allocates or keeps an array, and `run_replication`
owns every array for the whole run, so the counts are not needed there.

Scalars that change (queue length, busy workers, the clock's integrals) live in two small
arrays, `State.count` (int64) and `State.time` (float64), indexed by the names below, so
that a handler can update them in place without returning them.

Per-job records are the outputs, kept compact (48 B a job with the arrival, class and
service the records add; see records.py): start and end are float32 offsets from the
job's arrival (relative error 6e-8, so 0.6 ms on a job that takes three hours; absolute
times in float32 would lose 0.06 s at 1e6 s), restarts are int16, and the busy and online
worker counts at arrival int16 (at most 10,000 workers, guards.py). The wait stays float64:
every metric is computed from it.
"""
from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit, types
from numba.extending import overload

from archbook.sim.engine.codes import EV_ABANDON, EV_CRASH, EV_DONE, INF, SHIFT, W_IDLE
from archbook.sim.engine.heap import purge, push

__all__ = ["Params", "State", "Jobs", "Lines", "drawn", "slot", "pending", "new_state", "make_state", "new_jobs", "stream_lines",
           "schedule", "Q", "BUSY", "PROV", "ONLINE", "N_IDLE", "HN", "NEXT", "TL_N", "HW", "AREA_Q", "AREA_B",
           "AREA_P", "AREA_O", "LASTC", "T_CHK", "LAST_CHANGE", "TL_NEXT", "TL_STEP"]

Params = namedtuple("Params", (
    "arr_t", "lvl", "cls", "svc", "pat", "pre",           # per-job inputs, drawn beforehand
    "n_levels", "n_classes", "w_max", "capacity",          # shape of the queue
    "autoscale", "a_min", "a_max", "a_target", "a_interval", "a_delay", "a_cooldown",
    "crash_mtbf", "restart_s", "t0", "t1", "rec", "multi", "has_pat",
    "avail", "mask", "more"),  # streaming (stream.py): arrivals drawn so far, slot = index & mask, more to come
    defaults=(None, None, None))  # a full run: every arrival drawn (avail = len(arr_t)), slot = index

Jobs = namedtuple("Jobs", ("start", "end", "wait", "status", "ahead", "qlen_at", "busy_at", "online_at",
                           "restarts", "jstate", "enq_t"))
Lines = namedtuple("Lines", ("ring", "off", "cap", "head", "tail", "waiting"))  # per-level ring buffers
Workers = namedtuple("Workers", ("state", "job", "end", "crash", "idle"))
ClassAreas = namedtuple("ClassAreas", ("cq", "cq_area", "cq_last", "cb", "cb_area", "cb_last"))
State = namedtuple("State", ("jobs", "lines", "workers", "areas", "ht", "hk", "wt", "wk", "count", "time", "tl"))

# State.count: queue length, busy / provisioned / online workers, idle-stack size, size of the
# job-event heap, index of the next arrival, timeline rows written, size of the worker-event heap
Q, BUSY, PROV, ONLINE, N_IDLE, HN, NEXT, TL_N, HW = range(9)
# State.time: integrals over the window, the clipped time of the last event, the next
# autoscaling check, the last scaling change, the next timeline sample and its step
AREA_Q, AREA_B, AREA_P, AREA_O, LASTC, T_CHK, LAST_CHANGE, TL_NEXT, TL_STEP = range(9)


def slot(i, mask):
    """The job slot of arrival i: i itself in a full run (mask None), i & mask when streaming."""
    return i if mask is None else i & mask


def pending(more):
    """Whether arrivals remain to be drawn: never in a full run (more None)."""
    return bool(more)


@overload(pending, inline="always")
def _pending(more):
    """A full run compiles the pause away: its loop is the loop from before streaming."""
    if isinstance(more, types.NoneType):
        return lambda more: False
    return lambda more: more


def drawn(avail, arr_t):
    """How many arrivals the loop may read: all of arr_t in a full run (avail None)."""
    return arr_t.shape[0] if avail is None else avail


@overload(drawn, inline="always")
def _drawn(avail, arr_t):
    if isinstance(avail, types.NoneType):
        return lambda avail, arr_t: arr_t.shape[0]
    return lambda avail, arr_t: avail


@overload(slot, inline="always")
def _slot(i, mask):
    """Chosen by the type of `mask` when compiling, so a full run's loop has no masking at
    all (measured: the mask cost 3-4 % of the loop's speed)."""
    if isinstance(mask, types.NoneType):
        return lambda i, mask: i
    return lambda i, mask: i & mask


@njit(cache=True)
def new_jobs(n, rec):
    """Outputs and per-job state; without `rec` the per-arrival snapshots are left out (length 1)."""
    nr = n if rec else 1
    return Jobs(np.full(nr, np.nan, np.float32), np.full(n, np.nan, np.float32), np.zeros(n),
                np.full(n, -1, np.int8), np.zeros(nr, np.int32), np.zeros(nr, np.int32),
                np.zeros(nr, np.int16), np.zeros(nr, np.int16), np.zeros(n, np.int16),
                np.zeros(n, np.int8), np.zeros(n))


@njit(cache=True)
def new_lines(lvl, n_levels):
    """One ring per priority level in a flat array; a level never holds more than its job count."""
    cap = np.ones(n_levels, np.int64)
    for j in range(lvl.shape[0]):
        cap[lvl[j]] += 1
    off = np.zeros(n_levels, np.int64)
    for level in range(1, n_levels):
        off[level] = off[level - 1] + cap[level - 1]
    ring = np.empty(int(cap.sum()), np.int32)  # job ids; int32 halves its memory traffic
    z = np.zeros(n_levels, np.int64)
    return Lines(ring, off, cap, z.copy(), z.copy(), z.copy())


@njit(cache=True)
def stream_lines(n_levels, cap):
    """Rings of `cap` entries per level: a streaming run's buffer (cap = slots + 1) bounds them."""
    off = np.arange(n_levels) * np.int64(cap)
    z = np.zeros(n_levels, np.int64)
    return Lines(np.empty(n_levels * cap, np.int32), off, np.full(n_levels, cap, np.int64), z.copy(), z.copy(),
                 z.copy())


@njit(cache=True)
def heap_size(P):
    """Room for every event that can be live at once: per worker one of each kind, per impatient job one."""
    impatient = 0
    if P.has_pat:
        for j in range(P.pat.shape[0]):
            if P.pat[j] < INF:
                impatient += 1
    return 64 + P.w_max + impatient


@njit(cache=True)
def new_state(P, tl_cap):
    """Everything empty, no worker yet; `start_workers` brings the initial pool up."""
    return make_state(P, tl_cap, new_lines(P.lvl, P.n_levels), heap_size(P))


@njit(cache=True)
def make_state(P, tl_cap, lines, size):
    """`new_state` with the waiting lines and the heap size given (a streaming run sizes
    them for its job buffer, not for the jobs it happens to hold first)."""
    n = P.arr_t.shape[0]
    k = P.n_classes
    areas = ClassAreas(np.zeros(k, np.int64), np.zeros(k), np.full(k, P.t0),
                       np.zeros(k, np.int64), np.zeros(k), np.full(k, P.t0))
    workers = Workers(np.zeros(P.w_max, np.int8), np.full(P.w_max, -1, np.int64), np.full(P.w_max, -1.0),
                      np.full(P.w_max, -1.0), np.empty(P.w_max, np.int64))
    time = np.zeros(9)
    time[LASTC] = P.t0
    time[T_CHK] = 0.0 if P.autoscale else INF
    time[LAST_CHANGE] = -INF
    time[TL_STEP] = P.t1 / tl_cap if tl_cap > 0 else INF
    time[TL_NEXT] = 0.0 if tl_cap > 0 else INF
    w_size = 64 + 3 * P.w_max  # per worker: its crash, plus a cold start or a restart
    return State(new_jobs(n, P.rec), lines, workers, areas,
                 np.empty(size, np.float64), np.empty(size, np.int64),
                 np.empty(w_size, np.float64), np.empty(w_size, np.int64), np.zeros(9, np.int64), time,
                 np.zeros((tl_cap, 4)))


@njit(cache=True, inline="always", _nrt=False)
def schedule(S, t, kind, ident):
    """Put a future event in its heap, purging stale ones first if it is full.

    Two heaps: completions and abandonments (once per job) in one, the workers' crashes,
    restarts and cold starts (rare) in the other. In one heap, every worker's pending
    crash sat there all the time and made each completion's push and pop sift through
    more levels: a quarter of the video-editor loop's time. The loop takes the smaller
    (time, key) of the two tops, the order one merged heap would give."""
    W, J, c = S.workers, S.jobs, S.count
    if kind == EV_DONE or kind == EV_ABANDON:
        if c[HN] == S.ht.shape[0]:
            c[HN] = purge(S.ht, S.hk, c[HN], W.state, W.end, W.crash, J.jstate, J.restarts)
        c[HN] = push(S.ht, S.hk, c[HN], t, kind * SHIFT + ident)
    else:
        if c[HW] == S.wt.shape[0]:
            c[HW] = purge(S.wt, S.wk, c[HW], W.state, W.end, W.crash, J.jstate, J.restarts)
        c[HW] = push(S.wt, S.wk, c[HW], t, kind * SHIFT + ident)


@njit(cache=True, _nrt=False)
def start_workers(P, S, w_init):
    """The initial pool, idle; worker 0 ends on top of the idle stack. Crash times come from
    numba's own generator, seeded per replication by the caller."""
    W, c = S.workers, S.count
    for w in range(w_init - 1, -1, -1):
        W.state[w] = W_IDLE
        W.idle[c[N_IDLE]] = w
        c[N_IDLE] += 1
        c[PROV] += 1
        c[ONLINE] += 1
        if P.crash_mtbf > 0:
            W.crash[w] = np.random.exponential(P.crash_mtbf)
            schedule(S, W.crash[w], EV_CRASH, w)
