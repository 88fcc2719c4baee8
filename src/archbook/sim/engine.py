"""The compiled event loop: one replication of the job queue.

Inputs are flat arrays drawn beforehand (arrival times, classes, service and patience
times, pre-decided 429s and OOM failures); outputs are flat per-job arrays plus
time-integrated totals. Nothing here allocates per event or touches Python objects.

Events and deterministic ties. Arrivals are read from their sorted array by index and
autoscaling checks from a single clock; everything else (service completions, workers
coming online, restarts, crashes, abandonments) sits in one binary min-heap keyed by
(time, kind << 40 | id). At equal times the heap goes first, then the autoscaling
check, then the arrival; inside the heap the lower kind, then the lower id, wins.

Speed tricks, each on purpose:
- variates are pre-drawn in numpy, so the loop does no random-number work except for
  crash times (drawn with numba's own generator, seeded per replication);
- the heap holds only future events of workers and abandonments (size ~ workers when
  nobody is impatient), never the arrivals;
- waiting lines are per-priority-level ring buffers in one flat array; FIFO is one level;
- abandoned jobs are deleted lazily (left in the ring and skipped when reached), and a
  superseded completion or crash is recognised as stale when popped, instead of
  searching the heap;
- time averages are integrated incrementally (area += count * dt) instead of sampling.
"""
from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["run_replication", "DONE", "REJ_429", "REJ_503", "ABANDONED", "FAILED", "STATUS_NAMES",
           "rate_limit_mask"]

# job status codes (also used as pre-decisions: REJ_429 = refused before queueing,
# FAILED = will fail after its service because every OOM retry failed)
DONE, REJ_429, REJ_503, ABANDONED, FAILED = 0, 1, 2, 3, 4
STATUS_NAMES = ("done", "rejected_429", "rejected_503", "abandoned", "failed")

# heap event kinds; the order is the tie-break at equal times
EV_DONE, EV_ONLINE, EV_RESTART, EV_CRASH, EV_ABANDON = 0, 1, 2, 3, 4
SHIFT = np.int64(1) << np.int64(40)

# worker states
W_OFF, W_STARTING, W_IDLE, W_BUSY, W_RESTARTING = 0, 1, 2, 3, 4
# job states
J_NEW, J_WAITING, J_SERVING, J_GONE = 0, 1, 2, 3

INF = np.inf


@njit(cache=True, inline="always")
def _push(ht, hk, n, t, k):
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


@njit(cache=True, inline="always")
def _pop(ht, hk, n):
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


@njit(cache=True, inline="always")
def _sample_timeline(tl, tl_n, tl_next, tl_step, tl_cap, until, q, busy, prov):
    """Record the state that held up to `until` at every fixed timeline step passed; returns the cursor."""
    while tl_next <= until and tl_n < tl_cap:
        tl[tl_n, 0] = tl_next
        tl[tl_n, 1] = q
        tl[tl_n, 2] = busy
        tl[tl_n, 3] = prov
        tl_n += 1
        tl_next += tl_step
    return tl_n, tl_next


@njit(cache=True)
def _purge(ht, hk, hn, w_state, w_end, w_crash, jstate, restarts):
    """Drop stale events and re-heapify in place; returns the new size.

    The heap is sized for every event that can be live at once (one per worker and kind,
    plus one per impatient waiting job), so after a purge there is always room. Purging in
    place instead of growing keeps the arrays fixed: reassigning arrays inside the hot loop
    makes numba reference-count them on every iteration (measured: 2.5x slower)."""
    m = 0
    for x in range(hn):
        t = ht[x]
        k = hk[x]
        kind = k // SHIFT
        ident = k - kind * SHIFT
        if kind == EV_DONE:
            live = w_state[ident] == W_BUSY and w_end[ident] == t
        elif kind == EV_CRASH:
            live = w_crash[ident] == t
        elif kind == EV_ABANDON:
            live = jstate[ident] == J_WAITING and restarts[ident] == 0
        elif kind == EV_ONLINE:
            live = w_state[ident] == W_STARTING
        else:
            live = w_state[ident] == W_RESTARTING
        if live:
            ht[m] = t
            hk[m] = k
            m += 1
    for x in range(m):  # re-insert one by one: O(m log m), and purges are rare
        t = ht[x]
        k = hk[x]
        _push(ht, hk, x, t, k)
    if m == ht.shape[0]:
        raise RuntimeError("event heap overflow (internal error)")
    return m


