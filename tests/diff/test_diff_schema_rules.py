"""One test per schema check: the same edit is judged by its direction (request vs response)."""
import pytest

from archbook.apis.openapi import build_http_api
from archbook.diff.schema import SchemaContext, diff_schema


def schemas(**named):
    """JSON Schemas -> normalised `Schema`s (refs `#/components/schemas/X` stay names)."""
    return build_http_api({"openapi": "3.1.0", "components": {"schemas": named}}).schemas


def walk(old, new, direction, subject=None):
    o, n = schemas(X=old), schemas(X=new)
    ctx = SchemaContext(direction, o.get, n.get)
    return diff_schema(o["X"], n["X"], ctx, "here", subject or f"{direction}-body")


def obj(props, required=()):
    return {"type": "object", "properties": props, "required": list(required)}


S = {"type": "string"}
CASES = [
    # (old, new, direction, expected id, expected level)
    (obj({"a": S}), obj({"a": S, "b": S}, ["b"]), "request", "new-required-request-property", "breaking"),
    (obj({"a": S}), obj({"a": S, "b": S}), "request", "new-optional-request-property", "info"),
    (obj({"a": S}), obj({"a": S, "b": {"type": "string", "default": "x"}}, ["b"]), "request",
     "new-required-request-property-with-default", "info"),
    (obj({"a": S}), obj({"a": S, "b": S}, ["b"]), "response", "response-required-property-added", "info"),
    (obj({"a": S}), obj({"a": S, "b": S}), "response", "response-optional-property-added", "info"),
    (obj({"a": S, "b": S}), obj({"a": S}), "request", "request-property-removed", "warning"),
    (obj({"a": S, "b": S}, ["b"]), obj({"a": S}), "response", "response-required-property-removed", "breaking"),
    (obj({"a": S, "b": S}), obj({"a": S}), "response", "response-optional-property-removed", "warning"),
    (obj({"a": S}), obj({"a": S}, ["a"]), "request", "request-property-became-required", "breaking"),
    (obj({"a": S}, ["a"]), obj({"a": S}), "request", "request-property-became-optional", "info"),
    (obj({"a": S}, ["a"]), obj({"a": S}), "response", "response-property-became-optional", "breaking"),
    (obj({"a": S}), obj({"a": S}, ["a"]), "response", "response-property-became-required", "info"),
    (obj({"a": S}), obj({"a": {"type": "integer"}}), "request", "request-property-type-changed", "breaking"),
    (obj({"a": S}), obj({"a": {"type": "integer"}}), "response", "response-property-type-changed", "breaking"),
    (obj({"a": {"type": "integer"}}), obj({"a": {"type": "number"}}), "request", "request-property-type-generalized", "info"),
    (obj({"a": S}), obj({"a": {"type": ["string", "null"]}}), "response", "response-property-became-nullable", "breaking"),
    (obj({"a": S}), obj({"a": {"type": ["string", "null"]}}), "request", "request-property-became-nullable", "info"),
    (obj({"a": {"type": ["string", "null"]}}), obj({"a": S}), "request", "request-property-became-not-nullable", "breaking"),
    ({"type": "object"}, {"type": "array"}, "request", "request-body-type-changed", "breaking"),
    ({"type": "object"}, {"type": "array"}, "response", "response-body-type-changed", "breaking"),
    (obj({"a": {"enum": ["x", "y"]}}), obj({"a": {"enum": ["x"]}}), "request", "request-property-enum-value-removed", "breaking"),
    (obj({"a": {"enum": ["x"]}}), obj({"a": {"enum": ["x", "y"]}}), "request", "request-property-enum-value-added", "info"),
    (obj({"a": {"enum": ["x"]}}), obj({"a": {"enum": ["x", "y"]}}), "response", "response-property-enum-value-added", "warning"),
    (obj({"a": {"enum": ["x", "y"]}}), obj({"a": {"enum": ["x"]}}), "response", "response-property-enum-value-removed", "info"),
    (obj({"a": S}), obj({"a": {"type": "string", "enum": ["x"]}}), "request", "request-property-became-enum", "breaking"),
    (obj({"a": {"maximum": 10}}), obj({"a": {"maximum": 5}}), "request", "request-property-max-decreased", "breaking"),
    (obj({"a": {"maximum": 5}}), obj({"a": {"maximum": 10}}), "request", "request-property-max-increased", "info"),
    (obj({"a": {}}), obj({"a": {"maximum": 10}}), "request", "request-property-max-set", "warning"),
    (obj({"a": {"maximum": 5}}), obj({"a": {"maximum": 10}}), "response", "response-property-max-increased", "breaking"),
    (obj({"a": {"maximum": 5}}), obj({"a": {}}), "response", "response-property-max-unset", "breaking"),
    (obj({"a": {"minimum": 0}}), obj({"a": {"minimum": 1}}), "request", "request-property-min-increased", "breaking"),
    (obj({"a": {"minimum": 1}}), obj({"a": {"minimum": 0}}), "response", "response-property-min-decreased", "breaking"),
    (obj({"a": {"maxLength": 9}}), obj({"a": {"maxLength": 3}}), "request", "request-property-max-length-decreased", "breaking"),
    (obj({"a": {"maxLength": 3}}), obj({"a": {"maxLength": 9}}), "response", "response-property-max-length-increased", "breaking"),
    (obj({"a": {"minLength": 1}}), obj({"a": {"minLength": 2}}), "request", "request-property-min-length-increased", "breaking"),
    (obj({"a": {"maxItems": 5}}), obj({"a": {"maxItems": 2}}), "request", "request-property-max-items-decreased", "breaking"),
    (obj({"a": {"minItems": 1}}), obj({"a": {"minItems": 0}}), "response", "response-property-min-items-decreased", "breaking"),
    (obj({"a": S}), obj({"a": {"type": "string", "pattern": "^x"}}), "request", "request-property-pattern-added", "warning"),
    (obj({"a": {"pattern": "^x"}}), obj({"a": {"pattern": "^y"}}), "request", "request-property-pattern-changed", "warning"),
    (obj({"a": {"pattern": "^x"}}), obj({"a": {}}), "request", "request-property-pattern-removed", "info"),
    (obj({"a": {"pattern": "^x"}}), obj({"a": {"pattern": "^y"}}), "response", "response-property-pattern-changed", "info"),
    (obj({"a": {"oneOf": [S, {"type": "integer"}]}}), obj({"a": {"oneOf": [S]}}), "request", "request-property-one-of-removed", "breaking"),
    (obj({"a": {"oneOf": [S]}}), obj({"a": {"oneOf": [S, {"type": "integer"}]}}), "request", "request-property-one-of-added", "info"),
    (obj({"a": {"anyOf": [S, {"type": "integer"}]}}), obj({"a": {"anyOf": [S]}}), "request", "request-property-any-of-removed", "breaking"),
    (obj({"a": {"anyOf": [S]}}), obj({"a": {"anyOf": [S, {"type": "integer"}]}}), "response", "response-property-any-of-added", "info"),
]


