"""`archbook check --against OLD`: the breaking-change item is judged by the diff."""
import shutil
from pathlib import Path

import yaml

from archbook.checklist.evolution import HONOURED, honour
from archbook.checklist.registry import CheckResult
from archbook.cli import main
from archbook.diff.change import Change
from archbook.diff.engine import DiffReport

VIDEO = Path(__file__).resolve().parents[2] / "data/video-editor"


def edit(path, fn):
    doc = yaml.safe_load(path.read_text())
    fn(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def require_seed(doc, version):
    doc["info"]["version"] = version
    req = doc["components"]["schemas"]["GenerateVideoRequest"]
    req["properties"]["seed"] = {"type": "integer"}
    req["required"].append("seed")


def test_check_against_fails_without_a_major_bump_and_passes_with_one(tmp_path, capsys):
    new = tmp_path / "video-editor"
    shutil.copytree(VIDEO, new)
    edit(new / "openapi.yaml", lambda d: require_seed(d, "1.1.0"))
    assert main(["check", str(new), "--against", str(VIDEO)]) == 1
    out = capsys.readouterr().out
    assert f"❌ Fail | {HONOURED} | 5.3 | openapi: 1 breaking change(s) but the major version stays 1 -&gt; 1 (1.1.0)" in out
    edit(new / "openapi.yaml", lambda d: d["info"].update(version="2.0.0"))
    edit(new / "versioning.yaml", lambda d: d.update(changelog=[{"version": "2.0.0", "summary": "seed is required"}]))
    assert main(["check", str(new), "--against", str(VIDEO)]) == 0
    assert f"✅ Pass | {HONOURED} | 5.3 | 1 breaking change(s) since" in capsys.readouterr().out


def test_without_against_the_item_stays_defined(capsys):
    assert main(["check", str(VIDEO)]) == 0
    out = capsys.readouterr().out
    assert "Breaking change policy defined" in out and HONOURED not in out


def test_honour_replaces_only_the_policy_item():
    results = [CheckResult("Breaking change policy defined", "5.3", True, "ok", "breaking_changes"),
               CheckResult("Other", "5.1", True, "ok", "other")]
    bad = Change("breaking-change-without-major-bump", "breaking", "policy", "openapi", "stays 1")
    judged = honour(results, DiffReport("old", "new", [], [bad]))
    assert [(r.item, r.passed, r.reason) for r in judged] == [(HONOURED, False, "openapi: stays 1"), ("Other", True, "ok")]
