"""`archbook check` and `archbook render` on the example system (and a copy with a failing rule)."""
from __future__ import annotations

import json
import shutil

import pytest

from archbook.cli import main
from sample_systems import REPO


@pytest.fixture(scope="module")
def broken_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("sys") / "video-editor"
    shutil.copytree(REPO / "data" / "video-editor", root)
    (root / "rules").mkdir(exist_ok=True)
    (root / "rules" / "house.py").write_text(
        "def check_owner_is_team_a(system):\n"
        "    return system.architecture.system.owner == 'Team A', 'owner is not Team A'\n")
    return root


def test_check_prints_table_and_passes_strict(capsys):
    assert main(["check", str(REPO / "data" / "video-editor"), "--strict"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| Status | Item | Section | Reason |")
    assert "| ✅ Pass | Breaking change policy defined | 5.3 |" in out and "❌" not in out
    assert out.rstrip().endswith("19/19 checklist items pass")


def test_check_strict_fails_on_a_failing_item(broken_copy, capsys):
    assert main(["check", str(broken_copy)]) == 0
    assert main(["check", str(broken_copy), "--strict"]) == 1
    assert "| ❌ Fail | Owner is team a | custom | owner is not Team A |" in capsys.readouterr().out
    assert main(["check", str(broken_copy), "--strict", "--no-custom"]) == 0


def test_check_json(broken_copy, capsys):
    capsys.readouterr()
    assert main(["check", str(broken_copy), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[-1] == {"item": "Owner is team a", "section": "custom", "passed": False,
                        "reason": "owner is not Team A", "rule_id": "rules/house.py:check_owner_is_team_a",
                        "origin": "custom"}


def test_check_bad_path_is_a_clean_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("archbook check: ") and "Traceback" not in err


def test_render_writes_atomically(tmp_path, capsys):
    out = tmp_path / "deep" / "er" / "section-05.md"
    assert main(["render", str(REPO / "data" / "video-editor"), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Section 05: Architecture & Design: ") and "## Version History" in text
    assert sorted(p.name for p in out.parent.iterdir()) == ["section-05.md"]  # no temp file left
    assert f"wrote {out}" in capsys.readouterr().err


def test_render_section_to_stdout_and_refuses_folder(tmp_path, capsys):
    assert main(["render", str(REPO / "data" / "video-editor"), "--section", "5.2"]) == 0
    assert capsys.readouterr().out.startswith("## 5.2 Design Patterns\n")
    assert main(["render", str(REPO / "data" / "video-editor"), "-o", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
