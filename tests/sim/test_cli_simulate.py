"""`archbook simulate` end to end, in a subprocess so exit codes and stderr are real."""
from __future__ import annotations

import json
import subprocess
import sys

from archbook.sim.results import FIELDS

QUICK = ["--set", "horizon.jobs=20000", "--set", "horizon.warmup_jobs=2000", "--reps", "3"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "archbook.cli", "simulate", *args],
                          capture_output=True, text=True, timeout=300)


def test_json_has_contract_fields():
    r = cli("data/video-editor", "--json", *QUICK, "--seed", "4")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out["classes"]) == {"high", "normal", "low"}
    for block in [out["overall"], *out["classes"].values()]:
        for f in FIELDS:
            assert f in block and f"{f}_ci95" in block
    assert out["scenario"]["horizon"]["replications"] == 3
    assert out["overall"]["cost"] > 0


def test_set_overrides_and_table():
    r = cli("data/video-editor/queue.yaml", *QUICK, "--set", "workers.count=12", "--set", "patience=null")
    assert r.returncode == 0, r.stderr
    assert "wait_p95_s" in r.stdout and "high" in r.stdout and "±" in r.stdout


def test_bad_set_path_is_a_clear_error():
    r = cli("data/video-editor", "--set", "workers.count.x=3")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "workers.count" in r.stderr


def test_bad_scenario_exit_1_no_traceback(tmp_path):
    bad = tmp_path / "queue.yaml"
    bad.write_text("arrivals: {process: poisson, rate_per_s: -1}\nclasses:\n"
                   "  - {name: a, share: 0.5, service: {dist: nope, mean_s: 1}}\n"
                   "workers: {count: 2}\nhorizon: {jobs: 100}\n")
    r = cli(str(bad))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{bad}:1" in r.stderr and "arrivals.rate_per_s" in r.stderr
    assert f"{bad}:3" in r.stderr and "unknown distribution 'nope'" in r.stderr


def test_unstable_warning_on_stderr(tmp_path):
    f = tmp_path / "q.yaml"
    f.write_text("arrivals: {process: poisson, rate_per_s: 3}\nclasses:\n"
                 "  - {name: a, share: 1, service: {dist: exponential, mean_s: 1}}\n"
                 "workers: {count: 2}\nhorizon: {jobs: 5000, replications: 2}\n")
    r = cli(str(f), "--json")
    assert r.returncode == 0
    assert "UNSTABLE" in r.stderr and "UNSTABLE" in json.loads(r.stdout)["warnings"][0]
