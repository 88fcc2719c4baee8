"""The import rules of ARCHITECTURE.md hold: import-linter checks the contracts in pyproject.toml."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"]


def _lint(src: Path, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([*LINT, "--config", str(config), "--no-cache"], cwd=src.parent, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_repository_keeps_every_import_rule():
    run = _lint(REPO / "src", REPO / "pyproject.toml")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_an_import_against_the_flow_is_caught(tmp_path):
    """The check can fail: a copy of the package whose model imports the report builder breaks a contract."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "src" / "archbook", src / "archbook", ignore=shutil.ignore_patterns("__pycache__"))
    base = src / "archbook" / "model" / "base.py"
    base.write_text(base.read_text() + "\nimport archbook.report.paths  # noqa: E402  (deliberate violation)\n")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    run = _lint(src, tmp_path / "pyproject.toml")
    assert run.returncode != 0
    assert "archbook.model.base -> archbook.report.paths" in run.stdout
