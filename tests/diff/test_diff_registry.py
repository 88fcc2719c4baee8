"""The check registry: ids, levels, and the README table that is generated from it."""
import re
from pathlib import Path

from archbook.diff import CHECKS, LEVELS, checks_table
from archbook.diff.registry import change

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_check_has_a_known_level_api_and_kebab_id():
    for c in CHECKS.values():
        assert c.level in LEVELS and c.api in ("openapi", "asyncapi", "graphql", "policy")
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c.id), c.id
        assert c.description


def test_oasdiff_levels_are_kept_for_well_known_ids():
    expect = {"api-path-removed-without-deprecation": "breaking", "request-parameter-removed": "warning",
              "new-required-request-property": "breaking", "response-optional-property-removed": "warning",
              "request-property-enum-value-removed": "breaking", "response-property-enum-value-added": "warning",
              "response-success-status-removed": "breaking", "endpoint-added": "info"}
    assert {k: CHECKS[k].level for k in expect} == expect


def test_change_takes_level_and_hint_from_the_registry():
    c = change("new-required-request-property", "POST /x", "required property 'a' added")
    assert (c.level, c.api, c.hint) == ("breaking", "openapi", "send the new property")


def test_readme_table_matches_the_registry():
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- diff-checks:start -->\n", 1)[1].split("\n<!-- diff-checks:end -->", 1)[0]
    assert table == checks_table(), "README's check table is stale: paste `archbook diff --list-checks`"
    assert table.count("\n| `") == len(CHECKS)
