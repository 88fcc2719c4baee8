"""Bounded simulation: impossible runs refused at validation (before any draw), untrustworthy results warned."""
from __future__ import annotations

import time

import pandas as pd
import pytest

from archbook.errors import ValidationFailed
from archbook.sim.guards import quantile_warnings, replication_warnings, saturation_warning
from archbook.load.scenario import load_scenario

BASE = {"arrivals": {"process": "poisson", "rate_per_s": 0.5},
        "classes": [{"name": "n", "share": 1.0, "service": {"dist": "exponential", "mean_s": 2.0}}],
        "workers": {"count": 2}, "horizon": {"jobs": 20000, "replications": 5}}


def _problems(**overrides):
    with pytest.raises(ValidationFailed) as info:
        load_scenario(BASE, overrides)
    return info.value.problems


def test_a_million_workers_is_refused_at_once():
    start = time.perf_counter()
    (p,) = _problems(**{"workers.count": 1_000_000})
    assert time.perf_counter() - start < 1
    assert (p.field, p.message) == ("workers.count", "1,000,000 workers is more than the 10,000 the simulator handles")


def test_huge_horizon_is_refused_before_drawing():
    (p,) = _problems(**{"horizon.jobs": 10**9})
    assert p.field == "horizon.jobs" and "1,000,000,000 jobs per replication" in p.message
    (p,) = _problems(**{"horizon.jobs": None, "horizon.duration_s": 1e10})
    assert p.field == "horizon.duration_s" and "5,000,000,000 jobs" in p.message


def test_slow_run_is_a_warning_not_an_error():
    sc = load_scenario(BASE, {"horizon.jobs": 5_000_000, "horizon.replications": 10})
    (w,) = sc._warnings
    assert w.severity == "warning" and w.message == "50,000,000 jobs in all (10 replications): the run will take minutes"


def test_validate_shows_the_warning(tmp_path, capsys):
    import shutil
    from pathlib import Path

    from archbook.cli import main

    system = tmp_path / "sys"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "broken" / "_base", system)
    q = system / "queue.yaml"
    q.write_text(q.read_text().replace("replications: 5", "replications: 2000"))
    assert main(["validate", str(system)]) == 0
    assert "40,000,000 jobs in all (2000 replications): the run will take minutes" in capsys.readouterr().out


@pytest.mark.parametrize("rho, horizon, warn", [(0.995, 20_000, True), (0.99, 40_000, True), (0.9, 1e6, False),
                                                (0.7, 10_000, False), (1.2, 100, False)])
def test_saturation_warning(rho, horizon, warn):
    msg = saturation_warning(rho, 1.0, horizon)
    assert (msg is not None) is warn
    if warn:
        assert msg.startswith(f"NEAR SATURATION: rho = {rho:.3f}") and "Lengthen the horizon" in msg


def test_disagreeing_replications_are_flagged():
    reps = pd.DataFrame({"cls": ["overall"] * 4, "wait_mean_s": [1.0, 1.1, 0.9, 30.0]})
    summary = pd.DataFrame({"wait_mean_s": [8.25], "wait_mean_s_ci95": [0.5]}, index=["overall"])
    (w,) = replication_warnings(reps, summary)
    assert w.startswith("REPLICATIONS DISAGREE") and "lengthen the horizon" in w
    honest = pd.DataFrame({"wait_mean_s": [8.25], "wait_mean_s_ci95": [23.0]}, index=["overall"])
    assert replication_warnings(reps, honest) == []


def test_few_waits_for_a_tail_quantile():
    assert quantile_warnings({"a": 150, "b": 50_000}) == [
        "FEW WAITS: the p99 wait of `a` rests on 150 waits (fewer than 2,000); "
        "raise horizon.jobs or horizon.replications before trusting it."]


def test_simulate_attaches_the_near_saturation_warning():
    from archbook.sim import simulate

    res = simulate(BASE, record_jobs=False, record_timeline=False,
                   **{"arrivals.rate_per_s": 0.995, "horizon.jobs": 5000, "horizon.replications": 3})
    assert any(w.startswith("NEAR SATURATION: rho = 0.995") for w in res.warnings)


NEAR = {"arrivals.rate_per_s": 0.995, "horizon.jobs": 5000, "horizon.replications": 3}


@pytest.mark.parametrize("crn", [True, False])
def test_a_sweep_names_the_point_near_saturation(crn):
    from archbook.sim import sweep

    scen = load_scenario(BASE, NEAR)
    table = sweep(scen, [2, 4], n_jobs=1, progress=False, crn=crn)
    near = [w for w in table.attrs["warnings"] if "NEAR SATURATION" in w]
    assert len(near) == 1 and near[0].startswith("workers=2: NEAR SATURATION: rho = 0.995")
    assert "Lengthen the horizon" in near[0]  # says what to change


def test_compare_cases_keeps_the_warning_for_the_notebook():
    from archbook.sim.whatif import compare_cases

    out = compare_cases(load_scenario(BASE, NEAR), {"two": {}, "four": {"workers.count": 4}}, seed=1)
    assert [w.split(": ", 1)[0] for w in out.attrs["warnings"] if "NEAR SATURATION" in w] == ["two"]


def test_the_cli_prints_the_warning(tmp_path, capsys):
    import yaml

    from archbook.cli import main

    (tmp_path / "queue.yaml").write_text(yaml.safe_dump(BASE))
    assert main(["simulate", str(tmp_path / "queue.yaml"), *(f"--set={k}={v}" for k, v in NEAR.items())]) == 0
    err = capsys.readouterr().err
    assert "warning: NEAR SATURATION: rho = 0.995" in err and "Lengthen the horizon to about" in err


def test_the_notebook_shows_the_warning_as_markdown():
    from archbook.render import markdown as md

    shown = str(md.warnings(["workers=2: NEAR SATURATION: rho = 0.995; <b>x</b>"]))
    assert shown == "> **Warning:** workers=2: NEAR SATURATION: rho = 0.995; &lt;b&gt;x&lt;/b&gt;  "
    assert str(md.warnings([])) == ""
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[2] / "notebooks" / "04_job_queue_simulation.ipynb").read_text())
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for shown_for in ('table.attrs.get("warnings")', "day_run.warnings", 'fail.attrs.get("warnings")', "est_run.warnings"):
        assert f"md.warnings({shown_for})" in code
