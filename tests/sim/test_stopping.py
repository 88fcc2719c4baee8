"""Sequential stopping: `sweep(precision=...)` adds replications until the SLO metrics are precise."""
import math

import pandas as pd
import pytest

from archbook.errors import ArchbookError
from archbook.sim import load_scenario, sweep
from archbook.sim.stopping import next_count, relative_half_width

SCENARIO = "data/video-editor/queue.yaml"
KW = dict(replications=3, jobs=2000, seed=1, n_jobs=1, progress=False, autoscale=[False])
TARGETS = [("high", "wait_p95_s"), ("normal", "wait_p95_s")]  # the scenario's slo


@pytest.fixture(scope="module")
def scen():
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def table(scen):
    return sweep(scen, range(4, 9), precision=0.05, max_replications=24, **KW)


def _summary(table, w):
    return table[table["workers"] == w].set_index("cls")


def test_points_stop_when_precise_or_at_the_cap(table):
    used = table[table["cls"] == "overall"].set_index("workers")["replications"]
    assert used.between(3, 24).all() and used.loc[4] == 24  # near saturation: hits the cap
    assert used.loc[8] < 24  # many workers: (almost) no waiting, precise early
    for w, n in used.items():
        if n < 24:
            assert relative_half_width(_summary(table, w), TARGETS) <= 0.05
    # doubling rounds from 3: only 3, 6, 12, 24 are possible
    assert set(used) <= {3, 6, 12, 24}
    assert (table.groupby("workers")["replications"].nunique() == 1).all()


def test_a_stopped_point_equals_a_fixed_run_with_as_many_replications(scen, table):
    used = table[table["cls"] == "overall"].set_index("workers")["replications"]
    w = 4
    fixed = sweep(scen, [w], **{**KW, "replications": int(used.loc[w])})
    got = table[table["workers"] == w].drop(columns="replications").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, fixed.reset_index(drop=True))


def test_a_looser_precision_never_needs_more_replications(scen, table):
    loose = sweep(scen, range(4, 9), precision=0.5, max_replications=24, **KW)
    a = loose[loose["cls"] == "overall"]["replications"].to_numpy()
    b = table[table["cls"] == "overall"]["replications"].to_numpy()
    assert (a <= b).all() and a.sum() < b.sum()


def test_relative_half_width_and_rounds():
    s = pd.DataFrame({"wait_p95_s": [10.0, 0.0], "wait_p95_s_ci95": [0.4, 0.0]}, index=["high", "normal"])
    assert relative_half_width(s, [("high", "wait_p95_s")]) == pytest.approx(0.04)
    assert relative_half_width(s, [("normal", "wait_p95_s")]) == 0.0  # exactly zero: exact
    s.loc["normal", "wait_p95_s_ci95"] = 1.0
    assert math.isinf(relative_half_width(s, [("high", "wait_p95_s"), ("normal", "wait_p95_s")]))
    assert next_count(3, 24) == 6 and next_count(20, 24) == 24


@pytest.mark.parametrize("kw, message", [
    (dict(precision=0.05, crn=False), "needs common random numbers"),
    (dict(precision=1.5), "between 0 and 1"),
    (dict(precision=0.05, max_replications=2), "below the starting 3"),
])
def test_bad_stopping_arguments_are_errors(scen, kw, message):
    with pytest.raises(ArchbookError, match=message):
        sweep(scen, [4, 5], **{**KW, **kw})


def test_cli_precision_reports_reps_per_point_in_output_and_csv(tmp_path, capsys):
    from archbook.cli import main

    out = tmp_path / "p.csv"
    assert main(["sweep", "data/video-editor", "--workers", "4:8", "--reps", "3", "--jobs", "2000",
                 "--seed", "1", "--precision", "0.05", "--max-reps", "24", "--processes", "1",
                 "--no-progress", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    csv = pd.read_csv(out)
    used = csv[csv["cls"] == "overall"].set_index("workers")["replications"]
    assert "replications used for 0.05 relative CI half-width: workers=4: 24 (cap)" in text
    assert f"workers=8: {used.loc[8]}" in text and used.loc[4] == 24


def test_cli_bad_precision_is_a_located_error(tmp_path, capsys):
    from archbook.cli import main

    code = main(["sweep", "data/video-editor", "--workers", "4:5", "--precision", "5", "--no-progress",
                 "--out", str(tmp_path / "p.csv")])
    err = capsys.readouterr().err
    assert code == 1 and "between 0 and 1" in err and "Traceback" not in err
