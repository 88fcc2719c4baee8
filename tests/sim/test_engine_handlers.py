"""Each compiled handler of the event loop on its own: a small state is built, one event is
handed to the handler, and what it changed is checked field by field."""
from __future__ import annotations

import numpy as np
import pytest

from archbook.sim.engine import codes as K
from archbook.sim.engine.handlers import (abandon, arrive, autoscale_check, come_online, complete, crash,
                                          serve_next)
from archbook.sim.engine.heap import pop, purge, push
from archbook.sim.engine.state import (BUSY, HN, HW, LAST_CHANGE, N_IDLE, ONLINE, PROV, Q, T_CHK, Params, new_state,
                                       start_workers)

INF = np.inf


def make(workers=1, arrivals=(0.0, 1.0, 2.0), svc=5.0, levels=None, capacity=-1, patience=None, pre=None,
         crash_mtbf=0.0, w_max=None, autoscale=False, **scale):
    """Params and a fresh State with `workers` idle workers; nothing has happened yet."""
    arr = np.asarray(arrivals, float)
    n = len(arr)
    lvl = np.zeros(n, np.int32) if levels is None else np.asarray(levels, np.int32)
    n_levels = int(lvl.max()) + 1
    pat = np.zeros(0) if patience is None else np.asarray(patience, float)
    P = Params(arr, lvl, lvl.copy(), np.full(n, svc), pat,
               np.zeros(n, np.int8) if pre is None else np.asarray(pre, np.int8),
               n_levels, n_levels, w_max or workers, capacity, autoscale, scale.get("a_min", 0),
               scale.get("a_max", w_max or workers), scale.get("a_target", 0.0), scale.get("a_interval", 1.0),
               scale.get("a_delay", 0.0), scale.get("a_cooldown", 0.0), crash_mtbf, 3.0, 0.0, 100.0, True,
               n_levels > 1, pat.shape[0] > 0)
    S = new_state(P, 0)
    start_workers(P, S, workers)
    return P, S


