"""Every case of the broken-input corpus gives its specific message, file, line and field,
and `archbook validate` exits with the expected code and never shows a traceback."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archbook.cli import main as cli_main
from archbook.load import validate_system

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _expected(case: str) -> dict:
    return yaml.safe_load((BROKEN / case / "expected.yaml").read_text(encoding="utf-8"))


def _matches(problem: dict, exp: dict) -> bool:
    return (
        Path(problem["file"]).name == exp["file"]
        and problem["line"] == exp["line"]
        and exp["field"] in problem["field"]
        and exp["message"] in problem["message"]
        and exp.get("hint", "") in problem["hint"]
        and problem["severity"] == exp.get("severity", "error")
    )


def test_corpus_is_big_enough():
    assert len(CASES) >= 25


def test_base_system_is_valid():
    model, problems = validate_system(BROKEN / "_base")
    assert model is not None and problems == []


@pytest.mark.parametrize("case", CASES)
def test_case_reports_its_problem(case, capsys):
    """One run of `archbook validate --json` per case: the problem, the exit code, no traceback."""
    exp = _expected(case)
    code = cli_main(["validate", str(BROKEN / case), "--json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    result = json.loads(out)
    problems = result["errors"] + result["warnings"]
    assert any(_matches(p, exp) for p in problems), (
        f"{case}: expected {exp}\n got:\n" + "\n".join(f"  {p}" for p in problems))
    assert code == exp.get("exit", 1)
    assert result["ok"] is (code == 0) and (result["summary"] is None) is (code == 1)


@pytest.mark.parametrize("case", ["yaml-syntax-error", "duplicate-component-id", "openapi-response-example-mismatch",
                                  "asyncapi-unknown-key", "missing-architecture", "upward-dependency-warning"])
def test_text_output(case, capsys):
    exp = _expected(case)
    code = cli_main(["validate", str(BROKEN / case)])
    out, err = capsys.readouterr()
    assert code == exp.get("exit", 1) and "Traceback" not in out + err
    shown = err if code else out
    where = f"{exp['file']}:{exp['line']}" if exp["line"] else exp["file"]
    assert where in shown and exp["message"] in shown


@pytest.mark.parametrize("case", ["yaml-syntax-error", "invalid-openapi-enum", "upward-dependency-warning"])
def test_cli_subprocess(case):
    """The real entry point behaves as in-process (exit code, no traceback)."""
    exp = _expected(case)
    proc = subprocess.run([sys.executable, "-m", "archbook.cli", "validate", str(BROKEN / case)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == exp.get("exit", 1)
    assert "Traceback" not in proc.stderr
    assert exp["message"] in (proc.stderr if proc.returncode else proc.stdout)
