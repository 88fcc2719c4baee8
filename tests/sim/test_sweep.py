"""sweep / recommend: grid layout, seeds, serial == parallel, SLO logic, and the CLI."""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from archbook.cli import main
from archbook.errors import ArchbookError
from archbook.sim import analytic
from archbook.sim.sweeping import Target, parse_slo, recommend, sweep


def mmc_scenario(rate=3.0, mean_s=1.0, count=4, jobs=4000, reps=3, **extra):
    scen = {
        "arrivals": {"process": "poisson", "rate_per_s": rate},
        "classes": [
            {"name": "high", "share": 0.3, "priority": 0, "service": {"dist": "exponential", "mean_s": mean_s}},
            {"name": "normal", "share": 0.7, "priority": 1, "service": {"dist": "exponential", "mean_s": mean_s}},
        ],
        "discipline": "priority",
        "workers": {"count": count, "cost_per_hour": 2.0},
        "horizon": {"jobs": jobs, "warmup_jobs": jobs // 10, "replications": reps, "seed": 7},
    }
    scen.update(extra)
    return scen


def test_table_layout_and_cost():
    t = sweep(mmc_scenario(), [4, 5], n_jobs=1, progress=False)
    assert list(t.columns[:2]) == ["workers", "cls"]
    assert len(t) == 2 * 3 and set(t["cls"]) == {"overall", "high", "normal"}
    for col in ("wait_p95_s", "wait_p95_s_ci95", "utilization", "cost", "cost_per_hour"):
        assert col in t
    ov = t[t["cls"] == "overall"].set_index("workers")
    assert ov.loc[4, "cost_per_hour"] == pytest.approx(4 * 2.0, rel=1e-6)
    assert ov.loc[4, "utilization"] == pytest.approx(3.0 / 4, rel=0.05)
    assert ov.loc[5, "wait_mean_s"] < ov.loc[4, "wait_mean_s"]


def test_serial_equals_parallel_and_is_reproducible():
    kw = dict(jobs=3000, replications=2, seed=123, progress=False, arrival_multiplier=[0.8, 1.0])
    serial = sweep(mmc_scenario(), [4, 5, 6], n_jobs=1, **kw)
    parallel = sweep(mmc_scenario(), [4, 5, 6], n_jobs=2, **kw)
    pd.testing.assert_frame_equal(serial, parallel)
    assert len(serial[serial["cls"] == "overall"]) == 6


def test_points_share_random_numbers_unless_crn_is_off():
    t = sweep(mmc_scenario(), [4, 4], jobs=3000, replications=2, seed=5, n_jobs=1, progress=False)
    a, b = t[t["cls"] == "overall"]["wait_mean_s"].to_numpy()
    assert a == b  # common random numbers: same configuration, same streams
    ind = sweep(mmc_scenario(), [4, 4], jobs=3000, replications=2, seed=5, n_jobs=1, progress=False, crn=False)
    c, d = ind[ind["cls"] == "overall"]["wait_mean_s"].to_numpy()
    assert c != d  # independent streams per point
    again = sweep(mmc_scenario(), [4, 4], jobs=3000, replications=2, seed=6, n_jobs=1, progress=False)
    assert again[again["cls"] == "overall"]["wait_mean_s"].iloc[0] != a


def test_arrival_multiplier_and_dotted_grid_keys():
    t = sweep(mmc_scenario(), [6], arrival_multiplier=[1.0, 1.5], **{"queue.capacity": [0, 100]},
              jobs=3000, replications=2, n_jobs=1, progress=False)
    ov = t[t["cls"] == "overall"].set_index(["arrival_multiplier", "queue.capacity"])
    assert ov.loc[(1.5, 100), "utilization"] == pytest.approx(1.5 * ov.loc[(1.0, 100), "utilization"], rel=0.08)
    # capacity 0: nobody waits, the excess is rejected (Erlang B)
    assert ov.loc[(1.0, 0), "wait_mean_s"] == 0
    assert ov.loc[(1.0, 0), "rejected_fraction"] == pytest.approx(analytic.erlang_b(6, 3.0), abs=0.03)


def test_mmc_sweep_agrees_with_erlang_c():
    scen = mmc_scenario(rate=2.0, jobs=20_000, reps=4, discipline="fifo")
    t = sweep(scen, [3, 4], n_jobs=1, progress=False)
    ov = t[t["cls"] == "overall"].set_index("workers")
    for c in (3, 4):
        exact = analytic.mmc(2.0, 1.0, c).wait_mean
        assert abs(ov.loc[c, "wait_mean_s"] - exact) < max(3 * ov.loc[c, "wait_mean_s_ci95"], 0.05 * exact)


def test_parse_slo_forms():
    a = parse_slo("high.wait_p95_s<=30, normal.wait_p95_s <= 120")
    b = parse_slo({"high": {"wait_p95_s": 30}, "normal": {"wait_p95_s": 120}})
    assert a == b == [Target("high", "wait_p95_s", "<=", 30.0), Target("normal", "wait_p95_s", "<=", 120.0)]
    assert parse_slo({"overall": {"utilization": {">=": 0.5}}})[0].op == ">="
    with pytest.raises(ArchbookError, match="class.field<=value"):
        parse_slo("high wait under 30")
    with pytest.raises(ArchbookError, match="unknown field 'wait_p96_s'"):
        parse_slo("high.wait_p96_s<=30")
    with pytest.raises(ArchbookError, match="no SLO given"):
        parse_slo(None)


def test_recommend_uses_upper_ci_bound():
    scen = mmc_scenario(rate=3.0, jobs=4000, reps=3)
    rec = recommend(scen, "high.wait_p95_s<=1.0, normal.wait_p95_s<=3", workers=range(3, 9), n_jobs=1)
    pts = rec.table[rec.table["cls"] == "overall"].set_index("workers")
    assert rec.slo_met and pts.loc[rec.workers, "meets_slo"]
    assert not pts.loc[pts.index < rec.workers, "meets_slo"].any()
    # the bound is mean + half-width, and it decides
    high = rec.table[(rec.table["cls"] == "high")].set_index("workers")
    bound = pts["high.wait_p95_s<=1_bound"]
    np.testing.assert_allclose(bound, high["wait_p95_s"] + high["wait_p95_s_ci95"])
    assert rec.cost_per_hour == pytest.approx(rec.workers * 2.0)
    assert rec.slo == {"high": {"wait_p95_s": 1.0}, "normal": {"wait_p95_s": 3.0}}
    assert set(rec.summary.index) == {"overall", "high", "normal"}


def test_recommend_reuses_a_table_and_reports_failure():
    scen = mmc_scenario(rate=3.0, jobs=2000, reps=2)
    table = sweep(scen, [4, 5], n_jobs=1, progress=False)
    rec = recommend(scen, {"normal": {"wait_mean_s": 1e6}}, table=table)
    assert rec.workers == 4
    with pytest.raises(ArchbookError, match=r"no worker count in 4\.\.5 meets the SLO.*high\.wait_p95_s<=0\.001"):
        recommend(scen, "high.wait_p95_s<=0.001", table=table)
    with pytest.raises(ArchbookError, match="names class 'vip'"):
        recommend(scen, "vip.wait_p95_s<=10", table=table)


def test_recommend_autoscaling_searches_the_floor():
    scen = mmc_scenario(rate=3.0, jobs=4000, reps=2)
    scen["workers"] = {"autoscale": {"min": 2, "max": 6, "initial": 3, "check_interval_s": 5,
                                     "scale_down_cooldown_s": 30}, "cost_per_hour": 2.0}
    rec = recommend(scen, "normal.wait_mean_s<=2", workers=range(3, 9), n_jobs=1)
    assert rec.table["autoscale"].eq(False).all()  # stage 1: fixed pools
    assert rec.autoscale and rec.bounds[1] == max(6, rec.workers) and 0 <= rec.bounds[0] <= rec.workers
    pts = rec.autoscale_table[rec.autoscale_table["cls"] == "overall"].set_index("autoscale_min")
    assert list(pts.index) == list(range(0, rec.workers + 1))
    assert pts.loc[rec.bounds[0], "meets_slo"] and not pts.loc[: rec.bounds[0] - 1, "meets_slo"].any()
    assert rec.cost_per_hour == pytest.approx(pts.loc[rec.bounds[0], "cost_per_hour"])
    assert rec.fixed_cost_per_hour == pytest.approx(rec.workers * 2.0)
    fixed_only = recommend(scen, "normal.wait_mean_s<=2", table=rec.table, autoscale=False)
    assert fixed_only.bounds is None and fixed_only.workers == rec.workers


def test_cli_sweep_writes_csv_and_html(tmp_path, capsys):
    import yaml

    f = tmp_path / "queue.yaml"
    f.write_text(yaml.safe_dump(mmc_scenario(jobs=2000, reps=2)))
    out = tmp_path / "res" / "r.csv"
    code = main(["sweep", str(f), "--workers", "4:5", "--set", "arrivals.rate_per_s=2.5",
                 "--no-progress", "--processes", "1", "--out", str(out)])
    assert code == 0
    df = pd.read_csv(out)
    assert sorted(df["workers"].unique()) == [4, 5]
    assert df[df["cls"] == "overall"]["utilization"].iloc[0] == pytest.approx(2.5 / 4, rel=0.08)
    assert "wrote" in capsys.readouterr().out
    html_out = tmp_path / "r.html"
    assert main(["sweep", str(f), "--workers", "4", "--no-progress", "--processes", "1", "--out", str(html_out)]) == 0
    assert "<table" in html_out.read_text()
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_cli_sweep_bad_input(tmp_path, capsys):
    f = tmp_path / "q.yaml"
    import yaml

    f.write_text(yaml.safe_dump(mmc_scenario()))
    assert main(["sweep", str(f), "--workers", "1-32", "--out", str(tmp_path / "r.csv")]) == 1
    assert "--workers '1-32'" in capsys.readouterr().err
    assert main(["sweep", str(f), "--workers", "4", "--no-progress", "--out", str(tmp_path / "r.txt")]) == 1
    assert ".csv or .html" in capsys.readouterr().err
    assert not (tmp_path / "r.csv").exists()


def test_bad_sweep_arguments():
    with pytest.raises(ArchbookError, match="replications must be >= 2"):
        sweep(mmc_scenario(), [4], replications=1, progress=False)
    with pytest.raises(ArchbookError, match="arrival_multiplier must be > 0"):
        sweep(mmc_scenario(), [4], arrival_multiplier=[0], n_jobs=1, progress=False)
    with pytest.raises(ArchbookError, match="no workers.autoscale policy"):
        sweep(mmc_scenario(), [4], autoscale=[True], n_jobs=1, progress=False)


def test_workers_mean_a_fixed_pool_unless_autoscale_is_asked_for():
    scen = mmc_scenario(rate=3.0, jobs=3000, reps=2)
    scen["workers"] = {"autoscale": {"min": 1, "max": 8, "check_interval_s": 5}, "cost_per_hour": 1.0}
    t = sweep(scen, [5], n_jobs=1, progress=False)
    fixed = t[t["cls"] == "overall"].iloc[0]
    assert fixed["cost_per_hour"] == pytest.approx(5.0)  # a pool of 5, always on
    both = sweep(scen, [5], autoscale=[False, True], n_jobs=1, progress=False)
    ov = both[both["cls"] == "overall"].set_index("autoscale")
    assert ov.loc[False, "cost_per_hour"] == pytest.approx(5.0)
    assert ov.loc[True, "cost_per_hour"] < 5.0  # scales between 1 and 5 with load 3


def _sweep_in_daemon(q):
    t = sweep(mmc_scenario(jobs=2000, reps=2), [4, 5], progress=False)
    q.put(len(t))


def test_sweep_inside_a_daemonic_worker_runs_serially():
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_sweep_in_daemon, args=(q,), daemon=True)
    p.start()
    p.join(120)
    assert p.exitcode == 0 and q.get(timeout=5) == 6


