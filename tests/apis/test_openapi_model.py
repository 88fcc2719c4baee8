"""The normalised HTTP API model built from OpenAPI 3.0 and 3.1 documents."""
from archbook.apis.openapi import build_http_api
from archbook.model.api import UNSET, Schema

DOC_30 = {
    "openapi": "3.0.3", "info": {"title": "Pets", "version": "1"},
    "security": [{"key": []}, {"oauth": ["read", "write"], "key": []}],
    "paths": {"/pets/{id}": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}],
        "get": {"operationId": "getPet", "deprecated": True, "tags": ["pets"],
                "parameters": [{"$ref": "#/components/parameters/Trace"},
                               {"name": "sid", "in": "cookie", "schema": {"type": "string", "pattern": "^s"}}],
                "responses": {"200": {"description": "ok", "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                                                  "application/xml": {"example": "<pet/>"}},
                                      "links": {"owner": {"operationId": "getOwner", "parameters": {"id": "$response.body#/owner"}}}},
                              "4XX": {"description": "client"}, "default": {"$ref": "#/components/responses/Err"}},
                "callbacks": {"onDone": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "k"}}}}}}}}},
    "components": {
        "parameters": {"Trace": {"name": "X-Trace", "in": "header", "deprecated": True, "schema": {"type": "string", "default": "a"}}},
        "responses": {"Err": {"description": "error"}},
        "schemas": {"Pet": {"type": "object", "required": ["name"], "nullable": True,
                            "properties": {"name": {"type": "string", "maxLength": 9, "exclusiveMinimum": True},
                                           "parent": {"$ref": "#/components/schemas/Pet"}}}},
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                            "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"read": "r"}}}}},
    },
}


def test_operations_parameters_of_every_location():
    api = build_http_api(DOC_30, "openapi.yaml")
    assert api.version == "3.0.3" and len(api.operations) == 1
    op = api.operations[0]
    assert (op.method, op.path, op.operation_id, op.deprecated, op.tags) == ("get", "/pets/{id}", "getPet", True, ("pets",))
    assert [(p.name, p.location) for p in op.parameters] == [("id", "path"), ("X-Trace", "header"), ("sid", "cookie")]
    assert op.parameters[0].schema.limits == {"minimum": 1} and op.parameters[0].required
    assert op.parameters[1].deprecated and op.parameters[1].schema.default == "a"
    assert op.parameters[2].schema.pattern == "^s"


def test_responses_headers_media_links_and_ranges():
    op = build_http_api(DOC_30).operations[0]
    assert [r.status for r in op.responses] == ["200", "4XX", "default"]
    ok, client, default = op.responses
    assert ok.headers[0].name == "X-Rate" and ok.headers[0].schema.type == ("integer",)
    assert [m.media_type for m in ok.content] == ["application/json", "application/xml"]
    assert ok.content[0].schema == Schema(ref="Pet") and ok.content[1].examples[0].value == "<pet/>"
    assert ok.links[0].operation_id == "getOwner" and ok.links[0].parameters == {"id": "$response.body#/owner"}
    assert client.is_range and client.is_error and default.is_default and default.description == "error"


def test_security_alternatives_and_flows():
    api = build_http_api(DOC_30)
    alts = api.operations[0].security
    assert [[(u.scheme, u.scopes) for u in r.schemes] for r in alts] == [[("key", ())], [("oauth", ("read", "write")), ("key", ())]]
    oauth = api.security_schemes["oauth"]
    assert oauth.flows[0].kind == "clientCredentials" and oauth.flows[0].scopes == {"read": "r"}
    assert api.security_schemes["key"].location == "header" and api.security_schemes["key"].parameter_name == "X-Key"


def test_named_schemas_stay_names_and_30_forms_are_normalised():
    pet = build_http_api(DOC_30).schemas["Pet"]
    assert pet.type == ("object", "null")  # nullable: true
    name, parent = pet.properties
    assert name.required and not parent.required and parent.schema == Schema(ref="Pet")  # recursion stays a name
    assert name.schema.limits == {"maxLength": 9}  # a boolean exclusiveMinimum without minimum is dropped


def test_callbacks_and_webhooks():
    op = build_http_api(DOC_30).operations[0]
    assert op.callbacks[0].name == "onDone" and op.callbacks[0].operations[0].title == "POST {$request.body#/url}"
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
           "webhooks": {"newPet": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": ["string", "null"]}}}},
                                            "responses": {"200": {"description": "ok"}}}}}}
    hook = build_http_api(doc).webhooks[0]
    assert hook.path == "newPet" and hook.request_body.content[0].schema.type == ("string", "null")
    assert hook.request_body.content[0].schema.default is UNSET
