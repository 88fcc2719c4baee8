"""Simulator speed against SimPy and Ciw, measured in the same run on the same models.

    .venv/bin/python bench/bench_sim.py [--quick]

Models: M/M/c with c = 1, 4, 16 at rho = 0.9; non-preemptive priority M/M/4 with 3 equal
classes at rho = 0.85; the full video-editor scenario; a widget-sized update.
archbook is timed end to end through `simulate()` (drawing the variates, the compiled
event loop, the per-replication summary with quantiles and CIs), with per-job records
off, as a sweep would run it. Numba compile time is excluded: every kernel is warmed
up first (and cached on disk by `cache=True`). Peers run fewer jobs (they are ~100x
slower); jobs/s is what is compared. Every model prints its mean wait next to the
exact value, so a fast wrong answer would show.

Also (issue 14): the default `simulate()` (per-job records and timeline on) against its
own compiled event loop fed the same pre-drawn inputs, memory held per recorded job
(tracemalloc), the streaming mode on 1e8 jobs (time, peak RSS, mean wait against exact), and the README's video-editor sweep with common random numbers (one draw
per replication shared by all worker counts) against independent streams per point.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import numpy as np
from numba import njit

from archbook.sim import analytic as A
from archbook.sim import simulate
from archbook.load.scenario import load_scenario


def mmc_scenario(lam, c, jobs, reps, classes=1, discipline="fifo"):
    cls = [{"name": f"p{i}", "share": 1 / classes, "priority": i,
            "service": {"dist": "exponential", "mean_s": 1.0}} for i in range(classes)]
    return {"arrivals": {"process": "poisson", "rate_per_s": lam}, "classes": cls, "discipline": discipline,
            "workers": {"count": c}, "horizon": {"jobs": jobs, "warmup_jobs": jobs // 10, "replications": reps,
                                                 "seed": 1}}


def time_archbook(sc, repeat=3):
    simulate(sc, record_jobs=False, record_timeline=False, **{"horizon.jobs": 20_000, "horizon.warmup_jobs": 0,
                                                              "horizon.replications": 1})  # warm-up / compile
    best, res = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        res = simulate(sc, record_jobs=False, record_timeline=False)
        best = min(best, time.perf_counter() - t)
    s = load_scenario(sc)
    jobs = s.horizon.jobs * s.horizon.replications
    return jobs / best, res


def loop_vs_default(lam, c, jobs, reps=3, rounds=3):
    """(loop jobs/s, default simulate() jobs/s): the loop alone runs on inputs drawn beforehand
    with the same arguments simulate() passes (records + timeline on). Interleaved rounds,
    best of each, so a load spike on the shared machine hits both alike."""
    from archbook.sim.engine import run_replication
    from archbook.sim.policies import compile_plan, draw_replication, engine_args
    from archbook.sim.run import TIMELINE_POINTS
    from archbook.sim.seeds import child

    sc = mmc_scenario(lam, c, jobs, reps)
    plan = compile_plan(load_scenario(sc))
    root = np.random.SeedSequence(1)
    args = [engine_args(plan, draw_replication(plan, child(root, r)), TIMELINE_POINTS, True) for r in range(reps)]
    run_replication(*args[0])
    simulate(sc)
    loop = sim = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for a in args:
            run_replication(*a)
        loop = min(loop, time.perf_counter() - t)
        t = time.perf_counter()
        simulate(sc)
        sim = min(sim, time.perf_counter() - t)
    return jobs * reps / loop, jobs * reps / sim


@njit(cache=True)
def handwritten_mmc(arr_t, svc, c):
    """The limit: FIFO M/M/c as one hand-written compiled function (Kiefer-Wolfowitz: a job
    starts when it arrives or when the earliest of the c workers frees, whichever is later),
    keeping every wait. No classes, no events other than arrivals, no time averages."""
    free = np.zeros(c)  # a min-heap of the times the workers become free
    wait = np.empty(arr_t.shape[0])
    for j in range(arr_t.shape[0]):
        start = max(arr_t[j], free[0])
        wait[j] = start - arr_t[j]
        t = start + svc[j]
        i = 0
        while True:  # replace the root and sift down
            k = 2 * i + 1
            if k >= c:
                break
            if k + 1 < c and free[k + 1] < free[k]:
                k += 1
            if free[k] >= t:
                break
            free[i] = free[k]
            i = k
        free[i] = t
    return wait


def loop_vs_limit(lam, c, jobs, rounds=3):
    """(archbook loop jobs/s, hand-written loop jobs/s) on the same pre-drawn M/M/c inputs,
    per-job records off for archbook (the hand-written loop keeps only the waits)."""
    from archbook.sim.engine import run_replication
    from archbook.sim.policies import compile_plan, draw_replication, engine_args

    plan = compile_plan(load_scenario(mmc_scenario(lam, c, jobs, 1)))
    d = draw_replication(plan, np.random.SeedSequence(1))
    args = engine_args(plan, d, 0, False)
    ours_wait = run_replication(*args)[2]
    limit_wait = handwritten_mmc(d.arr_t, d.svc, c)
    assert np.allclose(ours_wait, limit_wait), "the two loops disagree"
    ours = limit = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        run_replication(*args)
        ours = min(ours, time.perf_counter() - t)
        t = time.perf_counter()
        handwritten_mmc(d.arr_t, d.svc, c)
        limit = min(limit, time.perf_counter() - t)
    return jobs / ours, jobs / limit


def time_default(sc, repeat=3):
    """jobs/s of the default simulate() call: per-job records and timeline on."""
    simulate(sc, **{"horizon.jobs": 20_000, "horizon.warmup_jobs": 0, "horizon.replications": 1})
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        simulate(sc)
        best = min(best, time.perf_counter() - t)
    s = load_scenario(sc)
    return s.horizon.jobs * s.horizon.replications / best


def memory_per_job(jobs=1_000_000, reps=2):
    """Bytes held by a default simulate() result per recorded job, and the peak during the run."""
    import gc
    import tracemalloc

    sc = mmc_scenario(3.6, 4, jobs, reps)
    simulate(mmc_scenario(3.6, 4, 2000, 2))
    gc.collect()
    tracemalloc.start()
    res = simulate(sc)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = len(res.job_columns)
    return held / n, peak / n


def summary_mode(jobs=100_000_000):
    """M/M/4 at rho = 0.9, one replication of `jobs` streamed (record_jobs="summary"), in a
    fresh process so that its peak RSS is its own: (seconds, jobs/s, peak RSS in MB, mean
    wait, exact mean wait). A full run of 1e8 jobs would need ~10 GB (and is refused)."""
    import json
    import subprocess

    code = f"""