def test_crn_sweep_point_equals_simulate_with_the_same_seed():
    scen = mmc_scenario()
    t = sweep(scen, [4, 6], jobs=3000, replications=3, seed=11, n_jobs=1, progress=False)
    from archbook.sim import simulate

    one = simulate(scen, seed=11, record_jobs=False, record_timeline=False,
                   **{"workers.count": 6, "horizon.jobs": 3000, "horizon.replications": 3,
                      "horizon.warmup_jobs": 300})
    got = t[t["workers"] == 6].set_index("cls")[one.summary.columns]
    pd.testing.assert_frame_equal(got, one.summary, check_names=False)


def test_crn_reduces_the_variance_of_neighbour_differences():
    """Var(W(17) - W(16)) over 24 independent sweeps: common random numbers against
    independent streams. A variance ratio of two 24-sample variances has a log-SE of
    sqrt(2 * 2 / 23) = 0.42; measured ratios ~5 (mean) and ~13 (p95) clear 2 and 3 by
    >= 2 SE. (Where one point's noise dominates, e.g. 4 vs 5 workers at rho 0.75 / 0.6,
    CRN cannot help: the ratio is ~1.)"""
    def variances(crn):
        d = {"wait_mean_s": [], "wait_p95_s": []}
        for s in range(24):
            t = sweep(mmc_scenario(rate=13.0), [16, 17], jobs=2000, replications=2, seed=100 + s, n_jobs=1,
                      progress=False, crn=crn)
            ov = t[t["cls"] == "overall"]
            for f in d:
                w = ov[f].to_numpy()
                d[f].append(w[1] - w[0])
        return {f: np.var(v, ddof=1) for f, v in d.items()}

    ind, crn = variances(False), variances(True)
    assert ind["wait_mean_s"] / crn["wait_mean_s"] > 2, (ind, crn)
    assert ind["wait_p95_s"] / crn["wait_p95_s"] > 3, (ind, crn)


