"""The component and endpoint pickers, without a browser: what they show and what they validate."""
from __future__ import annotations

import json

import pytest

from archbook.model.architecture import Architecture
from archbook.model.system import SystemModel
from archbook.widgets.component_picker import component_picker, component_view
from archbook.widgets.endpoint_picker import (NoRequestBody, endpoint_picker, request_schema_pointer,
                                              validate_payload)

ARCH = {
    "system": {"name": "Shop", "version": "1", "description": "A tiny shop."},
    "layers": [{"id": "front", "name": "Front"}, {"id": "back", "name": "Back"}, {"id": "data", "name": "Data"}],
    "components": [
        {"id": "ui", "name": "Web <UI>", "layer": "front", "kind": "client", "purpose": "Shows the shop.",
         "depends_on": [{"target": "api", "data": "JSON orders", "protocol": "HTTPS"}]},
        {"id": "api", "name": "Order API", "layer": "back", "kind": "service", "purpose": "Takes orders.",
         "depends_on": [{"target": "db", "data": "rows", "protocol": "SQL"}]},
        {"id": "db", "name": "Orders DB", "layer": "data", "kind": "store", "purpose": "Keeps orders.",
         "depends_on": [{"target": "audit", "data": "events", "protocol": "SQL"}]},
        {"id": "audit", "name": "Audit Log", "layer": "data", "kind": "storage", "purpose": "Keeps history."},
    ],
}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1"},
    "paths": {
        "/api/orders": {
            "post": {
                "operationId": "createOrder",
                "requestBody": {"$ref": "#/components/requestBodies/Order"},
                "responses": {"201": {"description": "Created"}, "400": {"description": "Bad request"}},
            },
            "get": {"operationId": "listOrders", "responses": {"200": {"description": "OK"}}},
        },
        "/api/items/{id}": {
            "put": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                "responses": {"200": {"description": "OK"}},
            },
        },
    },
    "components": {
        "requestBodies": {"Order": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}}},
        "schemas": {
            "Order": {
                "type": "object", "required": ["items", "customer"], "additionalProperties": False,
                "properties": {
                    "customer": {"type": "string", "minLength": 1},
                    "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Item"}},
                },
            },
            "Item": {
                "type": "object", "required": ["sku", "quantity"],
                "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1, "maximum": 99}},
            },
        },
    },
}


@pytest.fixture
def system() -> SystemModel:
    return SystemModel(root="/tmp/shop", architecture=Architecture.model_validate(ARCH), openapi=OPENAPI)


def _markdown(output) -> str:
    (bundle,) = output.outputs
    return bundle["data"]["text/markdown"]


def test_component_view_holds_card_and_one_hop_neighbourhood(system):
    text = component_view(system, "api")
    assert "Component: Order API" in text
    diagram = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert diagram.startswith("graph TB")
    assert "Order API" in diagram and "Orders DB" in diagram and "Web" in diagram
    assert "Audit Log" not in diagram  # two hops away from api


def test_component_picker_follows_the_dropdown(system):
    picker = component_picker(system)
    assert picker.dropdown.options[0] == ("Web <UI> (ui)", "ui")
    assert "Component: Web" in _markdown(picker.output)
    picker.dropdown.value = "audit"
    text = _markdown(picker.output)
    assert "Component: Audit Log" in text and "Orders DB" in text and "Order API" not in text


def test_component_picker_escapes_names_into_the_diagram(system):
    text = component_view(system, "ui")
    assert "<UI>" not in text.split("```mermaid", 1)[1]


def test_unknown_component_is_named(system):
    with pytest.raises(KeyError, match="nope"):
        component_view(system, "nope")


def _op(system, title):
    return next(op for op in system.operations() if op.title == title)


def test_pointer_follows_a_referenced_request_body(system):
    assert request_schema_pointer(_op(system, "POST /api/orders"), OPENAPI) == \
        "/components/requestBodies/Order/content/application~1json/schema"
    assert request_schema_pointer(_op(system, "PUT /api/items/{id}"), OPENAPI) == \
        "/paths/~1api~1items~1{id}/put/requestBody/content/application~1json/schema"
    with pytest.raises(NoRequestBody, match="GET /api/orders has no JSON request body"):
        request_schema_pointer(_op(system, "GET /api/orders"), OPENAPI)


def test_valid_payload_passes_through_nested_refs(system):
    good = json.dumps({"customer": "ada", "items": [{"sku": "A1", "quantity": 2}]})
    assert validate_payload(_op(system, "POST /api/orders"), OPENAPI, good) == []


def test_invalid_payload_lists_every_error_with_its_json_path(system):
    bad = json.dumps({"customer": "", "items": [{"sku": "A1", "quantity": 0}, {"quantity": "x"}], "extra": 1})
    errors = validate_payload(_op(system, "POST /api/orders"), OPENAPI, bad)
    got = {(e.path, e.message) for e in errors}
    assert ("$.customer", "'' should be non-empty") in got
    assert ("$.items[0].quantity", "0 is less than the minimum of 1") in got
    assert ("$.items[1]", "'sku' is a required property") in got
    assert ("$.items[1].quantity", "'x' is not of type 'integer'") in got
    assert any(p == "$" and "extra" in m for p, m in got)
    assert len(errors) == 5


def test_malformed_json_is_reported_with_its_position(system):
    (error,) = validate_payload(_op(system, "POST /api/orders"), OPENAPI, '{"customer": "ada",\n  items: []}')
    assert error.path == "$" and "not valid JSON" in error.message and "line 2" in error.message


def test_endpoint_picker_shows_doc_and_verdict(system):
    picker = endpoint_picker(system, "POST /api/orders")
    assert "/api/orders" in _markdown(picker.doc)
    assert picker.verdict.value == ""
    picker.payload.value = json.dumps({"customer": "ada", "items": []})
    assert "archbook-payload-errors" in picker.verdict.value
    assert "$.items" in picker.verdict.value and "should be non-empty" in picker.verdict.value
    picker.payload.value = json.dumps({"customer": "<b>ada</b>", "items": [{"sku": "A", "quantity": 1}]})
    assert "archbook-payload-ok" in picker.verdict.value
    picker.payload.value = json.dumps({"customer": 1, "items": [{"sku": "A", "quantity": 1}], "<x>": 1})
    assert "<x>" not in picker.verdict.value and "&lt;x&gt;" in picker.verdict.value


def test_endpoint_picker_switches_operation_and_revalidates(system):
    picker = endpoint_picker(system, "POST /api/orders")
    picker.payload.value = json.dumps({"sku": "A", "quantity": 3})
    assert "archbook-payload-errors" in picker.verdict.value  # not an Order
    picker.dropdown.value = "PUT /api/items/{id}"
    assert "archbook-payload-ok" in picker.verdict.value  # but a valid Item
    assert "/api/items/" in _markdown(picker.doc)
    picker.dropdown.value = "GET /api/orders"
    assert "has no JSON request body" in picker.verdict.value


def test_insert_example_gives_a_valid_payload(system):
    picker = endpoint_picker(system, "POST /api/orders")
    picker.insert_example()
    assert json.loads(picker.payload.value)["items"]
    assert "archbook-payload-ok" in picker.verdict.value
    picker.dropdown.value = "GET /api/orders"
    picker.insert_example()
    assert "has no JSON request body" in picker.verdict.value