@njit(cache=True)
def rate_limit_mask(times, users, n_users, requests, window, sliding):
    """True where a request exceeds its user's limit (HTTP 429).

    Sliding log: admitted if fewer than `requests` admitted in (t - window, t]; a ring of
    the user's last `requests` admission times answers that in O(1). Fixed window:
    counts reset at multiples of `window`. Only admitted requests count."""
    n = times.shape[0]
    out = np.zeros(n, np.bool_)
    if sliding:
        ring = np.full((n_users, requests), -INF)
        pos = np.zeros(n_users, np.int64)
        for j in range(n):
            u = users[j]
            p = pos[u]
            if times[j] - ring[u, p] >= window:  # the oldest of the last `requests` has left
                ring[u, p] = times[j]
                pos[u] = p + 1 if p + 1 < requests else 0
            else:
                out[j] = True
    else:
        win = np.full(n_users, -1, np.int64)
        cnt = np.zeros(n_users, np.int64)
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


@njit(cache=True)
def run_replication(arr_t, lvl, cls, svc, pat, pre, n_levels, n_classes,
                    w_init, w_max, autoscale, a_min, a_max, a_target, a_interval, a_delay, a_cooldown,
                    capacity, crash_mtbf, restart_s, crash_seed, t0, t1, tl_cap, rec):
    """Simulate one replication. Times are absolute seconds; [t0, t1] is the measured window.

    Returns (start, end, wait, status, ahead, qlen_at, busy_at, online_at, restarts,
    totals[area_queue, area_busy, area_provisioned, area_online], class_queue_area,
    class_busy_area, timeline[t, queue, busy, workers][:k]). Without `rec` (no per-job
    records wanted) start/ahead/qlen_at/busy_at/online_at are left out (length 1): less
    memory to fault in and fewer stores per job (~15 % faster)."""
    n = arr_t.shape[0]
    nr = n if rec else 1
    start = np.full(nr, np.nan)
    end = np.full(n, np.nan)
    wait = np.zeros(n)
    status = np.full(n, -1, np.int8)
    ahead = np.zeros(nr, np.int32)
    qlen_at = np.zeros(nr, np.int32)
    busy_at = np.zeros(nr, np.int32)
    online_at = np.zeros(nr, np.int32)
    restarts = np.zeros(n, np.int32)
    jstate = np.zeros(n, np.int8)
    enq_t = np.zeros(n)

    # per-level ring buffers in one flat array; a level never holds more than its job count
    counts = np.zeros(n_levels, np.int64)
    for j in range(n):
        counts[lvl[j]] += 1
    cap = counts + 1
    off = np.zeros(n_levels, np.int64)
    for l in range(1, n_levels):
        off[l] = off[l - 1] + cap[l - 1]
    ring = np.empty(int(cap.sum()), np.int32)  # job ids; int32 halves its memory traffic
    head = np.zeros(n_levels, np.int64)
    tail = np.zeros(n_levels, np.int64)
    waiting = np.zeros(n_levels, np.int64)  # logical count (abandoned ones excluded)
    q = 0

    # per-class lazily integrated areas (updated only when that class's count changes)
    multi = n_classes > 1  # one class: its areas are the overall ones, skip the per-class bookkeeping (~20 %)
    cq = np.zeros(n_classes, np.int64)
    cq_area = np.zeros(n_classes)
    cq_last = np.full(n_classes, t0)  # stored clipped to [t0, t1]
    cb = np.zeros(n_classes, np.int64)
    cb_area = np.zeros(n_classes)
    cb_last = np.full(n_classes, t0)

    # workers
    w_state = np.zeros(w_max, np.int8)
    w_job = np.full(w_max, -1, np.int64)
    w_end = np.full(w_max, -1.0)
    w_crash = np.full(w_max, -1.0)
    idle = np.empty(w_max, np.int64)  # stack of idle workers (LIFO: deterministic, cache-warm)
    n_idle = 0
    busy = 0
    prov = 0  # provisioned: starting + idle + busy + restarting (what is paid for)
    online = 0  # idle + busy

    # room for every event that can be live at once (see _purge)
    impatient = 0
    has_pat = pat.shape[0] > 0  # empty: nobody abandons
    if has_pat:
        for j in range(n):
            if pat[j] < INF:
                impatient += 1
    hsize = 64 + 4 * w_max + impatient
    ht = np.empty(hsize, np.float64)
    hk = np.empty(hsize, np.int64)
    hn = 0

    if crash_mtbf > 0:
        np.random.seed(crash_seed)

    for w in range(w_init - 1, -1, -1):  # worker 0 ends on top of the idle stack
        w_state[w] = W_IDLE
        idle[n_idle] = w
        n_idle += 1
        prov += 1
        online += 1
        if crash_mtbf > 0:
            w_crash[w] = np.random.exponential(crash_mtbf)
            if hn == ht.shape[0]:
                hn = _purge(ht, hk, hn, w_state, w_end, w_crash, jstate, restarts)
            hn = _push(ht, hk, hn, w_crash[w], EV_CRASH * SHIFT + w)

    t_chk = 0.0 if autoscale else INF
    last_change = -INF
    area_q = 0.0
    area_b = 0.0
    area_p = 0.0
    area_o = 0.0
    last = 0.0
    lastc = t0  # clipped time of the last event
    tl = np.zeros((tl_cap, 4))
    tl_n = 0
    tl_step = t1 / tl_cap if tl_cap > 0 else INF
    tl_next = 0.0 if tl_cap > 0 else INF

    i = 0
    while True:
        if i >= n and q == 0 and busy == 0:
            break
        ta = arr_t[i] if i < n else INF
        th = ht[0] if hn > 0 else INF
        if th == INF and ta == INF and t_chk == INF:
            break
        if th <= ta and th <= t_chk:
            t = th
            kind = hk[0] // SHIFT
            ident = hk[0] - kind * SHIFT
            hn = _pop(ht, hk, hn)
        elif t_chk <= ta:
            t = t_chk
            kind = -1
            ident = 0
        else:
            t = ta
            kind = -2
            ident = i
            i += 1

        # time-integrate the state that held over [last, t), clipped to the window
        tc = min(max(t, t0), t1)
        d = tc - lastc
        lastc = tc
        if d > 0:
            area_q += q * d
            area_b += busy * d
            area_p += prov * d
            area_o += online * d
        tl_n, tl_next = _sample_timeline(tl, tl_n, tl_next, tl_step, tl_cap, t, q, busy, prov)
        last = t

        free_w = -1  # a worker that became free and should look for work
        if kind == -2:  # ---------------------------------------------------- arrival
            j = ident
            lv = lvl[j]
            if rec:
                a = 0
                for l in range(lv + 1):
                    a += waiting[l]
                ahead[j] = a
                qlen_at[j] = q
                busy_at[j] = busy
                online_at[j] = online
            if pre[j] == REJ_429:
                status[j] = REJ_429
                wait[j] = np.nan
                continue
            enq_t[j] = t
            if n_idle > 0:  # invariant: idle workers imply an empty queue
                n_idle -= 1
                w = idle[n_idle]
                # start service (inlined for the hot path)
                jstate[j] = J_SERVING
                if rec:
                    start[j] = t
                w_state[w] = W_BUSY
                w_job[w] = j
                e = t + svc[j]
                w_end[w] = e
                if hn == ht.shape[0]:
                    hn = _purge(ht, hk, hn, w_state, w_end, w_crash, jstate, restarts)
                hn = _push(ht, hk, hn, e, EV_DONE * SHIFT + w)
                busy += 1
                c = cls[j]
                if multi:
                    cb_area[c] += cb[c] * (tc - cb_last[c])
                    cb_last[c] = tc
                    cb[c] += 1
            elif capacity >= 0 and q >= capacity:
                status[j] = REJ_503
                wait[j] = np.nan
            else:
                ring[off[lv] + tail[lv]] = j
                tail[lv] = tail[lv] + 1 if tail[lv] + 1 < cap[lv] else 0
                waiting[lv] += 1
                q += 1
                jstate[j] = J_WAITING
                c = cls[j]
                if multi:
                    cq_area[c] += cq[c] * (tc - cq_last[c])
                    cq_last[c] = tc
                    cq[c] += 1
                if has_pat and pat[j] < INF:
                    if hn == ht.shape[0]:
                        hn = _purge(ht, hk, hn, w_state, w_end, w_crash, jstate, restarts)
                    hn = _push(ht, hk, hn, t + pat[j], EV_ABANDON * SHIFT + j)
            continue
        elif kind == EV_DONE:  # ---------------------------------------------- service end
            w = ident
            if w_state[w] != W_BUSY or w_end[w] != t:
                continue  # stale: the worker crashed during this service
            j = w_job[w]
            end[j] = t
            status[j] = FAILED if pre[j] == FAILED else DONE
            jstate[j] = J_GONE
            busy -= 1
            c = cls[j]
            if multi:
                cb_area[c] += cb[c] * (tc - cb_last[c])
                cb_last[c] = tc
                cb[c] -= 1
            w_state[w] = W_IDLE
            w_job[w] = -1
            free_w = w
        elif kind == EV_ABANDON:  # ------------------------------------------- patience ran out
            j = ident
            if jstate[j] != J_WAITING or restarts[j] > 0:
                continue  # already served (or requeued after a crash: no longer abandons)
            jstate[j] = J_GONE
            waiting[lvl[j]] -= 1  # the ring entry stays; it is skipped when reached
            q -= 1
            c = cls[j]
            if multi:
                cq_area[c] += cq[c] * (tc - cq_last[c])
                cq_last[c] = tc
                cq[c] -= 1
            wait[j] += t - enq_t[j]
            end[j] = t
            status[j] = ABANDONED
            continue
        elif kind == EV_CRASH:  # --------------------------------------------- worker crash
            w = ident
            if w_crash[w] != t or (w_state[w] != W_IDLE and w_state[w] != W_BUSY):
                continue  # stale: the worker was removed or restarted since
            if w_state[w] == W_BUSY:
                j = w_job[w]
                busy -= 1
                c = cls[j]
                if multi:
                    cb_area[c] += cb[c] * (tc - cb_last[c])
                    cb_last[c] = tc
                    cb[c] -= 1
                w_end[w] = -1.0  # its pending completion is now stale
                w_job[w] = -1
                # requeue at the head of its level; the service restarts from scratch
                lv = lvl[j]
                head[lv] = head[lv] - 1 if head[lv] > 0 else cap[lv] - 1
                ring[off[lv] + head[lv]] = j
                waiting[lv] += 1
                q += 1
                jstate[j] = J_WAITING
                restarts[j] += 1
                enq_t[j] = t
                if multi:
                    cq_area[c] += cq[c] * (tc - cq_last[c])
                    cq_last[c] = tc
                    cq[c] += 1
            else:
                for x in range(n_idle):
                    if idle[x] == w:
                        idle[x] = idle[n_idle - 1]
                        n_idle -= 1
                        break
            online -= 1
            w_state[w] = W_RESTARTING
            w_crash[w] = -1.0
            if hn == ht.shape[0]:
                hn = _purge(ht, hk, hn, w_state, w_end, w_crash, jstate, restarts)
            hn = _push(ht, hk, hn, t + restart_s, EV_RESTART * SHIFT + w)
            # a requeued job may find an idle worker at once
            if q > 0 and n_idle > 0:
                n_idle -= 1
                free_w = idle[n_idle]
        elif kind == EV_ONLINE or kind == EV_RESTART:  # ------------------- worker starts serving
            w = ident
            want = W_STARTING if kind == EV_ONLINE else W_RESTARTING
            if w_state[w] != want:
                continue
            w_state[w] = W_IDLE
            online += 1
            if crash_mtbf > 0:
                w_crash[w] = t + np.random.exponential(crash_mtbf)
                if hn == ht.shape[0]:
                    hn = _purge(ht, hk, hn, w_state, w_end, w_crash, jstate, restarts)
                hn = _push(ht, hk, hn, w_crash[w], EV_CRASH * SHIFT + w)
            free_w = w
        elif kind == -1:  # ---------------------------------------------------- autoscaling check
            need = np.int64(np.ceil((busy + q) / (1.0 + a_target)))
            need = min(max(need, a_min), a_max)
            if need > prov:
                for w in range(w_max):
                    if prov >= need:
                        break
                    if w_state[w] == W_OFF:
                        w_state[w] = W_STARTING
                        prov += 1
                        if hn == ht.shape[0]:
                            hn = _purge(ht, hk, hn, w_state, w_end, w_crash, jstate, restarts)
                        hn = _push(ht, hk, hn, t + a_delay, EV_ONLINE * SHIFT + w)
                last_change = t
            elif need < prov and t - last_change >= a_cooldown:
                r = min(prov - need, n_idle)
                for _ in range(r):
                    n_idle -= 1
                    w = idle[n_idle]
                    w_state[w] = W_OFF
                    w_crash[w] = -1.0
                    prov -= 1
                    online -= 1
                if r > 0:
                    last_change = t
            t_chk = t + a_interval
            if i >= n and q == 0 and busy == 0:
                t_chk = INF
            continue

        # a free worker takes the next job in service order, or goes idle
        if free_w >= 0:
            w = free_w
            j = -1
            for l in range(n_levels):
                while waiting[l] > 0:
                    x = ring[off[l] + head[l]]
                    head[l] = head[l] + 1 if head[l] + 1 < cap[l] else 0
                    if jstate[x] == J_WAITING:
                        waiting[l] -= 1
                        j = x
                        break
                    # else: abandoned earlier, lazily dropped here
                if j >= 0:
                    break
            if j < 0:
                w_state[w] = W_IDLE
                idle[n_idle] = w
                n_idle += 1
                continue
            q -= 1
            c = cls[j]
            if multi:
                cq_area[c] += cq[c] * (tc - cq_last[c])
                cq_last[c] = tc
                cq[c] -= 1
            wait[j] += t - enq_t[j]
            if rec and restarts[j] == 0:
                start[j] = t
            jstate[j] = J_SERVING
            w_state[w] = W_BUSY
            w_job[w] = j
            e = t + svc[j]
            w_end[w] = e
            if hn == ht.shape[0]:
                hn = _purge(ht, hk, hn, w_state, w_end, w_crash, jstate, restarts)
            hn = _push(ht, hk, hn, e, EV_DONE * SHIFT + w)
            busy += 1
            if multi:
                cb_area[c] += cb[c] * (tc - cb_last[c])
                cb_last[c] = tc
                cb[c] += 1

    # flush the integrals to the end of the window
    if last < t1:
        d = t1 - lastc
        area_q += q * d
        area_b += busy * d
        area_p += prov * d
        area_o += online * d
        tl_n, tl_next = _sample_timeline(tl, tl_n, tl_next, tl_step, tl_cap, t1, q, busy, prov)
    for c in range(n_classes):
        cq_area[c] += cq[c] * (t1 - cq_last[c])
        cb_area[c] += cb[c] * (t1 - cb_last[c])
    if not multi:
        cq_area[0] = area_q
        cb_area[0] = area_b
    totals = np.array([area_q, area_b, area_p, area_o])
    return (start, end, wait, status, ahead, qlen_at, busy_at, online_at, restarts,
            totals, cq_area, cb_area, tl[:tl_n].copy())