@pytest.mark.parametrize("old,new,direction,cid,level", CASES, ids=[f"{c[2]}:{c[3]}" for c in CASES])
def test_each_schema_check(old, new, direction, cid, level):
    found = walk(old, new, direction)
    assert [(c.id, c.level) for c in found] == [(cid, level)], found


def test_nested_paths_name_the_property_and_array_items():
    old = obj({"o": obj({"tags": {"type": "array", "items": {"enum": ["x", "y"]}}})})
    new = obj({"o": obj({"tags": {"type": "array", "items": {"enum": ["x"]}}})})
    (c,) = walk(old, new, "request")
    assert c.location == "here o.tags[]" and c.message == 'enum value "y" removed'


def test_read_only_properties_do_not_count_in_requests_nor_write_only_in_responses():
    ro = {"type": "string", "readOnly": True}
    wo = {"type": "string", "writeOnly": True}
    assert walk(obj({}), obj({"id": ro}, ["id"]), "request") == []
    assert walk(obj({"pw": wo}, ["pw"]), obj({}), "response") == []


def test_all_of_members_are_merged():
    old = {"allOf": [obj({"a": S}, ["a"]), obj({"b": S})]}
    new = {"allOf": [obj({"a": S}, ["a"])]}
    assert [c.id for c in walk(old, new, "response")] == ["response-optional-property-removed"]


def test_parameter_root_uses_parameter_ids():
    found = walk({"type": "integer", "maximum": 10}, {"type": "integer", "maximum": 5}, "request", "request-parameter")
    assert [c.id for c in found] == ["request-parameter-max-decreased"]


def test_recursive_schemas_terminate():
    node = {"$ref": "#/components/schemas/Node"}
    old = schemas(Node=obj({"next": node, "v": S}), Root=node)
    new = schemas(Node=obj({"next": node, "v": {"type": "integer"}}), Root=node)
    ctx = SchemaContext("response", old.get, new.get)
    found = diff_schema(old["Root"], new["Root"], ctx, "here", "response-body")
    # the root and one level of recursion, then the walk stops at the repeated pair
    assert [(c.id, c.location) for c in found] == [("response-property-type-changed", "here next.v"),
                                                   ("response-property-type-changed", "here v")]


def test_unchanged_names_are_skipped_but_a_change_behind_a_ref_is_not():
    from archbook.diff.schema import Unchanged

    leaf = {"$ref": "#/components/schemas/Leaf"}
    old = schemas(Leaf=obj({"v": S}), Mid=obj({"leaf": leaf}), Top=obj({"mid": {"$ref": "#/components/schemas/Mid"}}),
                  Other=obj({"x": S}))
    new = schemas(Leaf=obj({"v": {"type": "integer"}}), Mid=obj({"leaf": leaf}),
                  Top=obj({"mid": {"$ref": "#/components/schemas/Mid"}}), Other=obj({"x": S}))
    same = Unchanged(old, new)
    assert [n for n in ("Leaf", "Mid", "Top", "Other") if same(n)] == ["Other"]
    ctx = SchemaContext("response", old.get, new.get, unchanged=same)
    found = diff_schema(old["Top"], new["Top"], ctx, "here", "response-body")
    assert [(c.id, c.location) for c in found] == [("response-property-type-changed", "here mid.leaf.v")]
