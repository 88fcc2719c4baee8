"""Every case of the broken-input corpus gives its specific message, file, line and field."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archbook.cli import main as cli_main
from archbook.cli.validate import check
from archbook.load import validate_system

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _expected(case: str) -> dict:
    return yaml.safe_load((BROKEN / case / "expected.yaml").read_text(encoding="utf-8"))


def _matches(problem, exp: dict) -> bool:
    return (
        Path(problem.file).name == exp["file"]
        and problem.line == exp["line"]
        and exp["field"] in problem.field
        and exp["message"] in problem.message
        and exp.get("hint", "") in problem.hint
        and problem.severity == exp.get("severity", "error")
    )


def test_corpus_is_big_enough():
    assert len(CASES) >= 25


def test_base_system_is_valid():
    model, problems = validate_system(BROKEN / "_base")
    assert model is not None and problems == []


@pytest.mark.parametrize("case", CASES)
def test_case_reports_its_problem(case):
    exp = _expected(case)
    model, problems = check(str(BROKEN / case))  # the design files, plus queue.yaml through archbook.sim
    assert any(_matches(p, exp) for p in problems), (
        f"{case}: expected {exp}\n got:\n" + "\n".join(f"  {p!r}" for p in problems))
    if exp.get("severity", "error") == "error":
        assert model is None
    else:
        assert model is not None and not [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize("case", CASES)
def test_cli_exit_code_and_no_traceback(case, capsys):
    exp = _expected(case)
    code = cli_main(["validate", str(BROKEN / case)])
    out, err = capsys.readouterr()
    assert code == exp.get("exit", 1)
    assert "Traceback" not in out + err
    shown = err if code else out
    assert exp["message"] in shown and exp["file"] in shown


@pytest.mark.parametrize("case", ["yaml-syntax-error", "invalid-openapi-enum", "upward-dependency-warning"])
def test_cli_subprocess(case):
    """The installed entry point behaves as in-process (exit code, no traceback)."""
    exp = _expected(case)
    proc = subprocess.run([sys.executable, "-m", "archbook.cli", "validate", str(BROKEN / case)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == exp.get("exit", 1)
    assert "Traceback" not in proc.stderr
    assert exp["message"] in (proc.stderr if proc.returncode else proc.stdout)