def heap_events(S):
    """Both heaps' events (job events, then worker events) as sorted (time, kind, id) triples."""
    out = []
    for times, keys, n in ((S.ht, S.hk, S.count[HN]), (S.wt, S.wk, S.count[HW])):
        keys = keys[:n]
        out += zip(times[:n].tolist(), (keys // K.SHIFT).tolist(), (keys % K.SHIFT).tolist())
    return sorted(out)


def test_worker_events_and_job_events_go_to_their_own_heaps():
    P, S = make(workers=2, crash_mtbf=100.0)
    assert S.count[HN] == 0 and S.count[HW] == 2  # each worker's first crash
    assert sorted(int(k // K.SHIFT) for k in S.wk[:2]) == [K.EV_CRASH, K.EV_CRASH]
    arrive(P, S, 0, 0.0, 0.0)
    assert S.count[HN] == 1 and S.hk[0] // K.SHIFT == K.EV_DONE and S.count[HW] == 2


def test_arrival_with_an_idle_worker_starts_service_at_once():
    P, S = make(workers=2)
    arrive(P, S, 0, 0.0, 0.0)
    w = S.workers.job.tolist().index(0)
    assert S.jobs.jstate[0] == K.J_SERVING and S.workers.state[w] == K.W_BUSY
    assert S.count[BUSY] == 1 and S.count[N_IDLE] == 1 and S.count[Q] == 0
    assert S.jobs.start[0] == 0.0 and S.jobs.wait[0] == 0.0
    assert heap_events(S) == [(5.0, K.EV_DONE, w)]
    assert (S.jobs.qlen_at[0], S.jobs.busy_at[0], S.jobs.online_at[0]) == (0, 0, 2)


def test_arrival_without_a_worker_queues_and_schedules_its_patience():
    P, S = make(workers=1, patience=(INF, 4.0, INF))
    arrive(P, S, 0, 0.0, 0.0)
    arrive(P, S, 1, 1.0, 1.0)
    assert S.count[Q] == 1 and S.jobs.jstate[1] == K.J_WAITING and S.lines.waiting[0] == 1
    assert S.lines.ring[S.lines.off[0] + S.lines.head[0]] == 1
    assert (5.0, K.EV_ABANDON, 1) in heap_events(S)
    assert S.jobs.ahead[1] == 0 and S.jobs.busy_at[1] == 1


def test_arrival_refused_by_rate_limit_or_full_queue():
    P, S = make(workers=1, capacity=1, pre=(0, 0, K.REJ_429, 0), arrivals=(0.0, 1.0, 2.0, 3.0))
    for j, t in enumerate((0.0, 1.0, 2.0, 3.0)):
        arrive(P, S, j, t, t)
    assert S.jobs.status[2] == K.REJ_429 and np.isnan(S.jobs.wait[2])
    assert S.jobs.status[3] == K.REJ_503 and np.isnan(S.jobs.wait[3])
    assert S.count[Q] == 1  # job 1 holds the one place


def test_completion_records_the_outcome_and_frees_the_worker():
    P, S = make(workers=1, pre=(K.FAILED, 0, 0))
    arrive(P, S, 0, 0.0, 0.0)
    assert complete(P, S, 0, 4.0, 4.0) == -1  # not its completion time: stale
    assert complete(P, S, 0, 5.0, 5.0) == 0
    assert S.jobs.status[0] == K.FAILED and S.jobs.end[0] == np.float32(5.0)
    assert S.count[BUSY] == 0 and S.workers.job[0] == -1


def test_completion_end_is_an_offset_from_arrival():
    P, S = make(workers=1, arrivals=(1000.25,))
    arrive(P, S, 0, 1000.25, 100.0)
    complete(P, S, 0, 1005.25, 100.0)
    assert S.jobs.end.dtype == np.float32 and S.jobs.end[0] == 5.0 and S.jobs.status[0] == K.DONE


def test_a_freed_worker_serves_the_highest_level_first_then_idles():
    P, S = make(workers=1, arrivals=(0.0, 1.0, 2.0), levels=(1, 1, 0))
    for j, t in enumerate((0.0, 1.0, 2.0)):
        arrive(P, S, j, t, t)
    assert S.jobs.ahead[2] == 0 and S.jobs.ahead[1] == 0 and S.count[Q] == 2
    w = complete(P, S, 0, 5.0, 5.0)
    serve_next(P, S, w, 5.0, 5.0)
    assert S.workers.job[0] == 2 and S.jobs.wait[2] == 3.0 and S.jobs.start[2] == 3.0
    assert S.count[Q] == 1
    serve_next(P, S, complete(P, S, 0, 10.0, 10.0), 10.0, 10.0)
    serve_next(P, S, complete(P, S, 0, 15.0, 15.0), 15.0, 15.0)
    assert S.count[N_IDLE] == 1 and S.workers.state[0] == K.W_IDLE and S.jobs.wait[1] == 9.0


def test_abandonment_leaves_the_queue_and_is_skipped_when_reached():
    P, S = make(workers=1, patience=(INF, 2.0, INF))
    for j, t in enumerate((0.0, 1.0, 2.0)):
        arrive(P, S, j, t, t)
    abandon(P, S, 1, 3.0, 3.0)
    assert S.jobs.status[1] == K.ABANDONED and S.jobs.wait[1] == 2.0 and S.count[Q] == 1
    serve_next(P, S, complete(P, S, 0, 5.0, 5.0), 5.0, 5.0)
    assert S.workers.job[0] == 2  # job 1's ring entry was dropped lazily
    abandon(P, S, 2, 6.0, 6.0)  # already served: nothing happens
    assert S.jobs.status[2] == -1 and S.jobs.jstate[2] == K.J_SERVING


def test_crash_requeues_its_job_at_the_head_and_restarts_the_worker():
    P, S = make(workers=1, crash_mtbf=1e9)
    for j, t in enumerate((0.0, 1.0)):
        arrive(P, S, j, t, t)
    t_crash = S.workers.crash[0]
    assert crash(P, S, 0, t_crash - 1.0, 2.0) == -1  # not its crash time: stale
    assert crash(P, S, 0, t_crash, 2.0) == -1  # no idle worker takes the requeued job
    assert S.workers.state[0] == K.W_RESTARTING and S.count[ONLINE] == 0 and S.count[BUSY] == 0
    assert S.jobs.restarts[0] == 1 and S.jobs.jstate[0] == K.J_WAITING and S.count[Q] == 2
    assert S.lines.ring[S.lines.off[0] + S.lines.head[0]] == 0  # back at the head, ahead of job 1
    assert (t_crash + 3.0, K.EV_RESTART, 0) in heap_events(S)


def test_coming_online_draws_the_next_crash_and_frees_the_worker():
    P, S = make(workers=0, w_max=2, crash_mtbf=10.0)
    S.workers.state[1] = K.W_STARTING
    assert come_online(P, S, 1, 7.0, K.EV_RESTART) == -1  # it was starting, not restarting
    assert come_online(P, S, 1, 7.0, K.EV_ONLINE) == 1
    assert S.workers.state[1] == K.W_IDLE and S.count[ONLINE] == 1 and S.workers.crash[1] > 7.0
    assert heap_events(S) == [(S.workers.crash[1], K.EV_CRASH, 1)]


def test_autoscaling_scales_up_with_delay_and_down_after_cooldown():
    P, S = make(workers=1, w_max=4, autoscale=True, a_min=1, a_max=4, a_target=0.0, a_delay=30.0,
                a_cooldown=60.0, arrivals=(0.0, 0.0, 0.0))
    for j in range(3):
        arrive(P, S, j, 0.0, 0.0)
    autoscale_check(P, S, 10.0)  # 1 busy + 2 waiting: need 3
    assert S.count[PROV] == 3 and list(S.workers.state[1:3]) == [K.W_STARTING] * 2
    assert [e[:2] for e in heap_events(S) if e[1] == K.EV_ONLINE] == [(40.0, K.EV_ONLINE)] * 2
    assert S.time[LAST_CHANGE] == 10.0 and S.time[T_CHK] == 11.0
    for w in (1, 2):
        serve_next(P, S, come_online(P, S, w, 40.0, K.EV_ONLINE), 40.0, 40.0)
    for w, t in ((0, 45.0), (1, 45.0), (2, 45.0)):
        serve_next(P, S, complete(P, S, w, t, t), t, t)
    autoscale_check(P, S, 50.0)  # need 1, but the last change was 40 s ago
    assert S.count[PROV] == 3
    autoscale_check(P, S, 70.0)
    assert S.count[PROV] == 1 and S.count[N_IDLE] == 1


def test_heap_orders_ties_by_kind_then_id_and_purge_drops_stale_events():
    ht, hk = np.empty(8), np.empty(8, np.int64)
    n = 0
    for t, kind, ident in ((2.0, K.EV_CRASH, 0), (1.0, K.EV_ABANDON, 3), (1.0, K.EV_DONE, 5), (1.0, K.EV_DONE, 1)):
        n = push(ht, hk, n, t, kind * K.SHIFT + ident)
    order = []
    while n:
        order.append((ht[0], int(hk[0] // K.SHIFT), int(hk[0] % K.SHIFT)))
        n = pop(ht, hk, n)
    assert order == [(1.0, K.EV_DONE, 1), (1.0, K.EV_DONE, 5), (1.0, K.EV_ABANDON, 3), (2.0, K.EV_CRASH, 0)]
    P, S = make(workers=1, patience=(INF, 9.0, INF))
    arrive(P, S, 0, 0.0, 0.0)
    arrive(P, S, 1, 1.0, 1.0)
    serve_next(P, S, complete(P, S, 0, 5.0, 5.0), 5.0, 5.0)  # job 1 served: its abandonment is stale
    W, J = S.workers, S.jobs
    m = purge(S.ht, S.hk, S.count[HN], W.state, W.end, W.crash, J.jstate, J.restarts)
    S.count[HN] = m
    assert heap_events(S) == [(10.0, K.EV_DONE, 0)]


@pytest.mark.parametrize("restarts", [0, 32767])
def test_restarts_saturate_instead_of_wrapping(restarts):
    P, S = make(workers=1, crash_mtbf=1e9, arrivals=(0.0,))
    arrive(P, S, 0, 0.0, 0.0)
    S.jobs.restarts[0] = restarts
    crash(P, S, 0, S.workers.crash[0], 0.0)
    assert S.jobs.restarts[0] == min(restarts + 1, K.RESTARTS_MAX)
