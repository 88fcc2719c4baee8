"""Compare two normalised schemas (`model.api.Schema`) in one direction, following named refs.

`diff_schema` walks both schemas together: types, enums, limits, patterns, properties and
their required flags, array items and oneOf/anyOf variants; allOf members are folded in
first. It is called once per request body, parameter, header and response that uses a
schema, so a change to a named schema is reported at every place a client meets it, with
the level that direction deserves.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from archbook.diff.change import Change
from archbook.diff.registry import change
from archbook.diff.schema_checks import LOWER, UPPER, bound_id
from archbook.model.api import UNSET, Property, Schema

__all__ = ["SchemaContext", "Unchanged", "diff_schema", "named"]

Raw = tuple[str, str, str]  # (check id, path relative to the node, message)
_EMPTY = Schema()


def named(schemas: dict[str, Schema]) -> Callable[[str], Schema | None]:
    """A resolver for `Schema(ref=name)` over one document's named schemas."""
    return schemas.get


def _refs(s: Schema | None, out: set[str]) -> set[str]:
    """Names of the named schemas `s` refers to directly or through its inline sub-schemas."""
    if s is None or isinstance(s, bool):
        return out
    if s.ref is not None:
        out.add(s.ref)
        return out
    for p in s.properties:
        _refs(p.schema, out)
    for sub in (s.items, s.additional, s.not_, *s.prefix_items, *s.all_of, *s.one_of, *s.any_of):
        _refs(sub, out)
    return out


class Unchanged:
    """Which named schemas are identical in both versions, all they refer to included.

    A pair of refs to an unchanged name needs no walk: the shortcut that makes a diff of a large
    API cost a fraction of validating it. Computed once per pair: the names that differ, then
    (backwards along the refs) every name that reaches one of them."""

    def __init__(self, old: dict[str, Schema], new: dict[str, Schema]):
        self.old, self.new, self._changed = old, new, None

    def __call__(self, name: str) -> bool:
        if self._changed is None:
            self._changed = self._compute()
        return name in self.old and name not in self._changed

    def _compute(self) -> set[str]:
        users: dict[str, set[str]] = {}
        for name, schema in self.old.items():
            for ref in _refs(schema, set()):
                users.setdefault(ref, set()).add(name)
        changed = {name for name, schema in self.old.items() if self.new.get(name) != schema}
        todo = list(changed)
        while todo:
            for user in users.get(todo.pop(), ()):
                if user not in changed:
                    changed.add(user)
                    todo.append(user)
        return changed


@dataclass
class SchemaContext:
    """What one walk needs: a direction and a ref resolver per side; the memo is shared across walks."""

    direction: str  # "request" | "response"
    resolve_old: Callable[[str], Schema | None]
    resolve_new: Callable[[str], Schema | None]
    memo: dict = field(default_factory=dict)
    api: str = "openapi"  # the document kind the changes are reported under
    flat: dict = field(default_factory=dict)  # id(schema) -> (schema, flattened); see `_flat`
    unchanged: Callable[[str], bool] | None = None  # names identical on both sides (see `Unchanged`)
    _stack: set = field(default_factory=set)


def diff_schema(old: Schema | None, new: Schema | None, ctx: SchemaContext, where: str, subject: str) -> list[Change]:
    """Changes between two schemas used at `where`; `subject` names the root (e.g. request-body)."""
    return [change(cid, f"{where} {path}".rstrip(), msg, api=ctx.api) for cid, path, msg in _node(old, new, ctx, subject)]


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _join(prefix: str, rel: str) -> str:
    if not rel:
        return prefix
    return prefix + rel if rel.startswith("[") else f"{prefix}.{rel}"


def _deref(node: Schema | None, resolve: Callable[[str], Schema | None]) -> tuple[str | None, Schema]:
    first = node.ref if node is not None else None
    for _ in range(32):
        if node is None or node.ref is None:
            break
        node = resolve(node.ref)
    return first, (node if node is not None and node.ref is None else _EMPTY)


