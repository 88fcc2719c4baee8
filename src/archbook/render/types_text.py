"""Normalised schemas (`archbook.model.api.Schema`) -> TypeScript-style text, and example values.

A named component schema prints as its name; its definition is printed once, as an
`interface` (objects) or a `type` alias, in the API's "Types" section. So recursion and depth
cost nothing, and a large API's page stays compact. Only anonymous schemas are written inline.
`unknown` is never printed: a schema that does not restrict the value reads `any`.
"""
from __future__ import annotations

import json
import re
from typing import Any

from archbook.model.api import UNSET, HttpApi, Schema

__all__ = ["ts_type", "ts_definition", "example_value", "constraints", "referenced_names", "to_json"]

_PRIMS = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "null": "null"}
_LIMIT_WORDS = {"minimum": ">= {}", "maximum": "<= {}", "exclusiveMinimum": "> {}", "exclusiveMaximum": "< {}",
                "multipleOf": "multiple of {}", "minLength": "min length {}", "maxLength": "max length {}",
                "minItems": "min {} items", "maxItems": "max {} items", "minProperties": "min {} properties",
                "maxProperties": "max {} properties", "minContains": "contains >= {}", "maxContains": "contains <= {}"}
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def to_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def constraints(s: Schema) -> list[str]:
    """Format, limits, pattern, default and flags in words: '>= 1', 'pattern `^a`', 'Default: "x"'."""
    bits = [s.format] if s.format else []
    limits = dict(s.limits)
    if "minimum" in limits and "maximum" in limits:  # the seed's "1-10"
        bits.append(f"{limits.pop('minimum')}-{limits.pop('maximum')}")
    bits += [_LIMIT_WORDS.get(k, k + " {}").format(v) for k, v in limits.items()]
    if s.pattern:
        bits.append(f"pattern {s.pattern}")
    if s.default is not UNSET:
        bits.append(f"Default: {_literal(s.default)}")
    bits += [flag for flag, on in (("read-only", s.read_only), ("write-only", s.write_only),
                                   ("deprecated", s.deprecated)) if on]
    return bits


def _comment(s: Schema) -> str:
    desc = " ".join((s.description or s.title or "").split())
    bits = ([desc] if desc else []) + [b for b in constraints(s) if b not in desc]
    return f" // {'; '.join(bits)}" if bits else ""


def ts_type(s: Schema | None, indent: int = 0) -> str:
    """A type expression; anonymous objects span lines, indented for a block at `indent`."""
    if s is None:
        return "any"
    if s.ref is not None:
        return s.ref
    if s.const is not UNSET:
        return _literal(s.const)
    if s.enum is not None:
        return " | ".join(_literal(v) for v in s.enum) or "never"
    parts = _composition(s, indent)
    if parts is not None:
        return parts
    if not s.type:
        return _untyped(s, indent)
    return " | ".join(_typed(s, t, indent) for t in s.type)


def _says_type(s: Schema) -> bool:
    """Whether a schema says anything about the value's type (a part holding only `required` or a
    description refines, it does not type)."""
    return bool(s.ref or s.type or s.enum is not None or s.const is not UNSET or s.properties or s.items
                or s.prefix_items or isinstance(s.additional, Schema) or s.one_of or s.any_of or s.all_of)


def _composition(s: Schema, indent: int) -> str | None:
    for items, joiner in ((s.one_of, " | "), (s.any_of, " | "), (s.all_of, " & ")):
        typed = [x for x in items if _says_type(x)]
        if typed:
            own = _typed(s, "object", indent) if s.properties else (
                " | ".join(_typed(s, t, indent) for t in s.type) if s.type and joiner == " & " else None)
            text = joiner.join(_wrap(ts_type(x, indent)) for x in typed)
            return f"{text} & {own}" if own else text
    if s.not_ is not None and not s.type:
        return "never" if s.not_ == Schema() else f"Exclude<any, {ts_type(s.not_, indent)}>"
    return None


def _wrap(text: str) -> str:
    return f"({text})" if " | " in text and "\n" not in text else text


def _untyped(s: Schema, indent: int) -> str:
    if s.properties or s.additional is not None:
        return _typed(s, "object", indent)
    if s.items is not None or s.prefix_items:
        return _typed(s, "array", indent)
    return "any"  # the source allows any JSON value here


