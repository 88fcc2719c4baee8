"""capacity.json: the contract the build's index page reads."""
from __future__ import annotations

import json
import stat

import pytest
from test_sweep import mmc_scenario

from archbook.sim.capacity import capacity_record, write_capacity_json
from archbook.sim.sweeping import recommend, sweep

KEYS = {"system", "scenario", "recommended_workers", "cost_per_hour", "slo", "slo_met", "p95_wait_s",
        "utilization", "arrival_multiplier", "autoscale"}


def test_capacity_json_roundtrip(tmp_path):
    scen = mmc_scenario(jobs=2000, reps=2)
    rec = recommend(scen, "high.wait_p95_s<=5", table=sweep(scen, [4, 5, 6], n_jobs=1, progress=False))
    record = capacity_record(rec, system="data/x", scenario="queue.yaml", arrival_multiplier=1.5)
    path = write_capacity_json(tmp_path / "out", record)
    data = json.loads(path.read_text())
    assert KEYS <= set(data)
    assert data["recommended_workers"] == rec.workers and data["slo_met"] is True
    assert data["p95_wait_s"]["high"] == pytest.approx(rec.summary.loc["high", "wait_p95_s"])
    assert data["slo"] == {"high": {"wait_p95_s": 5.0}} and data["arrival_multiplier"] == 1.5
    assert data["autoscale"] is False and data["cost_per_hour"] == pytest.approx(2.0 * rec.workers)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["capacity.json"]


def test_unmet_slo_is_recorded_not_raised(tmp_path):
    scen = mmc_scenario(jobs=2000, reps=2)
    table = sweep(scen, [4, 5], n_jobs=1, progress=False)
    rec = recommend(scen, "high.wait_p95_s<=0.0001", table=table, strict=False)
    data = json.loads(write_capacity_json(tmp_path, capacity_record(rec, system="s", scenario="q")).read_text())
    assert data["slo_met"] is False and data["recommended_workers"] == 5
    assert "no count tried meets" in rec.describe()