def test_small_sweeps_run_serially_by_default():
    from archbook.sim.sweeping import MIN_PARALLEL_JOBS, _pool_size

    assert _pool_size(None, 64, MIN_PARALLEL_JOBS / 2) == 1
    assert _pool_size(None, 64, MIN_PARALLEL_JOBS * 2) == min(os.cpu_count() or 1, 64)
    assert _pool_size(2, 64, 10) == 2  # asked for explicitly


def test_crn_lowers_the_variance_of_neighbour_differences():
    """30 replications per point, fixed seed. Under CRN neighbouring pools see the same
    arrivals and services, so their per-replication waits are strongly correlated (measured
    0.7-0.9 here; independent streams give |rho| < 0.35, the noise level of a 30-sample
    correlation) and the pooled variance of the differences falls. The theoretical ratio is
    1 - 2 rho sd_a sd_b / (var a + var b), about 0.65 for the 4 -> 5 pair that dominates the pool."""
    from archbook.sim.crn_gain import neighbour_difference_variance

    t = neighbour_difference_variance(mmc_scenario(jobs=4000, reps=30), [4, 5, 6, 7], replications=30, seed=5)
    assert list(t["workers"]) == [4, 5, 6] and list(t["next_workers"]) == [5, 6, 7]
    assert (t["correlation_crn"] > 0.6).all()
    assert t.attrs["pooled_ratio"] < 0.85 and t.attrs["replications"] == 30
    assert t.attrs["measured_pooled_ratio"] < 0.85  # against separately run streams too
    assert (t["var_crn"] < t["var_independent"]).all()
    np.testing.assert_allclose(t["reduction"], 1 - t["var_crn"] / t["var_if_independent"])
    # var(a - b) = var a + var b - 2 cov: the reduction is 2 cov / (var a + var b), below 1
    assert ((t["reduction"] > 0) & (t["reduction"] < 1)).all()
    again = neighbour_difference_variance(mmc_scenario(jobs=4000, reps=30), [7, 6, 5, 4], replications=30, seed=5)
    pd.testing.assert_frame_equal(t, again)  # reproducible, and the order of the counts does not matter
