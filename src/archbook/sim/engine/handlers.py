"""One compiled handler per event kind: arrival, completion, abandonment, crash, a worker
coming online (after a cold start or a restart), the autoscaling check; plus the step a
freed worker takes, `serve_next`. Each reads the replication's `Params`, updates its
`State` in place, and returns, where the event frees a worker, that worker (else -1), so
the loop can hand it the next job.

`tc` is the event time clipped to the measured window: per-class areas are integrated
lazily, when that class's count changes. OOM retries are no event here: whether a job
fails, and the service it takes with its retries, are drawn before the loop (policies.py),
so `complete` only records the outcome.

The handlers of events that come once per job are inlined into the loop; the rare ones
(crash, coming online, scaling) are ordinary calls.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from archbook.sim.engine.codes import (ABANDONED, DONE, EV_ABANDON, EV_CRASH, EV_DONE, EV_ONLINE, EV_RESTART,
                                       FAILED, INF, J_GONE, J_SERVING, J_WAITING, REJ_429, REJ_503,
                                       RESTARTS_MAX, W_BUSY, W_IDLE, W_OFF, W_RESTARTING, W_STARTING)
from archbook.sim.engine.state import (BUSY, LAST_CHANGE, N_IDLE, NEXT, ONLINE, PROV, Q, T_CHK, drawn, pending,
                                       schedule)

__all__ = ["arrive", "complete", "abandon", "crash", "come_online", "autoscale_check", "serve_next"]


@njit(cache=True, inline="always", _nrt=False)
def class_queue(P, S, c, tc, delta):
    """Close class c's waiting area up to tc, then change its count."""
    if P.multi:
        A = S.areas
        A.cq_area[c] += A.cq[c] * (tc - A.cq_last[c])
        A.cq_last[c] = tc
        A.cq[c] += delta


@njit(cache=True, inline="always", _nrt=False)
def class_busy(P, S, c, tc, delta):
    """Close class c's busy area up to tc, then change its count."""
    if P.multi:
        A = S.areas
        A.cb_area[c] += A.cb[c] * (tc - A.cb_last[c])
        A.cb_last[c] = tc
        A.cb[c] += delta


@njit(cache=True, inline="always", _nrt=False)
def start_service(P, S, j, w, t, tc):
    """Worker w starts job j; its completion goes in the heap. A restarted job keeps its first start."""
    J, W = S.jobs, S.workers
    J.jstate[j] = J_SERVING
    if P.rec and J.restarts[j] == 0:
        J.start[j] = t - P.arr_t[j]
    W.state[w] = W_BUSY
    W.job[w] = j
    e = t + P.svc[j]
    W.end[w] = e
    schedule(S, e, EV_DONE, w)
    S.count[BUSY] += 1
    class_busy(P, S, P.cls[j], tc, 1)


@njit(cache=True, inline="always", _nrt=False)
def snapshot(P, S, j, lv):
    """What the arriving job sees: jobs ahead of it (its level and higher), queue, busy, online."""
    J, c = S.jobs, S.count
    a = 0
    for level in range(lv + 1):
        a += S.lines.waiting[level]
    J.ahead[j] = a
    J.qlen_at[j] = c[Q]
    J.busy_at[j] = c[BUSY]
    J.online_at[j] = c[ONLINE]


@njit(cache=True, inline="always", _nrt=False)
def enqueue(P, S, j, lv, tc):
    """Job j joins the tail of its level."""
    L = S.lines
    L.ring[L.off[lv] + L.tail[lv]] = j
    L.tail[lv] = L.tail[lv] + 1 if L.tail[lv] + 1 < L.cap[lv] else 0
    L.waiting[lv] += 1
    S.count[Q] += 1
    S.jobs.jstate[j] = J_WAITING
    class_queue(P, S, P.cls[j], tc, 1)


