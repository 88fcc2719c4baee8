"""Engine behaviour: determinism, records, admission, failures, autoscaling, arrivals."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from archbook.sim import SimResult, analytic as A, simulate
from archbook.sim.results import FIELDS


def mmc(lam=3.0, c=4, jobs=20_000, reps=4, seed=3, **extra):
    sc = {"arrivals": {"process": "poisson", "rate_per_s": lam},
          "classes": [{"name": "normal", "share": 1.0, "priority": 1,
                       "service": {"dist": "exponential", "mean_s": 1.0}}],
          "discipline": "fifo", "workers": {"count": c}, "queue": {"capacity": None}, "patience": None,
          "horizon": {"jobs": jobs, "warmup_jobs": jobs // 10, "replications": reps, "seed": seed}}
    sc.update(extra)
    return sc


def assert_little(res, tol=0.01):
    """L = lambda W for the waiting line, per replication and class, admitted arrivals only."""
    reps = res.replications
    lam = reps["arrival_rate_per_s"] * (1 - reps["rejected_fraction"])
    rel = (reps["queue_length_mean"] - lam * reps["wait_mean_s"]).abs() / reps["queue_length_mean"]
    assert (rel < tol).all(), rel.max()


PRIO = [{"name": "high", "share": 0.2, "priority": 0, "service": {"dist": "exponential", "mean_s": 1.0}},
        {"name": "normal", "share": 0.5, "priority": 1, "service": {"dist": "exponential", "mean_s": 1.0}},
        {"name": "low", "share": 0.3, "priority": 2, "service": {"dist": "exponential", "mean_s": 1.0}}]


def test_result_shape_and_contract_fields():
    res = simulate(mmc(classes=PRIO, discipline="priority"))
    assert isinstance(res, SimResult)
    assert list(res.summary.index) == ["overall", "high", "normal", "low"]
    for f in FIELDS:
        assert f in res.summary.columns and f"{f}_ci95" in res.summary.columns
    assert len(res.replications) == 4 * 4
    cols = ["replication", "job", "cls", "priority", "arrival_s", "start_s", "end_s", "wait_s", "service_s",
            "status", "retries", "queue_ahead", "queue_length_at_arrival", "busy_at_arrival", "workers_at_arrival"]
    assert list(res.jobs.columns) == cols
    assert len(res.jobs) == 4 * 18_000  # after warm-up
    assert set(res.timeline.columns) == {"replication", "t_s", "queue_length", "busy", "workers"}
    assert len(res.timeline) <= 4 * 2000
    d = res.to_dict()
    assert set(d) == {"overall", "classes", "warnings", "scenario"} and set(d["classes"]) == {"high", "normal", "low"}


def test_job_records_are_consistent():
    res = simulate(mmc(classes=PRIO, discipline="priority", jobs=10_000, reps=2))
    j = res.jobs
    done = j[j.status == "done"]
    # start and end are held as float32 offsets from the arrival: each is within half an ulp
    ulp = 2.0 ** -23 * (done.end_s - done.arrival_s) + 1e-12
    assert ((done.start_s - done.arrival_s - done.wait_s).abs() <= ulp).all()
    assert ((done.end_s - done.start_s - done.service_s).abs() <= ulp).all()
    assert (done.wait_s >= 0).all()
    # queue_ahead counts waiting jobs of equal or higher priority: never more than the queue
    assert (j.queue_ahead <= j.queue_length_at_arrival).all()
    high = j[j.cls == "high"]
    assert (high.queue_ahead < high.queue_length_at_arrival).any()
    # a job that found a worker idle did not wait
    idle = j[j.busy_at_arrival < j.workers_at_arrival]
    assert (idle.wait_s == 0).all()
    # FIFO within a class: start order follows arrival order
    for _, g in done[done.replication == 0].groupby("cls", observed=True):
        assert g.sort_values("arrival_s").start_s.is_monotonic_increasing


def test_same_seed_same_numbers_serial_and_parallel():
    sc = mmc(classes=PRIO, discipline="priority", jobs=30_000, reps=4)
    a = simulate(sc, record_jobs=False, record_timeline=False)
    b = simulate(sc, record_jobs=False, record_timeline=False)
    c = simulate(sc, record_jobs=False, record_timeline=False, n_jobs=2)
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
    pd.testing.assert_frame_equal(a.summary, c.summary, check_exact=True)
    d = simulate(sc, seed=99, record_jobs=False, record_timeline=False)
    assert d.summary.at["overall", "wait_mean_s"] != a.summary.at["overall", "wait_mean_s"]


def test_seed_sequence_and_overrides():
    a = simulate(mmc(), seed=np.random.SeedSequence(3), record_jobs=False)
    b = simulate(mmc(), record_jobs=False)  # horizon.seed = 3
    pd.testing.assert_frame_equal(a.summary, b.summary)
    c = simulate(mmc(), record_jobs=False, **{"workers.count": 8})
    d = simulate(mmc(), record_jobs=False, workers={"count": 8})
    pd.testing.assert_frame_equal(c.summary, d.summary)
    assert c.summary.at["overall", "wait_mean_s"] < b.summary.at["overall", "wait_mean_s"]
    assert c.scenario.workers.count == 8


def test_unstable_warns_and_stays_bounded():
    with pytest.warns(RuntimeWarning, match="UNSTABLE"):
        res = simulate(mmc(lam=5.0, c=4, jobs=20_000, reps=2))
    assert res.warnings and "UNSTABLE" in res.warnings[0]
    assert len(res.jobs) == 2 * 18_000
    assert (res.jobs.status == "done").all()
    assert np.isfinite(res.summary.at["overall", "wait_mean_s"])


def test_capacity_rejects_with_503_and_bounds_queue():
    res = simulate(mmc(lam=6.0, c=2, queue={"capacity": 5}, jobs=20_000, reps=2))
    j = res.jobs
    assert (j.queue_length_at_arrival <= 5).all()
    rej = j[j.status == "rejected_503"]
    assert len(rej) > 0 and (rej.queue_length_at_arrival == 5).all()
    assert rej.wait_s.isna().all()


def test_rate_limit_sliding_window_per_user():
    sc = mmc(lam=1.0, c=50, jobs=6000, reps=1,
             admission={"rate_limit": {"requests": 10, "window_s": 60, "users": 1}})
    sc["horizon"]["warmup_jobs"] = 0
    res = simulate(sc)
    j = res.jobs.sort_values("arrival_s")
    ok = j[j.status != "rejected_429"].arrival_s.to_numpy()
    # never more than 10 admitted in any 60 s window
    assert (np.searchsorted(ok, ok + 60.0, side="left") - np.arange(len(ok)) <= 10).all()
    # and the limit is used fully: 10 per minute out of 60 arrivals per minute
    frac = res.summary.at["overall", "rejected_fraction"]
    assert 0.80 < frac < 0.86


def test_rate_limit_fixed_window():
    sc = mmc(lam=1.0, c=50, jobs=6000, reps=1,
             admission={"rate_limit": {"requests": 10, "window_s": 60, "users": 1, "kind": "fixed"}})
    sc["horizon"]["warmup_jobs"] = 0
    j = simulate(sc).jobs
    ok = j[j.status != "rejected_429"]
    assert ok.groupby(ok.arrival_s // 60).size().max() == 10


def test_oom_retries_then_fail_with_exact_service():
    sc = mmc(lam=0.2, c=2, jobs=2000, reps=1,
             classes=[{"name": "n", "share": 1.0, "service": {"dist": "deterministic", "mean_s": 1.0}}],
             failures={"oom": {"probability": 1.0, "retry_service_factor": 0.6, "max_retries": 2,
                               "detect_fraction": 0.5, "retry_probability_factor": 1.0}})
    res = simulate(sc)
    j = res.jobs
    assert (j.status == "failed").all() and (j.retries == 2).all()
    assert np.allclose(j.service_s, 0.5 * (1 + 0.6 + 0.36))
    assert res.summary.at["overall", "failed_fraction"] == 1.0


def test_oom_probability_by_pixels_hits_big_frames():
    video = {"dist": "video", "overhead_s": 1.0, "s_per_mpx": 0.01, "resolution": [[512, 512], [1920, 1080]],
             "duration_s": 2, "fps": 24}
    sc = mmc(lam=0.05, c=4, jobs=4000, reps=1, classes=[{"name": "n", "share": 1.0, "service": video}],
             failures={"oom": {"probability_by_pixels": [{"up_to_pixels": 262144, "probability": 0.0},
                                                         {"up_to_pixels": 2073600, "probability": 1.0}],
                               "max_retries": 0}})
    j = simulate(sc).jobs
    small = np.isclose(j.service_s, 1.0 + 0.01 * 512 * 512 * 48 / 1e6)
    assert small.any() and (j.status[small] == "done").all()
    assert (j.status[~small] == "failed").all() and (~small).sum() > 1000


def test_crash_requeues_and_everyone_completes():
    sc = mmc(lam=2.0, c=4, jobs=20_000, reps=2, failures={"crash": {"mtbf_s": 200.0, "restart_s": 20.0}})
    res = simulate(sc)
    j = res.jobs
    assert (j.status == "done").all()
    assert (j.retries > 0).sum() > 50
    assert_little(res)
    base = simulate(mmc(lam=2.0, c=4, jobs=20_000, reps=2))
    assert res.summary.at["overall", "wait_mean_s"] > base.summary.at["overall", "wait_mean_s"]
    # restarting workers are paid for (worker_hours unchanged) but not online: utilization is
    # busy / online, and lost work is redone, so it rises above lam E[S] / c = 0.5
    assert res.summary.at["overall", "worker_hours"] == pytest.approx(base.summary.at["overall", "worker_hours"])
    assert base.summary.at["overall", "utilization"] == pytest.approx(0.5, rel=0.03)
    assert res.summary.at["overall", "utilization"] > 0.5 / (200 / 220) * 0.98


def test_autoscale_stays_in_bounds_and_follows_load():
    auto = {"autoscale": {"min": 1, "max": 10, "target_queue_per_worker": 0.0, "check_interval_s": 5,
                          "scale_up_delay_s": 30, "scale_down_cooldown_s": 60}, "cost_per_hour": 3.0}
    sc = {"arrivals": {"process": "profile", "period_s": 3600,
                       "profile": [{"start_s": 0, "rate_per_s": 0.5}, {"start_s": 1800, "rate_per_s": 5.0}]},
          "classes": [{"name": "n", "share": 1.0, "service": {"dist": "exponential", "mean_s": 1.0}}],
          "workers": auto, "horizon": {"duration_s": 7200, "warmup_s": 0, "replications": 2, "seed": 5}}
    res = simulate(sc)
    tl = res.timeline
    assert tl.workers.between(1, 10).all()
    quiet = tl[(tl.t_s % 3600) < 1500].workers.mean()
    busy = tl[(tl.t_s % 3600) > 2200].workers.mean()
    assert busy > quiet + 3
    assert_little(res)
    s = res.summary.loc["overall"]
    assert s.cost == pytest.approx(s.worker_hours * 3.0)
    assert s.worker_hours == pytest.approx(s.workers_mean * 7200 / 3600)


def test_profile_rate_and_duration_horizon():
    sc = mmc(reps=3)
    sc["arrivals"] = {"process": "profile", "period_s": 100,
                      "profile": [{"start_s": 0, "rate_per_s": 1.0}, {"start_s": 50, "rate_per_s": 5.0}]}
    sc["horizon"] = {"duration_s": 20_000, "replications": 3, "seed": 2}
    res = simulate(sc)
    rate = res.summary.at["overall", "arrival_rate_per_s"]
    assert rate == pytest.approx(3.0, rel=0.02)
    t = res.jobs.arrival_s.to_numpy() % 100
    assert (t >= 50).mean() == pytest.approx(5 / 6, abs=0.01)
    assert res.jobs.arrival_s.max() < 20_000


def test_trace_arrivals_classes_and_settings(tmp_path):
    rows = pd.DataFrame({"timestamp": [0.0, 1.0, 2.5, 2.5, 10.0], "user": ["a", "b", "a", "c", "a"],
                         "priority": ["high", "low", "low", "high", "low"],  # the seed's field name
                         "width": [512, 1920, 512, 512, 512], "height": [512, 1080, 512, 512, 512],
                         "duration": [1, 10, 1, 1, 1], "fps": [24, 60, 24, 24, 24]})
    rows.to_csv(tmp_path / "t.csv", index=False)
    video = {"dist": "video", "overhead_s": 0.0, "s_per_mpx": 1.0, "width": 1, "height": 1, "duration_s": 1, "fps": 1}
    sc = {"arrivals": {"process": "trace", "trace": "t.csv"},
          "classes": [{"name": "high", "share": 0.5, "priority": 0, "service": video},
                      {"name": "low", "share": 0.5, "priority": 1, "service": video}],
          "discipline": "priority", "workers": {"count": 1}, "horizon": {"replications": 1}}
    (tmp_path / "q.yaml").write_text(__import__("yaml").safe_dump(sc))
    j = simulate(tmp_path / "q.yaml").jobs
    assert j.arrival_s.tolist() == [0.0, 1.0, 2.5, 2.5, 10.0]
    assert j.cls.tolist() == ["high", "low", "low", "high", "low"]
    assert j.service_s.iloc[1] == pytest.approx(1920 * 1080 * 10 * 60 / 1e6)
    # priority: the high job arriving at 2.5 is served before the low one arriving at 2.5
    assert j.start_s.iloc[3] < j.start_s.iloc[2]


def test_video_and_empirical_service_means(tmp_path):
    from archbook.model.queue import Video
    v = {"dist": "video", "overhead_s": 5.0, "s_per_mpx": 0.3, "resolution": [[512, 512], [1280, 720]],
         "resolution_weights": [1, 3], "duration_s": {"values": [1, 5], "weights": [1, 1]},
         "fps": {"low": 24, "high": 60}, "jitter_cv": 0.2}
    mean, m2 = Video.model_validate(v).moments()
    res = simulate(mmc(lam=0.001, c=64, jobs=200_000, reps=1, classes=[{"name": "n", "share": 1.0, "service": v}]))
    s = res.jobs.service_s
    assert s.mean() == pytest.approx(mean, rel=0.01)
    assert (s * s).mean() == pytest.approx(m2, rel=0.03)
    (tmp_path / "svc.csv").write_text("seconds\n1\n2\n7\n")
    sc = mmc(lam=0.01, c=8, jobs=3000, reps=1,
             classes=[{"name": "n", "share": 1.0, "service": {"dist": "empirical", "path": "svc.csv",
                                                               "column": "seconds"}}])
    (tmp_path / "q.yaml").write_text(__import__("yaml").safe_dump(sc))
    s = simulate(tmp_path / "q.yaml").jobs.service_s
    assert set(s.unique()) == {1.0, 2.0, 7.0}


def test_gamma_uniform_services_match_pk():
    for dist, scv in (({"dist": "gamma", "mean_s": 1.0, "cv": 0.5}, 0.25),
                      ({"dist": "uniform", "low_s": 0.0, "high_s": 2.0}, 1 / 3)):
        res = simulate(mmc(lam=0.5, c=1, jobs=200_000, reps=4, classes=[{"name": "n", "share": 1.0, "service": dist}]),
                       record_jobs=False)
        assert res.summary.at["overall", "wait_mean_s"] == pytest.approx(A.mg1_pk(0.5, 1.0, scv), rel=0.05)


def test_patience_makes_jobs_abandon():
    res = simulate(mmc(lam=5.0, c=4, patience={"dist": "deterministic", "mean_s": 2.0}))
    j = res.jobs
    ab = j[j.status == "abandoned"]
    assert len(ab) > 0 and np.allclose(ab.wait_s, 2.0)
    assert (j[j.status == "done"].wait_s <= 2.0 + 1e-9).all()
    assert not res.warnings  # patience bounds the queue: no instability warning


def test_video_editor_scenario_runs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = simulate("data/video-editor", record_jobs=False, **{"horizon.jobs": 20_000, "horizon.replications": 2,
                                                                  "horizon.warmup_jobs": 2_000})
    s = res.summary
    assert list(s.index) == ["overall", "high", "normal", "low"]
    assert s.at["high", "wait_mean_s"] < s.at["normal", "wait_mean_s"] < s.at["low", "wait_mean_s"]
    assert s.at["overall", "cost"] > 0
    assert_little(res)  # with autoscaling, crashes (requeues), OOM retries, patience and a rate limit
