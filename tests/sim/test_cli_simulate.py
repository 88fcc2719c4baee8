"""`archbook simulate` end to end. One test runs a real subprocess (exit code, no traceback);
the others call the CLI entry point in-process, which is the same code without the start-up."""
from __future__ import annotations

import json
import subprocess
import sys

from archbook.cli import main
from archbook.sim.results import FIELDS

QUICK = ["--set", "horizon.jobs=20000", "--set", "horizon.warmup_jobs=2000", "--reps", "3"]


def test_json_has_contract_fields(capsys):
    assert main(["simulate", "data/video-editor", "--json", *QUICK, "--seed", "4"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["classes"]) == {"high", "normal", "low"}
    for block in [out["overall"], *out["classes"].values()]:
        for f in FIELDS:
            assert f in block and f"{f}_ci95" in block
    assert out["scenario"]["horizon"]["replications"] == 3
    assert out["overall"]["cost"] > 0


def test_set_overrides_and_table(capsys):
    code = main(["simulate", "data/video-editor/queue.yaml", *QUICK, "--set", "workers.count=12",
                 "--set", "patience=null"])
    out = capsys.readouterr().out
    assert code == 0
    assert "wait_p95_s" in out and "high" in out and "±" in out


def test_bad_set_path_is_a_clear_error(capsys):
    assert main(["simulate", "data/video-editor", "--set", "workers.count.x=3"]) == 1
    err = capsys.readouterr().err
    assert "workers.count" in err and "override `workers.count.x`" in err


def test_bad_scenario_exit_1_no_traceback(tmp_path):
    bad = tmp_path / "queue.yaml"
    bad.write_text("arrivals: {process: poisson, rate_per_s: -1}\nclasses:\n"
                   "  - {name: a, share: 0.5, service: {dist: nope, mean_s: 1}}\n"
                   "workers: {count: 2}\nhorizon: {jobs: 100}\n")
    r = subprocess.run([sys.executable, "-m", "archbook.cli", "simulate", str(bad)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{bad}:1" in r.stderr and "arrivals.rate_per_s" in r.stderr
    assert f"{bad}:3" in r.stderr and "unknown distribution 'nope'" in r.stderr


def test_unstable_warning_on_stderr(tmp_path, capsys):
    f = tmp_path / "q.yaml"
    f.write_text("arrivals: {process: poisson, rate_per_s: 3}\nclasses:\n"
                 "  - {name: a, share: 1, service: {dist: exponential, mean_s: 1}}\n"
                 "workers: {count: 2}\nhorizon: {jobs: 5000, replications: 2}\n")
    assert main(["simulate", str(f), "--json"]) == 0
    cap = capsys.readouterr()
    assert "UNSTABLE" in cap.err and "UNSTABLE" in json.loads(cap.out)["warnings"][0]