def _node(old: Schema | None, new: Schema | None, ctx: SchemaContext, subject: str | None) -> list[Raw]:
    """Raw changes under one pair of nodes; `subject` is None below the root (a property)."""
    if old is not None and new is not None and old.ref is not None and old.ref == new.ref \
            and ctx.unchanged is not None and ctx.unchanged(old.ref):
        return []
    oref, o = _deref(old, ctx.resolve_old)
    nref, n = _deref(new, ctx.resolve_new)
    key = (oref, nref, ctx.direction, subject) if oref and nref else None
    if key in ctx._stack:  # a recursive schema: this pair is already being compared further up
        return []
    if key in ctx.memo:
        return ctx.memo[key]
    if key:
        ctx._stack.add(key)
    out = _compare(_flat(o, ctx.resolve_old, ctx.flat), _flat(n, ctx.resolve_new, ctx.flat), ctx, subject)
    if key:
        ctx._stack.discard(key)
        ctx.memo[key] = out
    return out


def _compare(o: Schema, n: Schema, ctx: SchemaContext, subject: str | None) -> list[Raw]:
    prop = f"{ctx.direction}-property"
    scalar = subject if subject == "request-parameter" else prop
    out = _types(o, n, ctx.direction, subject or prop)
    out += _enum(o, n, ctx.direction, scalar)
    out += _bounds(o, n, ctx.direction, subject or prop)
    out += _pattern(o, n, scalar)
    out += _properties(o, n, ctx)
    out += _items(o, n, ctx)
    out += _variants(o, n, ctx)
    return out


# --- allOf ------------------------------------------------------------------------------------

def _flat(s: Schema, resolve: Callable[[str], Schema | None], cache: dict) -> Schema:
    """`_flatten`, once per schema object: models are immutable and shared, so identity is a safe
    key (the schema itself is kept in the entry so its id cannot be reused while cached)."""
    if not s.all_of:
        return s
    hit = cache.get(id(s))
    if hit is None or hit[0] is not s:
        hit = cache[id(s)] = (s, _flatten(s, resolve))
    return hit[1]


def _flatten(s: Schema, resolve: Callable[[str], Schema | None], depth: int = 0) -> Schema:
    """One schema equivalent to `s` with its allOf members folded in (they must all hold).

    Same-named properties become an allOf of their own; enums intersect; otherwise the outer
    keyword wins (an inner `const` still narrows, since `const` beats `enum`)."""
    if not s.all_of or depth > 16:
        return s
    acc = {"properties": {p.name: p for p in s.properties}, "enum": s.enum, "const": s.const, "type": s.type,
           "pattern": s.pattern, "limits": dict(s.limits), "items": s.items, "one_of": s.one_of, "any_of": s.any_of,
           "read_only": s.read_only, "write_only": s.write_only}
    for part in s.all_of:
        _fold(acc, _flatten(_deref(part, resolve)[1], resolve, depth + 1))
    acc["properties"] = tuple(acc["properties"].values())
    return replace(s, all_of=(), **acc)


def _fold(acc: dict, part: Schema) -> None:
    props = acc["properties"]
    for p in part.properties:
        q = props.get(p.name)
        props[p.name] = p if q is None else Property(p.name, Schema(all_of=(q.schema, p.schema)), q.required or p.required)
    if acc["enum"] is not None and part.enum is not None:
        acc["enum"] = tuple(v for v in acc["enum"] if v in part.enum)
    elif acc["enum"] is None:
        acc["enum"] = part.enum
    for key in ("type", "pattern", "items", "one_of", "any_of"):
        acc[key] = acc[key] or getattr(part, key)
    if acc["const"] is UNSET:
        acc["const"] = part.const
    acc["limits"] = {**part.limits, **acc["limits"]}
    acc["read_only"] = acc["read_only"] or part.read_only
    acc["write_only"] = acc["write_only"] or part.write_only


# --- types ------------------------------------------------------------------------------------

def _typeset(s: Schema) -> frozenset | None:
    return frozenset(s.type) if s.type else None


def _covers(wide: frozenset | None, narrow: frozenset | None) -> bool:
    """Does every value of type `narrow` also fit `wide` (None means any type)?"""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _types(o: Schema, n: Schema, direction: str, subject: str) -> list[Raw]:
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

def _enum_of(s: Schema) -> list | None:
    if s.const is not UNSET:
        return [s.const]
    return list(s.enum) if s.enum is not None else None


def _enum(o: Schema, n: Schema, direction: str, subject: str) -> list[Raw]:
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