@njit(cache=True, inline="always", _nrt=False)
def arrive(P, S, j, t, tc):
    """Refused by the rate limit, served at once (idle workers imply an empty queue), refused
    because the queue is full, or queued (with its patience in the heap)."""
    J, c = S.jobs, S.count
    if P.rec:
        snapshot(P, S, j, P.lvl[j])
    if P.pre[j] == REJ_429:
        J.status[j] = REJ_429
        J.wait[j] = np.nan
        return
    J.enq_t[j] = t
    if c[N_IDLE] > 0:
        c[N_IDLE] -= 1
        start_service(P, S, j, S.workers.idle[c[N_IDLE]], t, tc)
    elif P.capacity >= 0 and c[Q] >= P.capacity:
        J.status[j] = REJ_503
        J.wait[j] = np.nan
    else:
        enqueue(P, S, j, P.lvl[j], tc)
        if P.has_pat and P.pat[j] < INF:
            schedule(S, t + P.pat[j], EV_ABANDON, j)


@njit(cache=True, inline="always", _nrt=False)
def complete(P, S, w, t, tc):
    """Worker w finishes its job (done, or failed after its OOM retries); returns w, or -1
    when the completion is stale because the worker crashed during that service."""
    J, W = S.jobs, S.workers
    if W.state[w] != W_BUSY or W.end[w] != t:
        return -1
    j = W.job[w]
    J.end[j] = t - P.arr_t[j]
    J.status[j] = FAILED if P.pre[j] == FAILED else DONE
    J.jstate[j] = J_GONE
    S.count[BUSY] -= 1
    class_busy(P, S, P.cls[j], tc, -1)
    W.state[w] = W_IDLE
    W.job[w] = -1
    return w


@njit(cache=True, inline="always", _nrt=False)
def abandon(P, S, j, t, tc):
    """Job j's patience ran out while waiting: it leaves. Its ring entry stays and is skipped
    when reached (lazy deletion). A job requeued after a crash no longer abandons."""
    J = S.jobs
    if J.jstate[j] != J_WAITING or J.restarts[j] > 0:
        return
    J.jstate[j] = J_GONE
    S.lines.waiting[P.lvl[j]] -= 1
    S.count[Q] -= 1
    class_queue(P, S, P.cls[j], tc, -1)
    J.wait[j] += t - J.enq_t[j]
    J.end[j] = t - P.arr_t[j]
    J.status[j] = ABANDONED


@njit(cache=True, _nrt=False)
def requeue_front(P, S, j, t, tc):
    """A job whose worker crashed goes back to the head of its level; its service restarts."""
    J, L = S.jobs, S.lines
    lv = P.lvl[j]
    L.head[lv] = L.head[lv] - 1 if L.head[lv] > 0 else L.cap[lv] - 1
    L.ring[L.off[lv] + L.head[lv]] = j
    L.waiting[lv] += 1
    S.count[Q] += 1
    J.jstate[j] = J_WAITING
    if J.restarts[j] < RESTARTS_MAX:
        J.restarts[j] += 1
    J.enq_t[j] = t
    class_queue(P, S, P.cls[j], tc, 1)


@njit(cache=True, _nrt=False)
def drop_idle(S, w):
    """Take worker w off the idle stack (it crashed while idle)."""
    W, c = S.workers, S.count
    for x in range(c[N_IDLE]):
        if W.idle[x] == w:
            W.idle[x] = W.idle[c[N_IDLE] - 1]
            c[N_IDLE] -= 1
            return


@njit(cache=True, _nrt=False)
def crash(P, S, w, t, tc):
    """Worker w crashes: its job (if any) is requeued, the worker restarts after `restart_s`.
    Returns an idle worker to take the requeued job at once, else -1."""
    W, c = S.workers, S.count
    if W.crash[w] != t or (W.state[w] != W_IDLE and W.state[w] != W_BUSY):
        return -1  # stale: the worker was removed or restarted since
    if W.state[w] == W_BUSY:
        j = W.job[w]
        c[BUSY] -= 1
        class_busy(P, S, P.cls[j], tc, -1)
        W.end[w] = -1.0  # its pending completion is now stale
        W.job[w] = -1
        requeue_front(P, S, j, t, tc)
    else:
        drop_idle(S, w)
    c[ONLINE] -= 1
    W.state[w] = W_RESTARTING
    W.crash[w] = -1.0
    schedule(S, t + P.restart_s, EV_RESTART, w)
    if c[Q] > 0 and c[N_IDLE] > 0:
        c[N_IDLE] -= 1
        return W.idle[c[N_IDLE]]
    return -1


