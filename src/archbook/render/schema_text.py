"""JSON Schema -> a TypeScript-like type block, and example values synthesised from a schema.

The seed documents bodies as TypeScript-ish shapes (`priority?: "low" | "normal"; // Default`);
this writes the same from the OpenAPI/AsyncAPI schema so the two cannot drift.
"""
from __future__ import annotations

import json
from typing import Any

from archbook.model.api import resolve_ref

__all__ = ["schema_to_ts", "example_from_schema", "to_json"]

_MAX_DEPTH = 8
_PRIMS = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "null": "null"}


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _comment(schema: dict) -> str:
    """Constraints and description as a trailing `//` comment, like the seed's examples."""
    desc = " ".join(str(schema.get("description") or "").split())
    bits = [desc] if desc else []
    lo, hi = schema.get("minimum"), schema.get("maximum")
    if lo is not None and hi is not None:
        bits.append(f"{lo}-{hi}")
    elif lo is not None or hi is not None:
        bits.append(f">= {lo}" if lo is not None else f"<= {hi}")
    if "format" in schema:
        bits.append(str(schema["format"]))
    if "default" in schema:
        bits.append(f"Default: {_literal(schema['default'])}")
    bits = bits[:1] + [b for b in bits[1:] if b not in desc]  # the description often says it already
    return f" // {'; '.join(bits)}" if bits else ""


def _merge_all_of(parts: list, root: dict) -> dict | None:
    """allOf of plain objects -> one object (later parts refine earlier ones), else None."""
    merged: dict = {"type": "object", "properties": {}, "required": []}
    for part in parts:
        part = resolve_ref(root, part)
        if not isinstance(part, dict) or set(part) - {"type", "properties", "required", "description", "title",
                                                         "additionalProperties"}:
            return None
        for name, sub in (part.get("properties") or {}).items():
            old = resolve_ref(root, merged["properties"].get(name, {}))
            sub = resolve_ref(root, sub)
            merged["properties"][name] = {**old, **sub} if isinstance(old, dict) and isinstance(sub, dict) else sub
        merged["required"] += [r for r in part.get("required") or [] if r not in merged["required"]]
    return merged


def schema_to_ts(schema: Any, root: dict | None = None, indent: int = 0, _depth: int = 0) -> str:
    """Render a JSON Schema as a TypeScript-like type expression (objects span lines)."""
    root = root or {}
    ref_name = schema.get("$ref", "").rsplit("/", 1)[-1] if isinstance(schema, dict) else ""
    schema = resolve_ref(root, schema)
    if not isinstance(schema, dict) or _depth > _MAX_DEPTH:
        return ref_name or "unknown"
    if "const" in schema:
        return _literal(schema["const"])
    if "enum" in schema:
        return " | ".join(_literal(v) for v in schema["enum"])
    if "allOf" in schema and (merged := _merge_all_of(schema["allOf"], root)) is not None:
        return _object_ts(merged, root, indent, _depth)
    for key, joiner in (("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")):
        if key in schema:
            return joiner.join(schema_to_ts(s, root, indent, _depth + 1) for s in schema[key])
    typ = schema.get("type")
    if isinstance(typ, list):
        return " | ".join(schema_to_ts({**schema, "type": t}, root, indent, _depth + 1) for t in typ)
    if typ == "array" or "items" in schema:
        inner = schema_to_ts(schema.get("items", {}), root, indent, _depth + 1)
        return f"({inner})[]" if " | " in inner or " & " in inner else f"{inner}[]"
    if typ == "object" or "properties" in schema:
        return _object_ts(schema, root, indent, _depth)
    return _PRIMS.get(typ, "unknown")


def _object_ts(schema: dict, root: dict, indent: int, depth: int) -> str:
    props = schema.get("properties") or {}
    if not props:
        extra = schema.get("additionalProperties")
        value = schema_to_ts(extra, root, indent, depth + 1) if isinstance(extra, dict) else "unknown"
        return f"Record<string, {value}>"
    required = set(schema.get("required") or [])
    pad = "  " * (indent + 1)
    lines = ["{"]
    for name, sub in props.items():
        resolved = resolve_ref(root, sub)
        key = name if name.replace("_", "a").isalnum() else _literal(name)
        opt = "" if name in required else "?"
        typ = schema_to_ts(sub, root, indent + 1, depth + 1)
        note = _comment(resolved) if isinstance(resolved, dict) else ""
        lines.append(f"{pad}{key}{opt}: {typ};{note}")
    lines.append("  " * indent + "}")
    return "\n".join(lines)


def example_from_schema(schema: Any, root: dict | None = None, _depth: int = 0) -> Any:
    """An example value: the schema's own example/default/enum first, else a typed placeholder."""
    root = root or {}
    schema = resolve_ref(root, schema)
    if not isinstance(schema, dict) or _depth > _MAX_DEPTH:
        return None
    for key in ("example", "default", "const"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("oneOf", "anyOf", "allOf"):
        if schema.get(key):
            if key == "allOf":
                merged: dict = {}
                for part in schema[key]:
                    value = example_from_schema(part, root, _depth + 1)
                    if isinstance(value, dict):
                        merged.update(value)
                return merged
            return example_from_schema(schema[key][0], root, _depth + 1)
    typ = schema.get("type")
    if isinstance(typ, list):
        typ = next((t for t in typ if t != "null"), "null")
    if typ == "object" or "properties" in schema:
        return {k: example_from_schema(v, root, _depth + 1) for k, v in (schema.get("properties") or {}).items()}
    if typ == "array":
        return [example_from_schema(schema.get("items", {}), root, _depth + 1)]
    return {"integer": schema.get("minimum", 0), "number": schema.get("minimum", 0), "boolean": True,
            "null": None}.get(typ, _string_example(schema))


def _string_example(schema: dict) -> str:
    return {"date-time": "2025-11-09T13:00:00Z", "date": "2025-11-09", "uri": "https://example.com/resource",
            "email": "user@example.com", "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}.get(
        schema.get("format", ""), "string")


def to_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
