"""Compare two JSON Schemas in one direction (request or response), following `$ref`s.

`diff_schema` walks both schemas together: types, enums, limits, patterns, properties and
their required flags, array items and oneOf/anyOf variants. It is called once per request
body, parameter and response that uses a schema, so a change to a named schema is reported
at every place a client meets it, with the level that direction deserves.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archbook.diff.change import Change
from archbook.diff.registry import change
from archbook.diff.schema_checks import LOWER, UPPER, bound_id

__all__ = ["SchemaContext", "diff_schema"]

Raw = tuple[str, str, str]  # (check id, path relative to the node, message)


@dataclass
class SchemaContext:
    """What one walk needs: a direction and a `$ref` resolver per side; memo shared across walks."""

    direction: str  # "request" | "response"
    resolve_old: Callable[[Any], Any]
    resolve_new: Callable[[Any], Any]
    memo: dict = field(default_factory=dict)
    api: str = "openapi"  # the document kind the changes are reported under
    _stack: set = field(default_factory=set)


def diff_schema(old: Any, new: Any, ctx: SchemaContext, where: str, subject: str) -> list[Change]:
    """Changes between two schemas used at `where`; `subject` names the root (e.g. request-body)."""
    return [change(cid, f"{where} {path}".rstrip(), msg, api=ctx.api) for cid, path, msg in _node(old, new, ctx, subject)]


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _join(prefix: str, rel: str) -> str:
    if not rel:
        return prefix
    return prefix + rel if rel.startswith("[") else f"{prefix}.{rel}"


def _deref(node: Any, resolve: Callable[[Any], Any]) -> tuple[str | None, dict]:
    ref = node.get("$ref") if isinstance(node, dict) else None
    node = resolve(node) if ref is not None else node
    return (ref if isinstance(ref, str) else None), (node if isinstance(node, dict) else {})


def _node(old: Any, new: Any, ctx: SchemaContext, subject: str | None) -> list[Raw]:
    """Raw changes under one pair of nodes; `subject` is None below the root (a property)."""
    oref, o = _deref(old, ctx.resolve_old)
    nref, n = _deref(new, ctx.resolve_new)
    o, n = _flatten(o, ctx.resolve_old), _flatten(n, ctx.resolve_new)
    key = (oref, nref, ctx.direction, subject) if oref and nref else None
    if key in ctx._stack:  # a recursive schema: this pair is already being compared further up
        return []
    if key in ctx.memo:
        return ctx.memo[key]
    if key:
        ctx._stack.add(key)
    out = _compare(o, n, ctx, subject)
    if key:
        ctx._stack.discard(key)
        ctx.memo[key] = out
    return out


def _compare(o: dict, n: dict, ctx: SchemaContext, subject: str | None) -> list[Raw]:
    if o == n and "$ref" not in json.dumps(o):  # identical and self-contained: nothing below can differ
        return []
    prop = f"{ctx.direction}-property"
    scalar = subject if subject == "request-parameter" else prop
    out = _types(o, n, ctx.direction, subject or prop)
    out += _enum(o, n, ctx.direction, scalar)
    out += _bounds(o, n, ctx.direction, subject or prop)
    out += _pattern(o, n, ctx.direction, scalar)
    out += _properties(o, n, ctx)
    out += _items(o, n, ctx)
    out += _variants(o, n, ctx)
    return out


# --- types ------------------------------------------------------------------------------------

def _typeset(node: dict) -> frozenset | None:
    t = node.get("type")
    if t is None:
        return None
    types = set(t) if isinstance(t, list) else {t}
    if node.get("nullable") is True:  # OpenAPI 3.0 spelling
        types.add("null")
    return frozenset(str(x) for x in types)


def _covers(wide: frozenset | None, narrow: frozenset | None) -> bool:
    """Does every value of type `narrow` also fit `wide` (None means any type)?"""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _types(o: dict, n: dict, direction: str, subject: str) -> list[Raw]:
    to, tn = _typeset(o), _typeset(n)
    if to == tn:
        return []
    shown = f"type {_show(sorted(to) if to else 'any')} -> {_show(sorted(tn) if tn else 'any')}"
    if to is not None and tn is not None and to ^ tn == {"null"}:
        gained = "null" in tn
        if direction == "request":
            return [(f"{direction}-property-became-{'nullable' if gained else 'not-nullable'}", "", shown)]
        return [("response-property-became-nullable", "", shown)] if gained else []
    if direction == "request":
        kind = "generalized" if _covers(tn, to) else "changed"
        return [(f"{subject}-type-{kind}", "", shown)]
    return [] if _covers(to, tn) else [(f"{subject}-type-changed", "", shown)]


# --- enums, limits, patterns ------------------------------------------------------------------

def _enum_of(node: dict) -> list | None:
    if "const" in node:
        return [node["const"]]
    e = node.get("enum")
    return list(e) if isinstance(e, list) else None


def _enum(o: dict, n: dict, direction: str, subject: str) -> list[Raw]:
    eo, en = _enum_of(o), _enum_of(n)
    if eo == en:
        return []
    if eo is None:
        return [(f"{subject}-became-enum", "", f"now restricted to {_show(en)}")] if direction == "request" else []
    if en is None:
        return [] if direction == "request" else [(f"{subject}-enum-value-added", "", "no longer restricted to an enum")]
    removed = [v for v in eo if v not in en]
    added = [v for v in en if v not in eo]
    return ([(f"{subject}-enum-value-removed", "", f"enum value {_show(v)} removed") for v in removed]
            + [(f"{subject}-enum-value-added", "", f"enum value {_show(v)} added") for v in added])


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _bounds(o: dict, n: dict, direction: str, subject: str) -> list[Raw]:
    out = []
    for kw, name in (*UPPER.items(), *LOWER.items()):
        vo, vn = _number(o.get(kw)), _number(n.get(kw))
        if vo == vn:
            continue
        upper = kw in UPPER
        move = _move(vo, vn, upper, direction)
        if move:
            out.append((bound_id(subject, name, move), "", f"{kw} {_show(vo)} -> {_show(vn)}"))
    return out


def _move(vo: float | None, vn: float | None, upper: bool, direction: str) -> str | None:
    """Name of the limit movement worth reporting, or None (narrowing a response is harmless)."""
    if vn is None:
        return "unset" if direction == "response" else ("increased" if upper else "decreased")
    if vo is None:
        return "set" if direction == "request" else None
    rose = vn > vo
    if direction == "response" and rose != upper:  # the response range shrank
        return None
    return "increased" if rose else "decreased"


def _pattern(o: dict, n: dict, direction: str, subject: str) -> list[Raw]:
    po, pn = o.get("pattern"), n.get("pattern")
    if po == pn:
        return []
    kind = "added" if po is None else ("removed" if pn is None else "changed")
    return [(f"{subject}-pattern-{kind}", "", f"pattern {_show(po)} -> {_show(pn)}")]


# --- objects, arrays, variants ----------------------------------------------------------------

def _flatten(node: dict, resolve: Callable[[Any], Any], depth: int = 0) -> dict:
    """One schema equivalent to `node` with its allOf members folded in (they must all hold).

    Same-named properties become an allOf of their own; enums intersect; otherwise the
    outer keyword wins (an inner `const` still narrows, since `const` beats `enum`)."""
    parts = node.get("allOf")
    if not isinstance(parts, list) or depth > 16:
        return node
    out = {k: v for k, v in node.items() if k != "allOf"}
    for part in parts:
        part = _flatten(_deref(part, resolve)[1], resolve, depth + 1)
        for key, value in part.items():
            _fold(out, key, value)
    return out


def _fold(out: dict, key: str, value: Any) -> None:
    if key == "properties" and isinstance(value, dict):
        merged = dict(out.get("properties") or {})
        for name, sub in value.items():
            merged[name] = {"allOf": [merged[name], sub]} if name in merged else sub
        out["properties"] = merged
    elif key == "required" and isinstance(value, list):
        out["required"] = list(dict.fromkeys([*(out.get("required") or []), *value]))
    elif key == "enum" and isinstance(value, list) and isinstance(out.get("enum"), list):
        out["enum"] = [v for v in out["enum"] if v in value]
    else:
        out.setdefault(key, value)


def _shape(node: dict) -> tuple[dict, set]:
    return dict(node.get("properties") or {}), set(node.get("required") or [])


def _skipped(prop: Any, resolve: Callable[[Any], Any], direction: str) -> bool:
    """readOnly properties are never sent; writeOnly ones never returned."""
    _, p = _deref(prop, resolve)
    return bool(p.get("readOnly" if direction == "request" else "writeOnly"))


def _properties(o: dict, n: dict, ctx: SchemaContext) -> list[Raw]:
    po, ro = _shape(o)
    pn, rn = _shape(n)
    out: list[Raw] = []
    for name in po.keys() - pn.keys():
        if not _skipped(po[name], ctx.resolve_old, ctx.direction):
            out.append(_removed(name, name in ro, ctx.direction))
    for name in pn.keys() - po.keys():
        if not _skipped(pn[name], ctx.resolve_new, ctx.direction):
            out.append(_added(name, name in rn, _deref(pn[name], ctx.resolve_new)[1], ctx.direction))
    for name in [k for k in po if k in pn]:
        out += _required_moved(name, name in ro, name in rn, ctx.direction)
        out += [(cid, _join(name, rel), msg) for cid, rel, msg in _node(po[name], pn[name], ctx, None)]
    return sorted(out, key=lambda r: r[1])


def _removed(name: str, required: bool, direction: str) -> Raw:
    if direction == "request":
        return ("request-property-removed", name, f"property {name!r} removed")
    kind = "required" if required else "optional"
    return (f"response-{kind}-property-removed", name, f"{kind} property {name!r} removed")


def _added(name: str, required: bool, schema: dict, direction: str) -> Raw:
    if direction == "response":
        kind = "required" if required else "optional"
        return (f"response-{kind}-property-added", name, f"{kind} property {name!r} added")
    if not required:
        return ("new-optional-request-property", name, f"optional property {name!r} added")
    cid = "new-required-request-property-with-default" if "default" in schema else "new-required-request-property"
    return (cid, name, f"required property {name!r} added")


def _required_moved(name: str, was: bool, now: bool, direction: str) -> list[Raw]:
    if was == now:
        return []
    became = "required" if now else "optional"
    return [(f"{direction}-property-became-{became}", name, f"property {name!r} became {became}")]


def _items(o: dict, n: dict, ctx: SchemaContext) -> list[Raw]:
    io, inn = o.get("items"), n.get("items")
    if not isinstance(io, dict) or not isinstance(inn, dict):
        return []
    return [(cid, _join("[]", rel), msg) for cid, rel, msg in _node(io, inn, ctx, None)]


def _variants(o: dict, n: dict, ctx: SchemaContext) -> list[Raw]:
    out: list[Raw] = []
    for key, slug in (("oneOf", "one-of"), ("anyOf", "any-of")):
        vo, vn = o.get(key), n.get(key)
        if not isinstance(vo, list) or not isinstance(vn, list):
            continue
        if len(vo) != len(vn):
            kind = "removed" if len(vn) < len(vo) else "added"
            out.append((f"{ctx.direction}-property-{slug}-{kind}", "", f"{key} has {len(vn)} variants (was {len(vo)})"))
            continue
        for i, (a, b) in enumerate(zip(vo, vn)):
            out += [(cid, _join(f"{key}[{i}]", rel), msg) for cid, rel, msg in _node(a, b, ctx, None)]
    return out