@njit(cache=True, _nrt=False)
def come_online(P, S, w, t, kind):
    """Worker w finishes its cold start (EV_ONLINE) or its restart (EV_RESTART) and can serve;
    its next crash is drawn now. Returns w, or -1 if the event is stale."""
    W = S.workers
    if W.state[w] != (W_STARTING if kind == EV_ONLINE else W_RESTARTING):
        return -1
    W.state[w] = W_IDLE
    S.count[ONLINE] += 1
    if P.crash_mtbf > 0:
        W.crash[w] = t + np.random.exponential(P.crash_mtbf)
        schedule(S, W.crash[w], EV_CRASH, w)
    return w


@njit(cache=True, _nrt=False)
def autoscale_check(P, S, t):
    """Scale towards ceil((busy + queue) / (1 + target)) within [min, max]: new workers come
    online after `scale_up_delay_s`; idle ones are removed, at most once per cooldown."""
    c, T = S.count, S.time
    need = np.int64(np.ceil((c[BUSY] + c[Q]) / (1.0 + P.a_target)))
    need = min(max(need, P.a_min), P.a_max)
    if need > c[PROV]:
        scale_up(P, S, t, need)
        T[LAST_CHANGE] = t
    elif need < c[PROV] and t - T[LAST_CHANGE] >= P.a_cooldown:
        if scale_down(S, c[PROV] - need) > 0:
            T[LAST_CHANGE] = t
    T[T_CHK] = t + P.a_interval
    if c[NEXT] >= drawn(P.avail, P.arr_t) and not pending(P.more) and c[Q] == 0 and c[BUSY] == 0:
        T[T_CHK] = INF  # nothing left to scale for


@njit(cache=True, _nrt=False)
def scale_up(P, S, t, need):
    """Start the lowest-numbered off workers until `need` are provisioned."""
    W, c = S.workers, S.count
    for w in range(P.w_max):
        if c[PROV] >= need:
            break
        if W.state[w] == W_OFF:
            W.state[w] = W_STARTING
            c[PROV] += 1
            schedule(S, t + P.a_delay, EV_ONLINE, w)


@njit(cache=True, _nrt=False)
def scale_down(S, excess):
    """Switch off up to `excess` idle workers (busy ones finish first); returns how many."""
    W, c = S.workers, S.count
    r = min(excess, c[N_IDLE])
    for _ in range(r):
        c[N_IDLE] -= 1
        w = W.idle[c[N_IDLE]]
        W.state[w] = W_OFF
        W.crash[w] = -1.0
        c[PROV] -= 1
        c[ONLINE] -= 1
    return r


@njit(cache=True, inline="always", _nrt=False)
def dequeue(P, S):
    """The next waiting job in service order (highest level first, FIFO inside), or -1.
    Entries of jobs that abandoned are dropped here, when reached."""
    L, J = S.lines, S.jobs
    for level in range(P.n_levels):
        while L.waiting[level] > 0:
            x = L.ring[L.off[level] + L.head[level]]
            L.head[level] = L.head[level] + 1 if L.head[level] + 1 < L.cap[level] else 0
            if J.jstate[x] == J_WAITING:
                L.waiting[level] -= 1
                return x
    return -1


@njit(cache=True, inline="always", _nrt=False)
def serve_next(P, S, w, t, tc):
    """A free worker takes the next job, or goes back on the idle stack."""
    j = dequeue(P, S)
    c = S.count
    if j < 0:
        S.workers.state[w] = W_IDLE
        S.workers.idle[c[N_IDLE]] = w
        c[N_IDLE] += 1
        return
    c[Q] -= 1
    class_queue(P, S, P.cls[j], tc, -1)
    S.jobs.wait[j] += t - S.jobs.enq_t[j]
    start_service(P, S, j, w, t, tc)
