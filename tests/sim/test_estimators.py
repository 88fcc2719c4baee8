"""The wait-time estimators, scored on an independent M/M/c simulator (tests/sim/synthetic_queue.py)."""
from __future__ import annotations

import numpy as np
import pytest
from synthetic_queue import mmc_jobs

from archbook.errors import ArchbookError
from archbook.sim.estimators import (
    estimate_waits,
    estimator_errors,
    recommend_estimator,
    score_estimators,
)

THREE = (("high", 0, 0.2), ("normal", 1, 0.6), ("low", 2, 0.2))


@pytest.fixture(scope="module")
def priority_jobs():
    return mmc_jobs(lam=3.4, mu=1.0, c=4, n=20_000, reps=2, classes=THREE, seed=11)


def test_fifo_mmc_position_estimator_is_unbiased():
    # In FIFO M/M/c a job with n ahead waits for n+1 departures at rate c*mu: mean (n+1)/(c mu).
    jobs = mmc_jobs(lam=3.0, mu=1.0, c=4, n=20_000, reps=2, seed=3)
    est = estimate_waits(jobs, ["position"])
    waited = est[est["actual_s"] > 0]
    rel_bias = (waited["est_position"].mean() - waited["actual_s"].mean()) / waited["actual_s"].mean()
    assert abs(rel_bias) < 0.05
    # jobs that found an idle worker get 0, and indeed did not wait
    assert (est.loc[est["est_position"] == 0, "actual_s"] == 0).all()


def test_priority_aware_beats_naive(priority_jobs):
    scores = score_estimators(priority_jobs, min_wait_s=0.1)
    ov = scores.xs("overall", level="cls")
    assert ov.loc["priority", "mape_waited"] < 0.6 * ov.loc["naive", "mape_waited"]
    assert ov.loc["priority", "p90_abs_error_waited_s"] < ov.loc["naive", "p90_abs_error_waited_s"]
    # naive ignores priorities: it underestimates the low class badly, the inflated one does not
    low = scores.xs("low", level="cls")
    assert low.loc["naive", "bias_waited_s"] < -1.0
    assert abs(low.loc["priority", "bias_waited_s"]) < 0.5 * abs(low.loc["naive", "bias_waited_s"])
    assert recommend_estimator(scores) in {"priority", "regression"}


def test_scores_are_on_held_out_replication(priority_jobs):
    scores = score_estimators(priority_jobs, ["naive"], train_replication=1)
    assert scores.loc[("naive", "overall"), "n_jobs"] == (priority_jobs["replication"] == 0).sum()
    assert set(scores.index.get_level_values("cls")) == {"overall", "high", "normal", "low"}


def test_single_replication_splits_in_halves():
    jobs = mmc_jobs(n=3000, reps=1, seed=5)
    est = estimate_waits(jobs, ["naive", "regression"])
    assert len(est) == 1500
    long = estimator_errors(est)
    assert set(long["estimator"]) == {"naive", "regression"}
    np.testing.assert_allclose(long["error_s"], long["estimate_s"] - long["actual_s"])


def test_rejected_and_abandoned_jobs_are_not_scored():
    jobs = mmc_jobs(n=2000, reps=2, seed=9)
    jobs.loc[jobs.index[::3], "status"] = "rejected_429"
    jobs.loc[jobs.index[1::3], "status"] = "abandoned"
    scores = score_estimators(jobs, ["naive"])
    test_rep = jobs[jobs["replication"] == 1]
    assert scores.loc[("naive", "overall"), "n_jobs"] == (test_rep["status"] == "done").sum()


def test_bad_input_is_a_clear_error():
    jobs = mmc_jobs(n=500, reps=2).drop(columns=["queue_ahead"])
    with pytest.raises(ArchbookError, match="queue_ahead"):
        score_estimators(jobs)
    with pytest.raises(ArchbookError, match="unknown estimator"):
        score_estimators(mmc_jobs(n=500, reps=2), ["oracle"])
    with pytest.raises(ArchbookError, match="train_replication=7"):
        score_estimators(mmc_jobs(n=500, reps=2), train_replication=7)


def test_schedule_matches_position_when_service_is_memoryless():
    jobs = mmc_jobs(lam=3.0, mu=1.0, c=4, n=20_000, reps=2, seed=3)
    est = estimate_waits(jobs, ["position", "schedule"])
    waited = est[est["actual_s"] > 0]
    assert waited["est_schedule"].mean() == pytest.approx(waited["est_position"].mean(), rel=0.03)


def test_schedule_uses_elapsed_service_when_it_is_informative():
    # M/D/c: a busy worker's remaining time is exactly D - elapsed; position only knows the average
    jobs = mmc_jobs(lam=3.6, mu=1.0, c=4, n=20_000, reps=2, seed=4, service="deterministic")
    ov = score_estimators(jobs, ["position", "schedule"], min_wait_s=0.05).xs("overall", level="cls")
    assert ov.loc["schedule", "mae_waited_s"] < 0.9 * ov.loc["position", "mae_waited_s"]
    assert abs(ov.loc["schedule", "bias_waited_s"]) < 0.08 * ov.loc["schedule", "mean_wait_waited_s"]
    assert recommend_estimator(score_estimators(jobs, min_wait_s=0.05)) == "schedule"


def test_estimators_on_the_real_engine_records():
    from test_sweep import mmc_scenario

    from archbook.sim import simulate

    res = simulate(mmc_scenario(rate=3.2, jobs=20_000, reps=2), record_timeline=False,
                   **{"workers.count": 4})
    est = estimate_waits(res.jobs, ["position", "priority", "schedule"])
    waited = est[est["actual_s"] > 0]
    high = waited[waited["cls"] == "high"]  # top priority: nobody cuts in, position is the law
    assert high["est_position"].mean() == pytest.approx(high["actual_s"].mean(), rel=0.1)
    normal = waited[waited["cls"] == "normal"]
    for name in ("priority", "schedule"):  # the cut-in factor removes position's under-estimate
        assert abs(normal[f"est_{name}"].mean() / normal["actual_s"].mean() - 1) < 0.15
    assert normal["est_position"].mean() < 0.9 * normal["actual_s"].mean()
