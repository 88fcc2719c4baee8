"""The streaming mode, `simulate(..., record_jobs="summary")` (sim/stream.py): jobs in a
circular buffer, tallied half a buffer at a time, memory independent of the run length.

Small buffers (a few hundred slots) make every run here pause, recycle and, under a
backlog, grow many times, so the bookkeeping is exercised on runs that take milliseconds.
"""
from __future__ import annotations

import gc
import json
import subprocess
import sys
import tracemalloc

import numpy as np
import pytest

from archbook.errors import ValidationFailed
from archbook.load.scenario import load_scenario
from archbook.sim import analytic as A
from archbook.sim import simulate, stream
from archbook.sim.engine import run_replication
from archbook.sim.policies import compile_plan, draw_replication, engine_args
from archbook.sim.results import replication_metrics

SMALL = {"buffer": 1 << 9, "block": 1 << 7}


def scenario(lam, c, jobs, classes=None, reps=1, warmup=None, **extra):
    classes = classes or [{"name": "all", "share": 1.0, "priority": 0,
                           "service": {"dist": "exponential", "mean_s": 1.0}}]
    sc = {"arrivals": {"process": "poisson", "rate_per_s": lam}, "classes": classes, "workers": {"count": c},
          "horizon": {"jobs": jobs, "warmup_jobs": jobs // 10 if warmup is None else warmup,
                      "replications": reps, "seed": 7}}
    sc.update(extra)
    return sc


def three_priorities(mean_s=1.0):
    return [{"name": f"p{i}", "share": 1 / 3, "priority": i, "service": {"dist": "exponential", "mean_s": mean_s}}
            for i in range(3)]


def burst(peak, low, c=1, hours=2.0, classes=None):
    """A profile overloaded for its first 1000 s (a backlog of hundreds of jobs), then light."""
    sc = scenario(1.0, c, None, classes=classes, warmup=0)
    sc["arrivals"] = {"process": "profile", "period_s": 4000.0,
                      "profile": [{"start_s": 0.0, "rate_per_s": peak}, {"start_s": 1000.0, "rate_per_s": low}]}
    sc["horizon"] = {"duration_s": hours * 3600, "warmup_s": 50.0, "replications": 1, "seed": 3}
    if classes:
        sc["discipline"] = "priority"
    return sc


def full_and_streamed(sc, seed=5, **kw):
    """(full-mode metrics, hist), (streaming metrics, hist), streaming buffer: the same seed."""
    plan = compile_plan(load_scenario(sc, streaming=True))
    d = draw_replication(plan, np.random.SeedSequence(seed))
    full = replication_metrics(plan, d, run_replication(*engine_args(plan, d, 0, False)), 0)
    buf = stream.streamed(plan, np.random.SeedSequence(seed), **{**SMALL, **kw})
    return full, buf.finish(0), buf


INTEGRALS = ["queue_length_mean", "utilization", "worker_hours", "cost", "workers_mean"]


def same(a, b):
    """Two replication_metrics results alike: every count, sum and histogram identical (NaN
    equal to NaN); the time averages to 1e-12 (stream.py: a freed slot's stale abandonment
    events are dropped, so an integral is summed in one step fewer, a rounding difference)."""
    (fa, ha), (fb, hb) = a, b
    x = fa.drop(columns=["cls", *INTEGRALS]).to_numpy(float)
    y = fb.drop(columns=["cls", *INTEGRALS]).to_numpy(float)
    close = np.allclose(fa[INTEGRALS].to_numpy(float), fb[INTEGRALS].to_numpy(float), rtol=1e-12, atol=0,
                        equal_nan=True)
    return bool(np.array_equal(x, y, equal_nan=True) and np.array_equal(ha, hb) and close)


def test_single_class_equals_full_mode_exactly():
    """One class: the streams continue block by block, so every number equals the full run's."""
    full, streamed, buf = full_and_streamed(scenario(3.6, 4, 60_000))
    assert same(full, streamed)
    assert buf.lo > 0  # it did recycle


