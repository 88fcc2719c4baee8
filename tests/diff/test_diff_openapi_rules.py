"""One test per OpenAPI rule, each editing the small document in conftest.py."""
import datetime as dt

from diffdocs import ids, run


def item(doc):
    return doc["components"]["schemas"]["Item"]


def test_identical_documents_have_no_changes(doc):
    assert run(doc, doc) == []


def test_endpoint_added(doc):
    new = {**doc, "paths": {**doc["paths"], "/more": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    (c,) = run(doc, new)
    assert (c.id, c.level, c.location) == ("endpoint-added", "info", "GET /more")


def test_path_removed_without_deprecation(doc, ):
    new = {**doc, "paths": {k: v for k, v in doc["paths"].items() if k != "/health"}}
    (c,) = run(doc, new)
    assert (c.id, c.level, c.location) == ("api-path-removed-without-deprecation", "breaking", "GET /health")


def test_operation_removed_without_deprecation(doc):
    import copy
    new = copy.deepcopy(doc)
    del new["paths"]["/items/{id}"]["put"]
    assert ids(run(doc, new)) == {"api-removed-without-deprecation"}


def test_removal_before_and_after_sunset(doc):
    import copy
    old = copy.deepcopy(doc)
    old["paths"]["/health"]["get"].update({"deprecated": True, "x-sunset": "2026-01-01"})
    new = copy.deepcopy(doc)
    del new["paths"]["/health"]
    assert ids(run(old, new, today=dt.date(2025, 6, 1))) == {"api-removed-before-sunset"}
    assert ids(run(old, new, today=dt.date(2026, 2, 1))) == {"endpoint-removed-after-sunset"}


def test_renamed_path_parameter_is_the_same_endpoint(doc):
    import copy
    new = copy.deepcopy(doc)
    new["paths"]["/items/{itemId}"] = new["paths"].pop("/items/{id}")
    new["paths"]["/items/{itemId}"]["parameters"][0]["name"] = "itemId"
    assert "endpoint-added" not in ids(run(doc, new))


def test_deprecated_and_reactivated(doc):
    import copy
    new = copy.deepcopy(doc)
    new["paths"]["/health"]["get"]["deprecated"] = True
    assert ids(run(doc, new)) == {"endpoint-deprecated"}
    assert ids(run(new, doc)) == {"endpoint-reactivated"}


def _params(doc):
    return doc["paths"]["/items/{id}"]["get"]["parameters"]


def test_parameter_added_required_and_optional(doc):
    import copy
    new = copy.deepcopy(doc)
    _params(new).append({"name": "q", "in": "query", "required": True, "schema": {"type": "string"}})
    _params(new).append({"name": "X-Trace", "in": "header", "schema": {"type": "string"}})
    found = {c.id: c for c in run(doc, new)}
    assert set(found) == {"new-required-request-parameter", "new-optional-request-parameter"}
    assert found["new-required-request-parameter"].location == "GET /items/{id} parameter query.q"


def test_parameter_removed_and_made_required(doc):
    import copy
    new = copy.deepcopy(doc)
    _params(new)[0]["required"] = True
    assert ids(run(doc, new)) == {"request-parameter-became-required"}
    _params(new).clear()
    assert ids(run(doc, new)) == {"request-parameter-removed"}


def test_parameter_moved_and_retyped(doc):
    import copy
    new = copy.deepcopy(doc)
    _params(new)[0]["in"] = "header"
    (c,) = run(doc, new)
    assert (c.id, c.message) == ("request-parameter-location-changed", "moved from query to header")
    new = copy.deepcopy(doc)
    _params(new)[0]["schema"] = {"type": "string"}
    assert "request-parameter-type-changed" in ids(run(doc, new))


def test_parameter_limit_narrowed(doc):
    import copy
    new = copy.deepcopy(doc)
    _params(new)[0]["schema"]["maximum"] = 50
    (c,) = run(doc, new)
    assert (c.id, c.level, c.message) == ("request-parameter-max-decreased", "breaking", "maximum 100 -> 50")


def test_named_schema_change_reaches_every_request_and_response(doc):
    """Item is the PUT body and both responses: one edit, three places, two levels."""
    import copy
    new = copy.deepcopy(doc)
    item(new)["properties"]["colour"] = {"type": "string"}
    item(new)["required"].append("colour")
    found = sorted((c.location, c.id, c.level) for c in run(doc, new))
    assert found == [
        ("GET /items/{id} response 200 application/json colour", "response-required-property-added", "info"),
        ("PUT /items/{id} request body application/json colour", "new-required-request-property", "breaking"),
        ("PUT /items/{id} response 200 application/json colour", "response-required-property-added", "info"),
    ]


def test_enum_value_removed_breaks_requests_added_warns_responses(doc):
    import copy
    new = copy.deepcopy(doc)
    item(new)["properties"]["kind"]["enum"] = ["a", "c"]
    got = {(c.id, c.level) for c in run(doc, new)}
    assert got == {("request-property-enum-value-removed", "breaking"), ("request-property-enum-value-added", "info"),
                   ("response-property-enum-value-added", "warning"), ("response-property-enum-value-removed", "info")}


def test_request_body_rules(doc):
    import copy
    body = doc["paths"]["/items/{id}"]["put"]["requestBody"]
    new = copy.deepcopy(doc)
    new["paths"]["/items/{id}"]["put"]["requestBody"]["required"] = False
    assert ids(run(doc, new)) == {"request-body-became-optional"}
    assert ids(run(new, doc)) == {"request-body-became-required"}
    new = copy.deepcopy(doc)
    new["paths"]["/items/{id}"]["put"]["requestBody"]["content"] = {"application/xml": body["content"]["application/json"]}
    assert ids(run(doc, new)) == {"request-body-media-type-removed", "request-body-media-type-added"}
    new = copy.deepcopy(doc)
    new["paths"]["/health"]["get"]["requestBody"] = {"required": True, "content": {"text/plain": {"schema": {}}}}
    assert ids(run(doc, new)) == {"added-required-request-body"}
    assert ids(run(new, doc)) == {"request-body-removed"}


def test_success_status_changed(doc):
    import copy
    new = copy.deepcopy(doc)
    new["paths"]["/health"]["get"]["responses"] = {"204": {"description": "ok"}}
    got = {(c.id, c.level) for c in run(doc, new)}
    assert got == {("response-success-status-removed", "breaking"), ("response-success-status-added", "info")}
    new = copy.deepcopy(doc)
    del new["paths"]["/items/{id}"]["get"]["responses"]["404"]
    assert ids(run(doc, new)) == {"response-non-success-status-removed"}


def test_response_media_type_and_headers(doc):
    import copy
    new = copy.deepcopy(doc)
    resp = new["paths"]["/items/{id}"]["get"]["responses"]["200"]
    resp["content"] = {"text/csv": {"schema": {"type": "string"}}}
    assert {"response-media-type-removed", "response-media-type-added"} <= ids(run(doc, new))
    new = copy.deepcopy(doc)
    new["paths"]["/items/{id}"]["get"]["responses"]["200"]["headers"]["X-Rate"]["required"] = False
    assert ids(run(doc, new)) == {"response-header-became-optional"}
    del new["paths"]["/items/{id}"]["get"]["responses"]["200"]["headers"]["X-Rate"]
    assert ids(run(doc, new)) == {"required-response-header-removed"}


def test_security_added_to_a_public_operation_is_breaking(doc):
    import copy
    new = copy.deepcopy(doc)
    new["paths"]["/health"]["get"]["security"] = [{"bearer": []}]
    (c,) = run(doc, new)
    assert (c.id, c.level) == ("api-security-added", "breaking")
    assert c.message == "clients using no credentials are no longer accepted (now bearer)"


def test_security_alternative_added_is_not_breaking(doc):
    import copy
    new = copy.deepcopy(doc)
    new["security"] = [{"bearer": []}, {"apiKey": []}]
    assert {(c.id, c.level) for c in run(doc, new)} == {("api-security-removed", "info")}


def test_new_path_parameter_optional_body_and_error_status(doc):
    import copy
    new = copy.deepcopy(doc)
    op = new["paths"]["/health"]["get"]
    op["parameters"] = [{"name": "region", "in": "path", "required": True, "schema": {"type": "string"}}]
    op["requestBody"] = {"content": {"application/json": {"schema": {"type": "object"}}}}
    op["responses"]["503"] = {"description": "down"}
    got = {(c.id, c.level) for c in run(doc, new)}
    assert got == {("new-request-path-parameter", "breaking"), ("added-optional-request-body", "info"),
                   ("response-non-success-status-added", "info")}


def test_header_parameter_names_are_case_insensitive(doc):
    import copy
    old = copy.deepcopy(doc)
    _params(old).append({"name": "X-Trace", "in": "header", "schema": {"type": "string"}})
    new = copy.deepcopy(doc)
    _params(new).append({"name": "x-trace", "in": "header", "schema": {"type": "string"}})
    assert run(old, new) == []
