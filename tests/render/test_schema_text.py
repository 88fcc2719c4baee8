"""JSON Schema -> TypeScript-like text and synthesised examples."""
from __future__ import annotations

from archbook.render.schema_text import example_from_schema, schema_to_ts

ROOT = {"components": {"schemas": {
    "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
    "Node": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Node"}}},
}}}


def test_primitives_unions_arrays():
    assert schema_to_ts({"type": "integer"}) == "number"
    assert schema_to_ts({"type": ["string", "null"]}) == "string | null"
    assert schema_to_ts({"enum": ["a", "b"]}) == '"a" | "b"'
    assert schema_to_ts({"type": "array", "items": {"type": "string"}}) == "string[]"
    assert schema_to_ts({"type": "array", "items": {"enum": [1, 2]}}) == "(1 | 2)[]"
    assert schema_to_ts({"oneOf": [{"type": "string"}, {"type": "number"}]}) == "string | number"
    assert schema_to_ts({"type": "object", "additionalProperties": {"type": "number"}}) == "Record<string, number>"


def test_object_required_optional_comments():
    text = schema_to_ts({"type": "object", "required": ["w"], "properties": {
        "w": {"type": "integer", "minimum": 512, "maximum": 1920, "description": "Width"},
        "p": {"type": "integer", "minimum": 0},
        "my-key": {"type": "string", "format": "uri", "default": "x"}}})
    assert text == '{\n  w: number; // Width; 512-1920\n  p?: number; // >= 0\n  "my-key"?: string; // uri; Default: "x"\n}'


def test_all_of_objects_merge_and_refs_terminate():
    merged = schema_to_ts({"allOf": [{"$ref": "#/components/schemas/Base"},
                                     {"type": "object", "properties": {"n": {"type": "number"}}}]}, ROOT)
    assert merged == "{\n  id: string;\n  n?: number;\n}"
    recursive = schema_to_ts({"$ref": "#/components/schemas/Node"}, ROOT)
    assert recursive.count("child?:") == 9  # depth-limited, not infinite


def test_examples():
    schema = {"type": "object", "properties": {
        "a": {"type": "string", "example": "x"}, "b": {"type": "integer", "minimum": 3},
        "c": {"type": "string", "format": "date-time"}, "d": {"type": "array", "items": {"enum": ["q"]}},
        "e": {"type": ["null", "boolean"]}}}
    assert example_from_schema(schema) == {"a": "x", "b": 3, "c": "2025-11-09T13:00:00Z", "d": ["q"], "e": True}
    assert example_from_schema({"$ref": "#/components/schemas/Base"}, ROOT) == {"id": "string"}