def test_features_equal_full_mode_exactly():
    """Patience, a queue cap, crashes, autoscaling and a rate limit (history carried across
    blocks), warm-up beyond the first buffer: still the full run's numbers."""
    sc = scenario(3.6, 4, 40_000, warmup=3_000, patience={"dist": "exponential", "mean_s": 5.0},
                  queue={"capacity": 30}, failures={"crash": {"mtbf_s": 500.0, "restart_s": 5.0}},
                  admission={"rate_limit": {"requests": 3, "window_s": 2.0, "users": 5, "kind": "sliding"}})
    sc["workers"] = {"autoscale": {"min": 2, "max": 6, "target_queue_per_worker": 1.0, "check_interval_s": 5.0,
                                   "scale_up_delay_s": 3.0}}
    full, streamed, _ = full_and_streamed(sc)
    assert full[0].at[0, "rejected_429_fraction"] > 0.01 and full[0].at[0, "abandoned_fraction"] > 0.01
    assert same(full, streamed)


def test_backlog_grows_the_buffer_and_keeps_the_numbers():
    """One worker overloaded for 1000 s: hundreds of jobs wait, more than half a 512-slot buffer,
    so it must double (remapping rings, heap and workers) rather than overwrite them."""
    full, streamed, buf = full_and_streamed(burst(1.4, 0.3))
    assert buf.size > SMALL["buffer"]
    assert same(full, streamed)


def test_priority_backlog_does_not_depend_on_the_buffer():
    """Three priority classes (services drawn per block, so not the full run's numbers) with
    patience, under a backlog: a small growing buffer gives the numbers of a large one."""
    sc = burst(1.4, 0.3, classes=three_priorities())
    sc["patience"] = {"dist": "exponential", "mean_s": 300.0}
    plan = compile_plan(load_scenario(sc))
    small = stream.streamed(plan, np.random.SeedSequence(9), **SMALL)
    large = stream.streamed(plan, np.random.SeedSequence(9), buffer=1 << 16, block=SMALL["block"])
    assert small.size > SMALL["buffer"] and large.size == 1 << 16
    assert same(small.finish(0), large.finish(0))


@pytest.mark.parametrize("path", ["data/video-editor", "data/video-editor/queue-trace.yaml"])
def test_shipped_scenarios_do_not_depend_on_the_buffer(path):
    """Video services, OOM retries, crashes, patience, rate limit, autoscaling, a trace."""
    plan = compile_plan(load_scenario(path, {"horizon.jobs": 6_000, "horizon.warmup_jobs": 600}))
    a = stream.streamed(plan, np.random.SeedSequence(2), **SMALL).finish(0)
    b = stream.streamed(plan, np.random.SeedSequence(2), buffer=1 << 14, block=SMALL["block"]).finish(0)
    assert same(a, b)
    assert a[0].at[0, "jobs"] > 1000


def test_agrees_with_full_mode_within_cis_for_several_classes():
    """Several classes: other numbers than the full run, the same model. 8 replications each;
    the difference of the means must be within 4 standard errors of a difference."""
    sc = scenario(3.4, 4, 60_000, classes=three_priorities(), reps=8, discipline="priority")
    a = simulate(sc, record_jobs=False).replications.query("cls == 'overall'")
    b = simulate(sc, record_jobs="summary").replications.query("cls == 'overall'")
    for f in ("wait_mean_s", "prob_wait", "queue_length_mean", "utilization"):
        x, y = a[f].to_numpy(), b[f].to_numpy()
        se = np.sqrt(x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y))
        assert abs(x.mean() - y.mean()) <= 4 * se, f


def test_mmc_closed_forms():
    """M/M/4 at rho = 0.85, 10 x 400,000 jobs streamed (through simulate, default buffer). Mean
    wait and P(wait) within 4 standard errors of the replications; p95 within the sketch's
    bin width (0.54 %) plus twice its replication CI."""
    lam, c = 3.4, 4
    res = simulate(scenario(lam, c, 400_000, reps=10), record_jobs="summary")
    exact = A.mmc(lam, 1.0, c)
    reps = res.replications.query("cls == 'overall'")
    for f, x in (("wait_mean_s", exact.wait_mean), ("prob_wait", exact.prob_wait)):
        v = reps[f].to_numpy()
        se = v.std(ddof=1) / np.sqrt(len(v))
        assert abs(v.mean() - x) <= 4 * se and 4 * se < 0.05 * x, (f, v.mean(), x, se)
    p95, h = res.summary.at["overall", "wait_p95_s"], res.summary.at["overall", "wait_p95_s_ci95"]
    q = exact.wait_quantile(0.95)
    assert abs(p95 - q) <= 0.0054 * q + 2 * h and h < 0.05 * q, (p95, q, h)
    assert res.jobs is None and res.timeline is None