import json, resource, time
from archbook.sim import simulate
sc = {mmc_scenario(3.6, 4, jobs, 1)!r}
simulate(sc, record_jobs="summary", **{{"horizon.jobs": 10_000, "horizon.warmup_jobs": 0}})  # compile
t = time.perf_counter()
res = simulate(sc, record_jobs="summary")
dt = time.perf_counter() - t
print(json.dumps([dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  res.summary.at["overall", "wait_mean_s"]]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    dt, rss, wait = json.loads(out.strip().splitlines()[-1])
    return dt, jobs / dt, rss, wait, A.mmc(3.6, 1.0, 4).wait_mean


def sweep_times(reps, jobs):
    """README's `archbook sweep data/video-editor --workers 1:32 --reps 10`, serially, warm:
    (CRN seconds, independent-streams seconds)."""
    from archbook.sim import sweep

    video = load_scenario("data/video-editor")
    sweep(video, range(1, 3), replications=2, jobs=2000, n_jobs=1, progress=False)
    out = []
    for crn in (True, False):
        t = time.perf_counter()
        sweep(video, range(1, 33), replications=reps, jobs=jobs, n_jobs=1, progress=False, crn=crn)
        out.append(time.perf_counter() - t)
    return tuple(out)


def simpy_mmc(lam, c, n, classes=1, seed=1):
    """The textbook SimPy model: a Resource (or PriorityResource) and one process per job."""
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    server = simpy.PriorityResource(env, capacity=c) if classes > 1 else simpy.Resource(env, capacity=c)
    waits = []

    def job(prio):
        arrive = env.now
        req = server.request(priority=prio) if classes > 1 else server.request()
        with req:
            yield req
            waits.append(env.now - arrive)
            yield env.timeout(rng.expovariate(1.0))

    def source():
        for _ in range(n):
            yield env.timeout(rng.expovariate(lam))
            env.process(job(rng.randrange(classes)))

    env.process(source())
    t = time.perf_counter()
    env.run()
    dt = time.perf_counter() - t
    return n / dt, statistics.fmean(waits[n // 10:])


def ciw_mmc(lam, c, n, classes=1, seed=1):
    import ciw

    names = [f"Class {i}" for i in range(classes)]
    net = ciw.create_network(
        arrival_distributions={k: [ciw.dists.Exponential(rate=lam / classes)] for k in names},
        service_distributions={k: [ciw.dists.Exponential(rate=1.0)] for k in names},
        number_of_servers=[c],
        priority_classes={k: i for i, k in enumerate(names)} if classes > 1 else None,
    ) if classes > 1 else ciw.create_network(arrival_distributions=[ciw.dists.Exponential(rate=lam)],
                                             service_distributions=[ciw.dists.Exponential(rate=1.0)],
                                             number_of_servers=[c])
    ciw.seed(seed)
    q = ciw.Simulation(net)
    t = time.perf_counter()
    q.simulate_until_max_customers(n, method="Finish")
    dt = time.perf_counter() - t
    recs = q.get_all_records()
    return len(recs) / dt, statistics.fmean(r.waiting_time for r in recs[n // 10:])


def row(name, ours, peers, exact, ours_wait):
    simpy_rate, simpy_wait = peers["simpy"]
    ciw_rate, ciw_wait = peers["ciw"]
    print(f"{name:<22}{ours / 1e6:>9.2f} M/s{simpy_rate / 1e3:>10.0f} k/s{ciw_rate / 1e3:>9.0f} k/s"
          f"{ours / simpy_rate:>9.0f}x{ours / ciw_rate:>8.0f}x   wait: exact {exact:.3f} ours {ours_wait:.3f} "
          f"simpy {simpy_wait:.3f} ciw {ciw_wait:.3f}")
    return ours / simpy_rate


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller runs (for a smoke check)")
    a = ap.parse_args()
    n_ours, reps = (200_000, 5) if a.quick else (1_000_000, 10)
    n_simpy, n_ciw = (30_000, 15_000) if a.quick else (150_000, 60_000)
    print(f"archbook: {reps} replications x {n_ours:,} jobs per model, end to end via simulate(), "
          f"numba compile excluded (warmed up); SimPy {n_simpy:,} jobs, Ciw {n_ciw:,} jobs.\n")
    print(f"{'model':<22}{'archbook':>13}{'SimPy':>14}{'Ciw':>13}{'vs SimPy':>10}{'vs Ciw':>9}")
    ratios = {}
    for c in (1, 4, 16):
        lam = 0.9 * c
        ours, res = time_archbook(mmc_scenario(lam, c, n_ours, reps))
        peers = {"simpy": simpy_mmc(lam, c, n_simpy), "ciw": ciw_mmc(lam, c, n_ciw)}
        ratios[f"M/M/{c}"] = row(f"M/M/{c} rho=0.9", ours, peers, A.mmc(lam, 1.0, c).wait_mean,
                                 res.summary.at["overall", "wait_mean_s"])
    lam = 0.85 * 4
    ours, res = time_archbook(mmc_scenario(lam, 4, n_ours, reps, classes=3, discipline="priority"))
    peers = {"simpy": simpy_mmc(lam, 4, n_simpy, classes=3), "ciw": ciw_mmc(lam, 4, n_ciw, classes=3)}
    ratios["priority"] = row("prio M/M/4 3cl rho=.85", ours, peers, A.mmc(lam, 1.0, 4).wait_mean,
                             res.summary.at["overall", "wait_mean_s"])

    print("\nthe default simulate() call (per-job records and timeline on, tables built lazily), "
          "same SimPy runs as above:")
    simpy4 = simpy_mmc(3.6, 4, n_simpy)[0]
    simpy_prio = simpy_mmc(3.4, 4, n_simpy, classes=3)[0]
    d4 = time_default(mmc_scenario(3.6, 4, n_ours, reps))
    dprio = time_default(mmc_scenario(3.4, 4, n_ours, reps, classes=3, discipline="priority"))
    print(f"  M/M/4 rho=0.9: {d4 / 1e6:.2f} M/s = {d4 / simpy4:.0f}x SimPy (target >= 120x, stretch 150x)")
    print(f"  prio M/M/4 3 classes rho=0.85: {dprio / 1e6:.2f} M/s = {dprio / simpy_prio:.0f}x SimPy "
          "(target >= 80x)")
    ratios["default M/M/4"], ratios["default priority"] = d4 / simpy4, dprio / simpy_prio
    ours, limit = loop_vs_limit(3.6, 4, n_ours * 2)
    print(f"  the event loop against a hand-written single-function compiled M/M/4 loop (the limit) on the "
          f"same inputs: {ours / 1e6:.1f} M/s vs {limit / 1e6:.1f} M/s -> {ours / limit:.0%} of the limit")

    print()
    video = load_scenario("data/video-editor")
    rate, res = time_archbook(video, repeat=3)
    n = video.horizon.jobs * video.horizon.replications
    print(f"video-editor scenario ({video.horizon.replications} x {video.horizon.jobs:,} jobs; priority, "
          f"autoscaling, OOM, crashes, patience, rate limit): {rate / 1e6:.2f} M jobs/s "
          f"({n / rate:.2f} s)   target >= 1 M jobs/s")
    t = time.perf_counter()
    simulate(video, record_jobs=False, record_timeline=False, n_jobs=2)
    print(f"  same, 2 processes: {n / (time.perf_counter() - t) / 1e6:.2f} M jobs/s (process start-up included)")

    widget = {"horizon.jobs": 30_000, "horizon.warmup_jobs": 3_000, "horizon.replications": 4,
              "arrivals.rate_per_s": 0.06, "workers.count": 6}
    simulate(video, record_jobs=True, **widget)
    times = []
    for _ in range(7):
        t = time.perf_counter()
        simulate(video, record_jobs=True, record_timeline=True, **widget)
        times.append(time.perf_counter() - t)
    print(f"widget update (video-editor, 4 x 30,000 jobs, overrides re-validated, jobs + timeline recorded): "
          f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms   target < 300 ms")

    print()
    loop, default = loop_vs_default(7.2, 8, n_ours)
    print(f"M/M/8 rho=0.9, {n_ours:,} jobs x 3: compiled loop alone {loop / 1e6:.2f} M jobs/s, default simulate() "
          f"(records + timeline, lazy tables) {default / 1e6:.2f} M jobs/s -> {default / loop:.0%} of the loop "
          "(target >= 80 %)")
    held, peak = memory_per_job(n_ours)
    print(f"memory per recorded job (tracemalloc): {held:.0f} B held by the result (target <= 48 B), "
          f"{peak:.0f} B peak during the run (was ~175 B held)")
    dt, rate, rss, wait, exact = summary_mode(10_000_000 if a.quick else 100_000_000)
    print(f"streaming mode (record_jobs=\"summary\"), M/M/4 rho=0.9, {rate * dt:,.0f} jobs, 1 replication: "
          f"{dt:.1f} s = {rate / 1e6:.2f} M jobs/s, peak RSS {rss:,.0f} MB (whole process), mean wait {wait:.4f} "
          f"vs exact {exact:.4f} ({wait / exact - 1:+.2%})")
    sweep_reps, sweep_jobs = (3, 20_000) if a.quick else (10, None)
    crn_s, ind_s = sweep_times(sweep_reps, sweep_jobs)
    print(f"video-editor sweep, workers 1..32 x {sweep_reps} reps, serial: common random numbers {crn_s:.1f} s, "
          f"independent streams per point (the old way) {ind_s:.1f} s -> {ind_s / crn_s:.1f}x")

    mmc_ratio = min(ratios[k] for k in ("M/M/1", "M/M/4", "M/M/16"))
    print(f"\nmin ratio vs SimPy on M/M/c: {mmc_ratio:.0f}x (target >= 50x); "
          f"priority: {ratios['priority']:.0f}x (target >= 20x); default simulate(): M/M/4 "
          f"{ratios['default M/M/4']:.0f}x (target >= 120x), priority {ratios['default priority']:.0f}x "
          "(target >= 80x)")
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
