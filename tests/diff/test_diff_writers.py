"""Five outputs from one change list; user text is escaped wherever it lands."""
import json
import xml.etree.ElementTree as ET

import pytest

from archbook.diff.change import Change
from archbook.diff.engine import DiffReport
from archbook.diff.writers import write_github, write_json, write_junit, write_markdown, write_text

HOSTILE = 'x"]-->end<script>|`*'


@pytest.fixture
def report():
    changes = [Change("api-path-removed-without-deprecation", "breaking", "openapi", f"GET /{HOSTILE}", "path removed",
                      "move to the replacement endpoint"),
               Change("endpoint-added", "info", "openapi", "GET /new", "endpoint added")]
    violations = [Change("breaking-change-without-major-bump", "breaking", "policy", "openapi",
                         "1 breaking change(s) but the major version stays 1 -> 1 (1.1.0)", "release a new major")]
    return DiffReport("old", "new", changes, violations, {"openapi": ("1.0.0", "1.1.0")})


def test_text(report):
    out = write_text(report)
    assert "breaking [api-path-removed-without-deprecation] openapi GET /" in out
    assert "    client: move to the replacement endpoint" in out
    assert out.endswith("1 breaking, 0 warning(s), 1 info; 1 policy violation(s)")


def test_json_round_trips(report):
    data = json.loads(write_json(report))
    assert data["ok"] is False and data["summary"] == {"breaking": 1, "warning": 0, "info": 1}
    assert data["changes"][0]["location"] == f"GET /{HOSTILE}"


def test_markdown_escapes_and_groups(report):
    out = write_markdown(report)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "\\|" in out  # a pipe in user text cannot split the table row
    assert out.index("#### Policy violations") < out.index("#### Breaking changes (migration guide)") < out.index("#### Other changes")


def test_junit_is_valid_xml_and_fails_unbumped_breaking_changes(report):
    root = ET.fromstring(write_junit(report))
    assert root.get("tests") == "3" and root.get("failures") == "2"
    names = [tc.get("name") for tc in root.iter("testcase") if tc.find("failure") is not None]
    assert names == [f"api-path-removed-without-deprecation GET /{HOSTILE}", "breaking-change-without-major-bump openapi"]


def test_junit_passes_breaking_changes_of_a_major_bump(report):
    report.violations = []
    assert ET.fromstring(write_junit(report)).get("failures") == "0"


def test_github_annotations_encode_newlines_and_properties(report):
    report.changes[1] = Change("endpoint-added", "info", "openapi", "GET /a,b", "line1\nline2")
    lines = write_github(report, {"openapi": "data/x/openapi.yaml"}).splitlines()
    assert lines[0].startswith("::error file=data/x/openapi.yaml,title=breaking-change-without-major-bump::")
    assert lines[-1] == "::notice file=data/x/openapi.yaml,title=endpoint-added::GET /a,b: line1%0Aline2"