def _peak_bytes(jobs, monkeypatch, buffer, block):
    monkeypatch.setattr(stream, "BUFFER", buffer)
    monkeypatch.setattr(stream, "BLOCK", block)
    sc = scenario(3.6, 4, jobs, warmup=0)
    simulate(sc, record_jobs="summary", **{"horizon.jobs": 1000})
    gc.collect()
    tracemalloc.start()
    simulate(sc, record_jobs="summary")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_does_not_grow_with_the_jobs(monkeypatch):
    """tracemalloc peak (numpy's allocations: the buffer and the draws) of 2e5 and 2e6 jobs
    with a 2^15-slot buffer: the same, where a full run would need 10x more."""
    small = _peak_bytes(200_000, monkeypatch, 1 << 15, 1 << 12)
    large = _peak_bytes(2_000_000, monkeypatch, 1 << 15, 1 << 12)
    assert large < 1.3 * small and large < 20e6, (small, large)


@pytest.mark.slow
def test_memory_does_not_grow_with_the_jobs_default_buffer(monkeypatch):
    """Default buffer (2^20 slots): 2e6 against 2e7 jobs."""
    small = _peak_bytes(2_000_000, monkeypatch, stream.BUFFER, stream.BLOCK)
    large = _peak_bytes(20_000_000, monkeypatch, stream.BUFFER, stream.BLOCK)
    assert large < 1.2 * small and large < 400e6, (small, large)


@pytest.mark.parametrize("bad", ["sumary", "full", 2, None, 1.0])
def test_bad_record_jobs_is_a_clear_error(bad):
    with pytest.raises(ValidationFailed, match="record_jobs") as err:
        simulate(scenario(1.0, 2, 1000), record_jobs=bad)
    assert "summary" in str(err.value)


def test_job_limit_applies_to_full_runs_only():
    """A 1e8-job horizon is refused for a full run (memory) and accepted for a streaming one."""
    big = scenario(3.6, 4, 100_000_000)
    with pytest.raises(ValidationFailed, match="record_jobs"):
        simulate(big, record_jobs=False)
    assert load_scenario(big, streaming=True).horizon.jobs == 100_000_000


def test_cli_stream(tmp_path):
    path = tmp_path / "q.json"
    path.write_text(json.dumps(scenario(3.6, 4, 30_000)))
    yaml_path = tmp_path / "queue.yaml"
    yaml_path.write_text(path.read_text())  # JSON is YAML
    out = subprocess.run([sys.executable, "-m", "archbook.cli", "simulate", str(yaml_path), "--stream", "--json"],
                         capture_output=True, text=True, check=True).stdout
    direct = simulate(scenario(3.6, 4, 30_000), record_jobs=False).summary.at["overall", "wait_mean_s"]
    assert json.loads(out)["overall"]["wait_mean_s"] == pytest.approx(direct, rel=1e-12)


def test_poisson_cut_by_time_equals_full_mode():
    """A horizon in seconds: the stream stops at the first arrival past it, like the full draw."""
    sc = scenario(3.6, 4, None, warmup=0)
    sc["horizon"] = {"duration_s": 12_000.0, "warmup_s": 100.0, "replications": 1, "seed": 1}
    full, streamed, buf = full_and_streamed(sc)
    assert buf.lo > 0 and same(full, streamed)


def test_process_pool_gives_the_serial_numbers():
    sc = scenario(3.6, 4, 20_000, reps=2)
    a = simulate(sc, record_jobs="summary")
    b = simulate(sc, record_jobs="summary", n_jobs=2)
    assert a.summary.equals(b.summary)
