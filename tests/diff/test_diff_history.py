"""The video editor ships its 0.9.0 API under history/; 5.3 shows the changelog diffed against it."""
import datetime as dt
from pathlib import Path

import pytest

from archbook.diff.previous import changes_since_previous
from archbook.errors import ValidationFailed
from archbook.load import load_system
from archbook.load.apiset import load_previous
from archbook.model.versioning import Versioning
from archbook.render import render_section
from archbook.render.changelog import changelog_doc

VIDEO = Path(__file__).resolve().parents[2] / "data/video-editor"


@pytest.fixture(scope="module")
def system():
    return load_system(VIDEO)


def test_the_shipped_previous_version_diffs_to_a_compliant_major_release(system):
    report = changes_since_previous(system, today=dt.date(2025, 11, 9))
    assert report.violations == [] and report.versions["openapi"] == ("0.9.0", "1.0.0")
    assert sorted(c.id for c in report.breaking) == ["request-property-became-required", "request-property-max-decreased"]
    assert {c.id for c in report.changes} >= {"endpoint-removed-after-sunset", "channel-message-added",
                                              "response-optional-property-removed", "request-property-enum-value-added"}


def test_section_5_3_has_the_changelog_and_migration_guide(system):
    text = render_section(system, "5.3", changes=changes_since_previous(system))
    guide = text[text.index("#### Changelog and migration guide"):]
    assert "**1.0.0** (2025-11-09): First stable release" in guide
    assert "###### Breaking changes (migration guide)" in guide
    assert "| `request-property-became-required` | openapi | POST /api/generate-video request body application/json workflow |" in guide


def test_changelog_text_is_escaped():
    v = Versioning.model_validate({
        "approach": "URI", "rationale": ["x"], "breaking_changes": ["x"], "deprecation_process": ["x"],
        "support": {"current_version": "v1", "previous_supported_months": 6, "sunset_months": 3,
                    "deprecation_notice_months": 6},
        "changelog": [{"version": "2.0.0", "summary": "<script>alert(1)</script>", "migration": ["# not a heading"]}]})
    out = changelog_doc(v)
    assert "<script>" not in out and "&lt;script&gt;" in out and "1. \\# not a heading" in out
    assert changelog_doc(None) == ""


def test_previous_must_stay_inside_the_system_folder():
    with pytest.raises(ValidationFailed, match="points outside the system folder"):
        load_previous(VIDEO, "../doc-ocr")