def _typed(s: Schema, t: str, indent: int) -> str:
    if t == "array":
        if s.prefix_items:
            return "[" + ", ".join(ts_type(x, indent) for x in s.prefix_items) + "]"
        inner = ts_type(s.items, indent) if s.items is not None else "any"
        return f"({inner})[]" if (" | " in inner or " & " in inner) and "\n" not in inner else f"{inner}[]"
    if t == "object":
        return _object(s, indent)
    return _PRIMS.get(t, t)


def _object(s: Schema, indent: int) -> str:
    if not s.properties:
        value = ts_type(s.additional, indent) if isinstance(s.additional, Schema) else "any"
        return "Record<string, never>" if s.additional is False else f"Record<string, {value}>"
    pad = "  " * (indent + 1)
    lines = ["{"]
    for p in s.properties:
        key = p.name if _IDENT.match(p.name) else _literal(p.name)
        lines.append(f"{pad}{key}{'' if p.required else '?'}: {ts_type(p.schema, indent + 1)};{_comment(p.schema)}")
    if isinstance(s.additional, Schema):
        lines.append(f"{pad}[key: string]: {ts_type(s.additional, indent + 1)};")
    lines.append("  " * indent + "}")
    return "\n".join(lines)


def ts_definition(name: str, s: Schema) -> str:
    """`interface Name { ... }` for a plain object, else `type Name = ...;` (with its description)."""
    head = "".join(f"// {line}\n" for line in (s.description or "").strip().splitlines()[:3])
    if s.properties and not (s.one_of or s.any_of or s.all_of) and s.type in ((), ("object",)):
        return f"{head}interface {name} {_object(s, 0)}"
    return f"{head}type {name} = {ts_type(s, 0)};"


def referenced_names(s: Schema | None, api: HttpApi, into: set[str]) -> set[str]:
    """Every named schema `s` reaches, transitively (each visited once, so recursion ends)."""
    stack = [s]
    while stack:
        node = stack.pop()
        if node is None or not isinstance(node, Schema):
            continue
        if node.ref is not None:
            if node.ref not in into:
                into.add(node.ref)
                stack.append(api.schemas.get(node.ref))
            continue
        stack += [p.schema for p in node.properties] + list(node.all_of + node.one_of + node.any_of + node.prefix_items)
        stack += [node.items, node.not_, node.additional if isinstance(node.additional, Schema) else None]
    return into


_MEMO: dict[int, tuple[HttpApi, dict]] = {}  # id(api) -> (api, {(name, budget): example})


def example_value(s: Schema | None, api: HttpApi, _budget: int = 3, _depth: int = 0) -> Any:
    """An example value: the schema's own example/default/const/enum first, else a typed placeholder.

    Named schemas are followed at most `_budget` deep (a recursive type ends in null, and a chain of
    references cannot blow an example up); each (name, budget) is computed once per API.
    """
    if s is None or _depth > 12:
        return None
    if s.ref is not None:
        if _budget <= 0:
            return None
        memo = _MEMO.get(id(api))
        if memo is None or memo[0] is not api:
            _MEMO.clear()
            memo = _MEMO[id(api)] = (api, {})
        key = (s.ref, _budget)
        if key not in memo[1]:
            memo[1][key] = example_value(api.schemas.get(s.ref), api, _budget - 1, _depth + 1)
        return memo[1][key]
    for given in (s.example, s.default, s.const):
        if given is not UNSET:
            return given
    if s.enum:
        return s.enum[0]
    if s.all_of:
        merged: dict = {}
        for part in s.all_of:
            value = example_value(part, api, _budget, _depth + 1)
            merged.update(value if isinstance(value, dict) else {})
        return merged
    if s.one_of or s.any_of:
        return example_value((s.one_of or s.any_of)[0], api, _budget, _depth + 1)
    kind = next((t for t in s.type if t != "null"), "object" if s.properties else ("array" if s.items else None))
    if kind == "object":
        return {p.name: example_value(p.schema, api, _budget, _depth + 1) for p in s.properties}
    if kind == "array":
        return [example_value(s.items, api, _budget, _depth + 1)] if s.items is not None else []
    return _scalar(kind, s)


def _scalar(kind: str | None, s: Schema) -> Any:
    if kind in ("integer", "number"):
        return s.limits.get("minimum", s.limits.get("exclusiveMinimum", 0))
    if kind == "boolean":
        return True
    if kind == "null" or kind is None:
        return None
    return {"date-time": "2025-11-09T13:00:00Z", "date": "2025-11-09", "uri": "https://example.com/resource",
            "email": "user@example.com", "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "binary": "<binary>", "byte": "U3dhZ2dlcg=="}.get(s.format or "", "string")
