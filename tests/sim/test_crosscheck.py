"""Analytic overlays and what-if cases built from a scenario."""
from __future__ import annotations

import math

import pytest
from test_sweep import mmc_scenario

from archbook.sim import analytic, simulate
from archbook.sim.crosscheck import caveats, class_table, crosscheck_table, erlang_curve
from archbook.sim.whatif import arrival_profile, compare_cases, day_cases, failure_cases


def test_erlang_curve_is_the_equivalent_mmc():
    curve = erlang_curve(mmc_scenario(rate=3.0, mean_s=2.0), [1, 7, 8]).set_index("workers")
    exact = analytic.mmc(3.0, 0.5, 7)
    assert curve.loc[7, "wait_mean_s"] == pytest.approx(exact.wait_mean)
    assert curve.loc[7, "wait_p95_s"] == pytest.approx(exact.wait_quantile(0.95))
    assert curve.loc[7, "wait_mean_allen_cunneen_s"] == pytest.approx(exact.wait_mean)  # scv 1
    assert math.isinf(curve.loc[1, "wait_mean_s"])  # rho = 6: unstable


def test_class_table_and_crosscheck():
    scen = mmc_scenario(rate=3.0, jobs=20_000, reps=3)
    ct = class_table(scen)
    assert list(ct.index) == ["high", "normal", "overall"]
    assert ct.loc["overall", "offered_load_erlangs"] == pytest.approx(3.0)
    res = simulate(scen, record_jobs=False, record_timeline=False, **{"workers.count": 5})
    check = crosscheck_table(scen, res.summary, 5)
    cob = analytic.cobham([0.9, 2.1], 1.0, 5)
    assert check.loc["high", "cobham_s"] == pytest.approx(cob[0])
    assert check.loc["high", "simulated_wait_mean_s"] == pytest.approx(cob[0], rel=0.25)
    assert check.attrs["caveats"] == []


def test_caveats_name_what_formulas_ignore():
    scen = mmc_scenario(patience={"dist": "exponential", "mean_s": 5.0}, queue={"capacity": 10})
    text = " ".join(caveats(scen))
    assert "patience" in text and "admission" in text


def test_failure_cases_run_and_differ():
    scen = mmc_scenario(rate=3.0, jobs=3000, reps=2, failures={
        "oom": {"probability": 0.5, "retry_probability_factor": 1.0, "max_retries": 1},
        "crash": {"mtbf_s": 600.0, "restart_s": 30.0}})
    cases = failure_cases(scen)
    assert list(cases) == ["no failures", "GPU OOM", "worker crash", "OOM + crash"]
    assert cases["GPU OOM"]["failures"]["oom"]["probability"] == 0.5  # the scenario's own settings
    ov = compare_cases(scen, cases, seed=3).query("cls == 'overall'").set_index("case")
    assert ov.loc["no failures", "failed_fraction"] == 0 == ov.loc["worker crash", "failed_fraction"]
    assert ov.loc["GPU OOM", "failed_fraction"] == pytest.approx(0.25, abs=0.03)  # both attempts OOM
    assert ov.loc["worker crash", "wait_mean_s"] > ov.loc["no failures", "wait_mean_s"]
    assert failure_cases(mmc_scenario())["GPU OOM"]["failures"]["oom"]["probability"] == 0.05


def test_day_cases_and_profile():
    scen = mmc_scenario()
    scen["workers"] = {"autoscale": {"min": 1, "max": 6}, "cost_per_hour": 1.0}
    scen["arrivals"] = {"process": "profile", "profile": [{"hour": 0, "rate_per_s": 1.0},
                                                          {"hour": 12, "rate_per_s": 3.0}]}
    assert list(day_cases(scen)) == ["fixed pool (6)", "autoscaling (1-6)"]
    assert list(day_cases(scen, autoscale=False)) == ["fixed pool (6)"]
    prof = arrival_profile(scen, days=2)
    assert list(prof["t_s"]) == [0, 43200, 86400, 129600, 172800]
    assert list(prof["rate_per_s"]) == [1.0, 3.0, 1.0, 3.0, 3.0]
    assert arrival_profile(mmc_scenario()) is None
