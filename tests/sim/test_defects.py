"""Issue 14's four defects: profile horizon, reused SeedSequence, rounding-error waits,
quantile CIs near saturation (the coverage run itself is in test_coverage_slow.py)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from archbook.sim import simulate, sweep
from archbook.sim.arrivals import integrated_rate
from archbook.load.scenario import load_scenario


def profile_scenario(profile, period_s, duration_s, reps=20, seed=7):
    return {"arrivals": {"process": "profile", "period_s": period_s, "profile": profile},
            "classes": [{"name": "n", "share": 1.0, "service": {"dist": "exponential", "mean_s": 1.0}}],
            "workers": {"count": 8}, "horizon": {"duration_s": duration_s, "replications": reps, "seed": seed}}


def test_integrated_rate_partial_periods_and_uneven_segments():
    arr = load_scenario(profile_scenario([{"start_s": 0, "rate_per_s": 0.1}, {"start_s": 30, "rate_per_s": 2.0},
                                          {"start_s": 40, "rate_per_s": 0.5}], 100, 10)).arrivals
    # one period: 0.1*30 + 2*10 + 0.5*60 = 53
    assert integrated_rate(arr, 100) == pytest.approx(53.0)
    assert integrated_rate(arr, 35) == pytest.approx(3.0 + 10.0)
    assert integrated_rate(arr, 235) == pytest.approx(2 * 53 + 13.0)
    # a profile starting after 0 wraps around: the last rate holds before the first point
    late = load_scenario(profile_scenario([{"start_s": 20, "rate_per_s": 1.0}, {"start_s": 60, "rate_per_s": 3.0}],
                                          100, 10)).arrivals
    assert integrated_rate(late, 20) == pytest.approx(60.0)
    assert integrated_rate(late, 70) == pytest.approx(60 + 40 + 30)


@pytest.mark.parametrize("profile,period,duration", [
    # the case: 12 h of a 24 h profile, busy half first -> Lambda = 0.1 * 43200 = 4320
    ([{"start_s": 0, "rate_per_s": 0.1}, {"start_s": 43_200, "rate_per_s": 0.01}], 86_400, 43_200),
    # non-uniform segments, 2.35 periods
    ([{"start_s": 0, "rate_per_s": 0.1}, {"start_s": 30, "rate_per_s": 20.0}, {"start_s": 40, "rate_per_s": 0.5}],
     100, 235),
])
def test_profile_arrival_count_matches_lambda(profile, period, duration):
    sc = profile_scenario(profile, period, duration, reps=20)
    lam = integrated_rate(load_scenario(sc).arrivals, duration)
    res = simulate(sc, record_timeline=False)
    counts = res.replications.query("cls == 'overall'")["jobs"].to_numpy()
    # Poisson: Var(N) = Lambda, so the mean of 20 counts has SE = sqrt(Lambda / 20)
    # (4320 jobs: SE = 14.7; 430 jobs: SE = 4.6). 4 SE is a 6e-5 false-alarm rate;
    # the old bug lost 45 % (1946 jobs = 132 SE) in the first case.
    se = np.sqrt(lam / len(counts))
    assert abs(counts.mean() - lam) < 4 * se, (counts.mean(), lam, se)


def mm1(reps=3, jobs=5_000):
    return {"arrivals": {"process": "poisson", "rate_per_s": 0.8},
            "classes": [{"name": "n", "share": 1.0, "service": {"dist": "exponential", "mean_s": 1.0}}],
            "workers": {"count": 1}, "horizon": {"jobs": jobs, "warmup_jobs": 500, "replications": reps}}


def test_reused_seed_sequence_gives_identical_results():
    ss = np.random.SeedSequence(12345)
    a = simulate(mm1(), seed=ss).replications
    b = simulate(mm1(), seed=ss).replications
    assert a.equals(b)
    assert ss.n_children_spawned == 0  # never mutated
    fresh = simulate(mm1(), seed=np.random.SeedSequence(12345)).replications
    assert a.equals(fresh)


def test_reused_seed_sequence_in_sweeps():
    ss = np.random.SeedSequence(99)
    kw = dict(replications=2, jobs=2_000, n_jobs=1, progress=False, seed=ss)
    a = sweep(mm1(), [1, 2], **kw)
    b = sweep(mm1(), [1, 2], **kw)
    assert a.equals(b)
    assert ss.n_children_spawned == 0


def tick_trace(tmp_path):
    """Arrivals every 0.3 s on a 0.1 s grid, service 0.3 s: each job starts exactly when the
    previous ends, so every wait is 0 up to floating-point rounding of k * 0.1."""
    t = np.round(np.arange(3000) * 0.3, 1)
    (tmp_path / "t.csv").write_text("timestamp\n" + "\n".join(repr(float(x)) for x in t) + "\n")
    scenario = {"arrivals": {"process": "trace", "trace": {"path": "t.csv"}},  # inside the folder, as required
                "classes": [{"name": "n", "share": 1.0, "service": {"dist": "deterministic", "mean_s": 0.3}}],
                "workers": {"count": 1}, "horizon": {"replications": 2}}
    (tmp_path / "queue.yaml").write_text(json.dumps(scenario))  # JSON is YAML
    return tmp_path / "queue.yaml"


@pytest.mark.filterwarnings("ignore:UNSTABLE")  # rho = 1 exactly, on purpose: no slack, no wait
def test_rounding_error_is_not_waiting(tmp_path):
    res = simulate(tick_trace(tmp_path))
    waits = res.jobs.wait_s
    assert 0 < waits.max() < 1e-9  # the rounding error is there ...
    assert res.summary.at["overall", "prob_wait"] == 0.0  # ... and is not counted as waiting


def test_real_waits_still_count():
    res = simulate(mm1(reps=2))
    # M/M/1: P(wait) = rho = 0.8; 4500 jobs x 2 reps, correlated: loose bound only
    assert res.summary.at["overall", "prob_wait"] == pytest.approx(0.8, abs=0.05)


def test_job_records_are_columns_until_read_and_small():
    import tracemalloc

    sc = mm1(reps=2, jobs=200_000)
    simulate(sc)  # compiled and cached before measuring
    tracemalloc.start()
    res = simulate(sc)
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cols = res.job_columns
    assert cols is not None and len(cols) == 2 * 199_500
    # what the result holds, per recorded job: 48 B of columns (records.py; the warm-up
    # jobs' part is freed), plus a small fixed part (summary frames, histograms: ~0.4 B a
    # job at this size)
    assert cols.nbytes / len(cols) == pytest.approx(48, rel=1e-5)  # + the 8-byte index of the first job
    per_job = held / len(cols)
    assert per_job < 48.6, per_job  # the old per-job tables held ~175 B a job, then 62
    jobs = res.jobs  # built now, once
    assert res.jobs is jobs and res.job_columns is None
    assert len(jobs) == len(cols) and jobs.wait_s.notna().all()
    np.testing.assert_allclose(jobs.groupby("replication").wait_s.mean(),
                               res.replications.query("cls == 'overall'").wait_mean_s)