def _bounds(o: Schema, n: Schema, direction: str, subject: str) -> list[Raw]:
    out = []
    if o.limits == n.limits:
        return out
    for kw, name in (*UPPER.items(), *LOWER.items()):
        vo, vn = _number(o.limits.get(kw)), _number(n.limits.get(kw))
        if vo == vn:
            continue
        move = _move(vo, vn, kw in UPPER, direction)
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


def _pattern(o: Schema, n: Schema, subject: str) -> list[Raw]:
    if o.pattern == n.pattern:
        return []
    kind = "added" if o.pattern is None else ("removed" if n.pattern is None else "changed")
    return [(f"{subject}-pattern-{kind}", "", f"pattern {_show(o.pattern)} -> {_show(n.pattern)}")]


# --- objects, arrays, variants ----------------------------------------------------------------

def _skipped(prop: Property, resolve: Callable[[str], Schema | None], direction: str) -> bool:
    """readOnly properties are never sent; writeOnly ones never returned."""
    s = _deref(prop.schema, resolve)[1]
    return (s.read_only or prop.schema.read_only) if direction == "request" else (s.write_only or prop.schema.write_only)


def _properties(o: Schema, n: Schema, ctx: SchemaContext) -> list[Raw]:
    if not o.properties and not n.properties:
        return []
    po, pn = {p.name: p for p in o.properties}, {p.name: p for p in n.properties}
    out: list[Raw] = []
    for name in po.keys() - pn.keys():
        if not _skipped(po[name], ctx.resolve_old, ctx.direction):
            out.append(_removed(name, po[name].required, ctx.direction))
    for name in pn.keys() - po.keys():
        if not _skipped(pn[name], ctx.resolve_new, ctx.direction):
            out.append(_added(pn[name], _deref(pn[name].schema, ctx.resolve_new)[1], ctx.direction))
    for name in [k for k in po if k in pn]:
        out += _required_moved(name, po[name].required, pn[name].required, ctx.direction)
        out += [(cid, _join(name, rel), msg) for cid, rel, msg in _node(po[name].schema, pn[name].schema, ctx, None)]
    return sorted(out, key=lambda r: r[1])


def _removed(name: str, required: bool, direction: str) -> Raw:
    if direction == "request":
        return ("request-property-removed", name, f"property {name!r} removed")
    kind = "required" if required else "optional"
    return (f"response-{kind}-property-removed", name, f"{kind} property {name!r} removed")


def _added(prop: Property, schema: Schema, direction: str) -> Raw:
    name, kind = prop.name, "required" if prop.required else "optional"
    if direction == "response":
        return (f"response-{kind}-property-added", name, f"{kind} property {name!r} added")
    if not prop.required:
        return ("new-optional-request-property", name, f"optional property {name!r} added")
    has_default = schema.default is not UNSET or prop.schema.default is not UNSET
    cid = "new-required-request-property-with-default" if has_default else "new-required-request-property"
    return (cid, name, f"required property {name!r} added")


def _required_moved(name: str, was: bool, now: bool, direction: str) -> list[Raw]:
    if was == now:
        return []
    became = "required" if now else "optional"
    return [(f"{direction}-property-became-{became}", name, f"property {name!r} became {became}")]


def _items(o: Schema, n: Schema, ctx: SchemaContext) -> list[Raw]:
    if o.items is None or n.items is None:
        return []
    return [(cid, _join("[]", rel), msg) for cid, rel, msg in _node(o.items, n.items, ctx, None)]


def _variants(o: Schema, n: Schema, ctx: SchemaContext) -> list[Raw]:
    out: list[Raw] = []
    for key, slug, vo, vn in (("oneOf", "one-of", o.one_of, n.one_of), ("anyOf", "any-of", o.any_of, n.any_of)):
        if not vo or not vn:
            continue
        if len(vo) != len(vn):
            kind = "removed" if len(vn) < len(vo) else "added"
            out.append((f"{ctx.direction}-property-{slug}-{kind}", "", f"{key} has {len(vn)} variants (was {len(vo)})"))
            continue
        for i, (a, b) in enumerate(zip(vo, vn)):
            out += [(cid, _join(f"{key}[{i}]", rel), msg) for cid, rel, msg in _node(a, b, ctx, None)]
    return out
