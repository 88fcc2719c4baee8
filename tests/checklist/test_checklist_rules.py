"""Each checklist item passes on a complete system and, on a gap, names exactly what is missing."""
from __future__ import annotations

import pytest

from archbook.checklist import SEED_ITEMS, evaluate, to_frame
from archbook.render.checklist import checklist_table
from archbook.model import SystemModel


def _by_item(results):
    return {r.item: r for r in results}


def _mutated(mini, edit) -> SystemModel:
    data = mini.model_dump(by_alias=True)
    edit(data)
    return SystemModel.model_validate(data)


def test_complete_system_passes_every_item(mini):
    results = evaluate(mini)
    assert [r.item for r in results][:14] == SEED_ITEMS
    assert [str(r) for r in results if not r.passed] == []
    assert len(results) == 19 and {r.origin for r in results} == {"builtin", "cross"}


EXPECTED_GAPS = {
    "All major components documented": "component Db has no technology stack",
    "Component responsibilities clearly defined": "component Cache has no responsibilities",
    "Pattern tradeoffs documented": "pattern 'Repository Pattern' has no tradeoffs",
    "REST API endpoints fully documented": "GET /api/health has no description; GET /api/health has no operationId",
    "Request/response schemas provided":
        "POST /api/jobs request body has no schema; GET /api/health response 200 has no schema",
    "Error codes documented": "GET /api/health documents no error responses (4xx/5xx)",
    "Rate limiting documented": "GET /api/jobs/{jobId} has no x-rate-limit; GET /api/health has no x-rate-limit",
    "WebSocket protocols defined (if applicable)": "no asyncapi.yaml channels, but Web -> Api uses WebSocket",
    "API versioning strategy documented": "no API versioning strategy: add versioning.yaml",
    "Breaking change policy defined": "no breaking change policy: add versioning.yaml with breaking_changes",
    "Flow steps call documented API operations":
        "flow generate steps[9] ('GET /api/health') calls an API but names no operation (document it in "
        "openapi.yaml); flow generate steps[10] ('Cancel') names unknown operation 'cancelJob'",
    "Endpoints document 4xx and 5xx responses":
        "GET /api/health documents no 4xx response; GET /api/health documents no 5xx response",
    "Components have failure modes and a scaling strategy":
        "component Blob has no failure_modes; component Llm has no scaling strategy",
    "No layer depends upward": "Db (data) depends on Api (api), a layer above",
}


def test_incomplete_system_failures_name_the_gap(incomplete):
    results = _by_item(evaluate(incomplete))
    failing = {item: r.reason for item, r in results.items() if not r.passed}
    assert failing == EXPECTED_GAPS


def _no_edges(d):
    for c in d["architecture"]["components"]:
        c["depends_on"] = []


def _no_flows(d):
    d["architecture"]["flows"] = []


def _no_patterns(d):
    d["patterns"] = []


def _no_usage(d):
    d["patterns"][0]["usage"] = []


def _no_security(d):
    del d["openapi"]["security"]


def _bad_scheme(d):
    d["openapi"]["paths"]["/api/jobs"]["post"]["security"] = [{"apikey": []}]


def _bad_rate(d):
    d["openapi"]["paths"]["/api/jobs"]["post"]["x-rate-limit"] = {"requests": 0, "window_s": 60}


def _bad_event(d):
    d["architecture"]["flows"][0]["steps"][-1]["steps"][0]["event"] = "nope"


def _empty_layer(d):
    d["architecture"]["layers"].append({"id": "ghost", "name": "Ghost Layer"})


def _undeclared(d):
    d["architecture"]["flows"][0]["steps"].append({"from": "Web", "to": "Db", "message": "SQL"})


def _no_non_breaking(d):
    d["versioning"]["non_breaking_changes"] = []


@pytest.mark.parametrize("edit, item, reason", [
    (_no_edges, SEED_ITEMS[0], "no dependencies between components, so the diagram shows no connections (add depends_on)"),
    (_empty_layer, SEED_ITEMS[0], "layer ghost has no components"),
    (_no_flows, SEED_ITEMS[3], "no data flows: add flows to architecture.yaml"),
    (_undeclared, SEED_ITEMS[3], "flow generate uses undeclared participant 'Db'"),
    (_no_patterns, SEED_ITEMS[4], "no design patterns: add patterns.yaml"),
    (_no_usage, SEED_ITEMS[4], "pattern 'Repository Pattern' has no usage in system"),
    (_no_security, SEED_ITEMS[9], "POST /api/jobs does not state its authentication (add security, or security: [] if public)"),
    (_bad_scheme, SEED_ITEMS[9], "POST /api/jobs uses undefined security scheme 'apikey'"),
    (_bad_event, SEED_ITEMS[11], "flow generate sends unknown event 'nope'"),
    (_no_non_breaking, SEED_ITEMS[13], "versioning.yaml lists no non_breaking_changes"),
])
def test_single_gap_is_named(mini, edit, item, reason):
    result = _by_item(evaluate(_mutated(mini, edit)))[item]
    assert not result.passed
    assert reason in result.reason


def test_invalid_rate_limit_is_named(mini):
    result = _by_item(evaluate(_mutated(mini, _bad_rate)))["Rate limiting documented"]
    assert not result.passed and result.reason.startswith("POST /api/jobs has an invalid x-rate-limit (")
    assert "greater than 0" in result.reason


def test_no_openapi_fails_api_items(mini):
    system = _mutated(mini, lambda d: d.update(openapi=None))
    results = _by_item(evaluate(system))
    for item in SEED_ITEMS[6:11]:
        assert results[item].reason == "no REST operations: openapi.yaml is missing or has no paths"


def test_websocket_not_applicable(mini):
    def drop(d):
        d["asyncapi"] = None
        d["architecture"]["components"][1]["depends_on"].pop()  # the WebSocket dependency
        d["architecture"]["flows"][0]["steps"].pop()            # the step sending an event
    result = _by_item(evaluate(_mutated(mini, drop)))[SEED_ITEMS[11]]
    assert result.passed and result.reason == "not applicable: no WebSocket use in the architecture"


def test_long_gap_lists_are_counted(mini):
    def strip(d):
        for c in d["architecture"]["components"]:
            c["technology"] = []
    reason = _by_item(evaluate(_mutated(mini, strip)))[SEED_ITEMS[1]].reason
    assert reason.count("has no technology stack") == 9 and "more" not in reason


def test_table_and_frame(incomplete):
    results = evaluate(incomplete)
    table = checklist_table(results)
    lines = table.splitlines()
    assert lines[0] == "| Status | Item | Section | Reason |" and len(lines) == 2 + len(results)
    assert r"| ❌ Fail | Rate limiting documented | 5.3 | GET /api/jobs/{jobId} has no x\-rate\-limit" not in table
    assert "| ❌ Fail | Rate limiting documented | 5.3 | GET /api/jobs/{jobId} has no x-rate-limit;" in table
    frame = to_frame(results)
    assert list(frame.columns) == ["item", "section", "passed", "reason", "rule_id", "origin"]
    assert int((~frame.passed).sum()) == len(EXPECTED_GAPS)
