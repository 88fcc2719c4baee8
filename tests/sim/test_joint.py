"""sweep_and_recommend (joint.py): both stages of `recommend` in one pass give exactly the
numbers of `sweep` followed by `recommend(table=...)`, whichever floors the speculation ran."""
from __future__ import annotations

import pandas as pd
import pytest

from archbook.errors import ArchbookError
from archbook.sim import joint, sweeping
from archbook.sim.sweeping import recommend, sweep, sweep_and_recommend

SLO = "normal.wait_mean_s<=2"


def autoscaling(max_workers=6, jobs=3000, reps=3):
    return {
        "arrivals": {"process": "poisson", "rate_per_s": 3.0},
        "classes": [
            {"name": "high", "share": 0.3, "priority": 0, "service": {"dist": "exponential", "mean_s": 1.0}},
            {"name": "normal", "share": 0.7, "priority": 1, "service": {"dist": "exponential", "mean_s": 1.0}},
        ],
        "discipline": "priority",
        "workers": {"autoscale": {"min": 2, "max": max_workers, "initial": 3, "check_interval_s": 5,
                                  "scale_down_cooldown_s": 30}, "cost_per_hour": 2.0},
        "horizon": {"jobs": jobs, "warmup_jobs": jobs // 10, "replications": reps, "seed": 7},
    }


def two_stage(scen, counts, slo=SLO):
    table = sweep(scen, counts, n_jobs=1, progress=False)
    return table, recommend(scen, slo, table=table, n_jobs=1)


def assert_same(joint_result, reference):
    (t1, r1), (t2, r2) = joint_result, reference
    pd.testing.assert_frame_equal(t1, t2)
    assert t1.attrs["warnings"] == t2.attrs["warnings"]
    assert (r1.workers, r1.autoscale, r1.bounds, r1.describe()) == (r2.workers, r2.autoscale, r2.bounds, r2.describe())
    pd.testing.assert_frame_equal(r1.autoscale_table, r2.autoscale_table)
    pd.testing.assert_frame_equal(r1.summary, r2.summary)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_one_pass_equals_two_stages(n_jobs):
    scen = autoscaling()
    got = sweep_and_recommend(scen, range(2, 9), SLO, n_jobs=n_jobs, progress=False)
    assert_same(got, two_stage(scen, range(2, 9)))
    assert got[1].autoscale and list(got[0]["workers"].unique()) == list(range(2, 9))


def test_speculation_short_of_the_answer_runs_the_missing_floors(monkeypatch):
    """K below w*: the floors above K are simulated afterwards; the numbers do not change."""
    real = joint._Pass._speculate

    def short(self):
        real(self)
        if self.k is not None and self.k > 0:
            self.k = 0
            self.floor_plans = self.floor_plans[:1]

    monkeypatch.setattr(joint._Pass, "_speculate", short)
    seen = []

    def spy(*a, **kw):
        seen.append(kw.get("autoscale_min"))
        return sweep(*a, **kw)

    monkeypatch.setattr(sweeping, "sweep", spy)  # the fallback's stage-2 sweep
    scen = autoscaling()
    got = sweep_and_recommend(scen, range(2, 9), SLO, n_jobs=1, progress=False)
    monkeypatch.setattr(sweeping, "sweep", sweep)
    assert seen and seen[0] == list(range(1, got[1].workers + 1))  # only the floors not run yet
    assert_same(got, two_stage(scen, range(2, 9)))


def test_answer_above_the_autoscalers_max_reruns_the_floor_search():
    """w* > the policy's max changes the ceiling, so the speculative floors (at the old one) are not used."""
    scen = autoscaling(max_workers=3)
    got = sweep_and_recommend(scen, range(2, 9), SLO, n_jobs=1, progress=False)
    assert got[1].workers > 3 and got[1].bounds[1] == got[1].workers
    assert_same(got, two_stage(scen, range(2, 9)))


def test_unreachable_slo_keeps_the_table_and_says_why():
    scen = autoscaling()
    table, rec = sweep_and_recommend(scen, [2, 3], "normal.wait_mean_s<=0.0001", n_jobs=1, progress=False)
    assert isinstance(rec, ArchbookError) and "no worker count in 2..3 meets the SLO" in str(rec)
    pd.testing.assert_frame_equal(table, sweep(scen, [2, 3], n_jobs=1, progress=False))


def test_unknown_class_in_the_slo_is_an_error_not_a_lost_sweep():
    table, rec = sweep_and_recommend(autoscaling(), [3, 4], "vip.wait_mean_s<=2", n_jobs=1, progress=False)
    assert isinstance(rec, ArchbookError) and "'vip'" in str(rec)
    assert set(table["workers"]) == {3, 4}


def test_bad_counts_fail_before_simulating():
    with pytest.raises(ArchbookError, match="workers must be a non-empty range"):
        sweep_and_recommend(autoscaling(), [0, 1], SLO, n_jobs=1, progress=False)


def test_fixed_pool_scenario_takes_the_plain_path():
    scen = autoscaling()
    scen["workers"] = {"count": 4, "cost_per_hour": 2.0}
    got = sweep_and_recommend(scen, range(3, 7), SLO, n_jobs=1, progress=False)
    ref = two_stage(scen, range(3, 7))
    pd.testing.assert_frame_equal(got[0], ref[0])
    assert got[1].describe() == ref[1].describe() and got[1].autoscale_table is None
