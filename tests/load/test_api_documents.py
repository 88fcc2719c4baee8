"""OpenAPI / AsyncAPI checks on small in-memory documents."""
from __future__ import annotations

import copy

import pytest

from archbook.load.asyncapi import check_asyncapi, message_names
from archbook.load.openapi import check_openapi
from archbook.load.yamlsrc import LineMap

DOC = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {"/a": {"get": {
        "operationId": "a",
        "x-rate-limit": {"requests": 5, "window_s": 1},
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/A"}}}}},
    }}},
    "components": {"schemas": {"A": {
        "type": "object",
        "properties": {"n": {"type": "integer", "maximum": 3, "examples": [1, 2]}},
        "examples": [{"n": 1}],
    }}},
}


def _check(doc):
    return check_openapi(doc, "openapi.yaml", LineMap(1))


def test_valid_document_has_no_problems():
    assert _check(DOC) == []


def test_schema_examples_anywhere_are_checked():
    doc = copy.deepcopy(DOC)
    doc["components"]["schemas"]["A"]["properties"]["n"]["examples"] = [1, 7]
    doc["components"]["schemas"]["A"]["examples"] = [{"n": "x"}]
    fields = sorted(p.field for p in _check(doc))
    assert fields == ["components.schemas.A.examples[0].n", "components.schemas.A.properties.n.examples[1]"]


def test_rate_limit_must_be_a_mapping():
    doc = copy.deepcopy(DOC)
    doc["paths"]["/a"]["get"]["x-rate-limit"] = "10/min"
    (problem,) = _check(doc)
    assert problem.field == "paths./a.get.x-rate-limit" and "must be a mapping" in problem.message


def test_external_refs_are_refused():
    doc = copy.deepcopy(DOC)
    doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": "other.yaml#/A"}
    (problem,) = _check(doc)
    assert "external $ref" in problem.message


def test_unknown_key_in_openapi_gets_a_suggestion():
    doc = copy.deepcopy(DOC)
    doc["paths"]["/a"]["get"]["responses"]["200"]["descriptin"] = "typo"
    hints = [p.hint for p in _check(doc)]
    assert "did you mean `description`?" in hints


ASYNC = {
    "asyncapi": "3.0.0",
    "info": {"title": "t", "version": "1"},
    "channels": {"c": {"address": "/c", "messages": {
        "m": {"$ref": "#/components/messages/m"},
        "inline": {"name": "inlineName", "payload": {"type": "string"}, "examples": [{"payload": "ok"}]},
    }}},
    "components": {"messages": {"m": {"payload": {"type": "object", "required": ["x"]},
                                      "examples": [{"name": "one", "payload": {"x": 1}}]}}},
}


def test_asyncapi_message_names_include_keys_and_names():
    assert message_names(ASYNC) == {"m", "inline", "inlineName"}
    assert check_asyncapi(ASYNC, "asyncapi.yaml", LineMap(1)) == []


@pytest.mark.parametrize("where", ["component", "inline"])
def test_asyncapi_examples_checked_once(where):
    doc = copy.deepcopy(ASYNC)
    if where == "component":
        doc["components"]["messages"]["m"]["examples"][0]["payload"] = {}
        field = "components.messages.m.examples[0].payload"
    else:
        doc["channels"]["c"]["messages"]["inline"]["examples"][0]["payload"] = 5
        field = "channels.c.messages.inline.examples[0].payload"
    problems = check_asyncapi(doc, "asyncapi.yaml", LineMap(1))
    assert [p.field for p in problems] == [field]


def test_asyncapi_example_headers_checked_through_traits():
    doc = copy.deepcopy(ASYNC)
    doc["components"]["messageTraits"] = {"t": {"headers": {"type": "object", "required": ["sig"]}}}
    msg = doc["components"]["messages"]["m"]
    msg["traits"] = [{"$ref": "#/components/messageTraits/t"}]
    msg["examples"][0]["headers"] = {"sig": "abc"}
    assert check_asyncapi(doc, "asyncapi.yaml", LineMap(1)) == []
    msg["examples"][0]["headers"] = {"other": 1}
    (problem,) = check_asyncapi(doc, "asyncapi.yaml", LineMap(1))
    assert problem.field == "components.messages.m.examples[0].headers"
    assert "headers of example `one`" in problem.message and "'sig' is a required property" in problem.message
