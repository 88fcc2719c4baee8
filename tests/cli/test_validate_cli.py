"""`archbook validate`: summary, --json, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

from archbook.cli import main

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken"


def test_summary_for_the_video_editor(capsys):
    assert main(["validate", "data/video-editor"]) == 0
    out = capsys.readouterr().out
    assert "AI Video Editor (version 1.0): OK" in out
    assert "6 layers, 18 components, 18 dependencies, 4 flows" in out
    assert "3 patterns, 2 REST operations, 1 AsyncAPI channels (4 messages)" in out
    assert "asyncapi: AsyncAPI 3.0.0 document, checked against the 3.0.0 schema" in out


def test_json_ok(capsys):
    assert main(["validate", "data/doc-ocr", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and out["errors"] == [] and out["warnings"] == []
    assert out["summary"]["system"] == "DocOCR Pipeline" and out["summary"]["operations"] == 4
    assert out["summary"]["asyncapi_version"] == "3.0.0"


def test_json_errors(capsys):
    assert main(["validate", str(BROKEN / "dangling-dependency"), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["summary"] is None
    (err,) = out["errors"]
    assert err["field"] == "components[2].depends_on[1].target" and err["line"] == 73
    assert err["file"].endswith("architecture.yaml") and "did you mean `Store`?" in err["hint"]


def test_json_warning_only(capsys):
    assert main(["validate", str(BROKEN / "upward-dependency-warning"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and len(out["warnings"]) == 1 and out["summary"]["dependencies"] == 6


def test_json_missing_folder(capsys, tmp_path):
    assert main(["validate", str(tmp_path / "nothing"), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and "no system folder found" in out["errors"][0]["message"]


def test_text_errors_go_to_stderr_with_a_count(capsys):
    assert main(["validate", str(BROKEN / "unknown-key-typo")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown key `purpse`" in captured.err and "1 error(s), 0 warning(s)" in captured.err
