"""Plain views of the GraphQL API for `graphql.md.j2`: every decision here, the template only lays out.

A schema of 1,600 types stays navigable: each type is defined once, under a heading
`Name (kind)` whose anchor every mention links to; types are listed by kind, then by category
(`@doc(category:)` or the root field that reaches them). All user text is escaped here (Markup
out), since tables and links are assembled in Python.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from archbook.model.graphql import Deprecation, GqlField, GqlOperation, GqlType, GraphQLApi
from archbook.render import markdown as md
from archbook.render.api_views import describe_scheme
from archbook.render.schema_text import to_json

__all__ = ["GraphQLView", "OperationView", "TypeView", "graphql_view", "operation_view", "type_anchor", "KIND_TITLES"]

KIND_TITLES = {"object": "Objects", "interface": "Interfaces", "union": "Unions", "enum": "Enums",
               "input": "Input types", "scalar": "Scalars"}
_ROOT_TITLES = {"query": "Queries", "mutation": "Mutations", "subscription": "Subscriptions"}
_TRANSPORTS = {"graphql-ws": "graphql-ws protocol over WebSocket",
               "graphql-transport-ws": "graphql-transport-ws protocol over WebSocket",
               "sse": "Server-Sent Events (graphql-sse)"}


def type_anchor(name: str, kind: str) -> str:
    """The anchor of the heading `Name (kind)` (GitHub's rule, as for every heading of the document)."""
    return md.anchor(f"{name} ({kind})")


@dataclass
class ExampleView:
    title: str
    origin: str
    query: Markup
    variables: Markup | None
    response: Markup | None
    note: str = ""


@dataclass
class OperationView:
    ref: str
    heading: str
    description: str
    returns: Markup
    arguments: Markup | None
    deprecation: str | None
    examples: list[ExampleView]


@dataclass
class TypeView:
    name: str
    kind: str
    heading: str
    description: str
    related: list[tuple[str, Markup]]  # ("Implements", links), ("Members", links), ...
    table: Markup | None
    specified_by: str | None = None


@dataclass
class GraphQLView:
    endpoint: str | None
    authentication: str
    rate_limit: str | None
    subscriptions: str | None
    files: list[str]
    description: str
    roots: list[tuple[str, str, list[OperationView]]]  # (root, title, operations)
    contents: Markup
    kinds: list[tuple[str, list[tuple[str, list[TypeView]]]]]  # (kind title, [(category, types)])
    deprecations: Markup | None
    deprecation_count: int
    error_table: Markup | None
    error_example: Markup
    subscription_snippet: Markup | None = None
    directives: Markup | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _txt(value: object) -> str:
    return str.__str__(md.text(value))


def _cell(value: object) -> str:
    return str.__str__(md.cell(value))


def _code(value: object) -> str:
    return str.__str__(md.inline_code(value))


def _table(headers: list[str], rows: list[list[str]]) -> Markup:
    """A Markdown table from cells that are already escaped (plain `str`, for speed: 16,000 rows)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(c or "&nbsp;" for c in row) + " |" for row in rows]
    return Markup("\n".join(lines))


class _Linker:
    """Turns SDL type notation into Markdown with the named type linked to its definition (escaped `str`)."""

    _SDL = re.compile(r"(\[*)([_A-Za-z][_0-9A-Za-z]*)([\]!]*)")

    def __init__(self, api: GraphQLApi):
        self.kinds = {t.name: t.kind for t in api.types}
        self.cache: dict[str, str] = {}

    def name(self, name: str) -> str:
        kind = self.kinds.get(name)
        return f"[{_txt(name)}](#{type_anchor(name, kind)})" if kind else _txt(name)

    def type(self, sdl: str) -> str:
        out = self.cache.get(sdl)
        if out is None:
            m = self._SDL.fullmatch(sdl)
            out = self.cache[sdl] = _txt(m.group(1)) + self.name(m.group(2)) + _txt(m.group(3)) if m else _cell(sdl)
        return out

    def names(self, names) -> Markup:
        return Markup(", ".join(self.name(n) for n in names))


def _deprecated(reason: str | None) -> str:
    return f"⚠️ Deprecated: {reason or 'No longer supported'}" if reason is not None else ""


def _with_deprecation(description: str, reason: str | None) -> str:
    parts = [_cell(description)] if description else []
    if reason is not None:
        parts.append("**" + _cell(_deprecated(reason)) + "**")
    return " ".join(parts)


def _args_table(f: GqlField, link: _Linker) -> Markup | None:
    if not f.args:
        return None
    rows = [[_code(a.name), link.type(a.type), _code(a.default) if a.default is not None else "",
             _with_deprecation(a.description, a.deprecation)] for a in f.args]
    return _table(["Argument", "Type", "Default", "Description"], rows)


def _field_cell(f) -> str:
    name = _code(f.name)
    return f"~~{name}~~" if f.deprecation is not None else name


def _fields_table(t: GqlType, link: _Linker) -> Markup:
    if t.kind == "input":
        rows = [[_field_cell(f), link.type(f.type), _code(f.args[0].default) if f.args else "",
                 _with_deprecation(f.description, f.deprecation)] for f in t.fields]
        return _table(["Field", "Type", "Default", "Description"], rows)
    rows = []
    for f in t.fields:
        args = ", ".join(_code(f"{a.name}: {a.type}" + (f" = {a.default}" if a.default else "")) for a in f.args)
        rows.append([_field_cell(f), link.type(f.type), args, _with_deprecation(f.description, f.deprecation)])
    return _table(["Field", "Type", "Arguments", "Description"], rows)


def _type_view(t: GqlType, link: _Linker) -> TypeView:
    related = []
    if t.interfaces:
        related.append(("Implements", link.names(t.interfaces)))
    if t.members:
        related.append(("Implemented by" if t.kind == "interface" else "Members", link.names(t.members)))
    table = None
    if t.kind in ("object", "interface", "input") and t.fields:
        table = _fields_table(t, link)
    elif t.kind == "enum":
        table = _table(["Value", "Description"], [[_field_cell(v), _with_deprecation(v.description, v.deprecation)]
                                                  for v in t.values])
    return TypeView(t.name, t.kind, f"{t.name} ({t.kind})", t.description, related, table, t.specified_by)


def _json(value: Any) -> Markup | None:
    return md.code_block(to_json(value), "json") if value is not None else None


def _example_view(ex, op: GqlOperation) -> ExampleView:
    note = "generated from the schema" if ex.origin == "generated" else ""
    title = ex.name if ex.origin == "user" else op.ref
    return ExampleView(title, ex.origin, md.code_block(ex.query.strip("\n"), "graphql"), _json(ex.variables),
                       _json(ex.response), note)


def _operation_view(op: GqlOperation, link: _Linker) -> OperationView:
    f = op.field
    return OperationView(op.ref, f"{op.type_name}.{f.name}", f.description, Markup(link.type(f.type)), _args_table(f, link),
                         _deprecated(f.deprecation) or None, [_example_view(ex, op) for ex in op.examples])


def operation_view(api: GraphQLApi, ref: str) -> OperationView:
    """One root operation (`Query.job`) on its own, for the notebook's picker."""
    op = api.operation(ref)
    if op is None:
        raise KeyError(f"{ref} is not a root operation; choose one of {', '.join(o.ref for o in api.operations)}")
    return _operation_view(op, _Linker(api))


def _authentication(api: GraphQLApi, openapi: dict | None) -> str:
    cfg = api.config
    if cfg.security:
        schemes = ((openapi or {}).get("components") or {}).get("securitySchemes") or {}
        how = ", ".join(describe_scheme(schemes[n]) if isinstance(schemes.get(n), dict) else n for n in cfg.security)
        return f"Required ({how})"
    return cfg.authentication or ""


def _grouped(types: list[GqlType], link: _Linker) -> list[tuple[str, list[TypeView]]]:
    """(category, types) with the categories in alphabetical order, an unnamed one last."""
    groups: dict[str, list[TypeView]] = {}
    for t in types:
        groups.setdefault(t.category, []).append(_type_view(t, link))
    return sorted(groups.items(), key=lambda kv: (kv[0] == "" or kv[0].startswith("Not reachable"), kv[0]))


def _contents(api: GraphQLApi, kinds: list, link: _Linker) -> Markup:
    """The table of contents: root operations, then every type by kind and category, each linked."""
    lines = []
    for root, title in _ROOT_TITLES.items():
        ops = api.roots(root)
        if ops:
            links = " · ".join(f"[{_txt(op.field.name)}](#{md.anchor(op.ref)})" for op in ops)
            lines.append(f"- **{title}** ({len(ops)}): {links}")
    for title, groups in kinds:
        lines.append(f"- **[{title}](#graphql-{md.anchor(title)})** ({sum(len(views) for _, views in groups)})")
        for category, views in groups:
            names = " · ".join(link.name(v.name) for v in views)
            lines.append("  - " + (f"*{_txt(category)}:* " if category else "") + names)
    lines.append(f"- **[Deprecations](#graphql-deprecations)** ({len(api.deprecations())})")
    lines.append("- **[Errors](#graphql-errors)**")
    return Markup("\n".join(lines))


def _deprecation_table(items: list[Deprecation], link: _Linker) -> Markup | None:
    if not items:
        return None
    return _table(["Deprecated", "Kind", "In type", "Reason"],
                  [[_code(d.where), _cell(d.kind), link.name(d.type_name), _cell(d.reason)] for d in items])


def _error_table(api: GraphQLApi) -> Markup | None:
    documented = {c.code: c.description for c in api.config.error_codes}
    rows = [[md.inline_code(code), documented.get(code, "Used in an example response; not documented in graphql.error_codes")]
            for code in api.error_codes()]
    return md.table(["extensions.code", "When it happens"], rows) if rows else None


def _error_example(api: GraphQLApi) -> Markup:
    code = (api.error_codes() or ["INTERNAL_SERVER_ERROR"])[0]
    return md.code_block(to_json({"data": None, "errors": [
        {"message": "Human-readable message", "locations": [{"line": 2, "column": 3}], "path": ["fieldName"],
         "extensions": {"code": code}}]}), "json")


def _subscriptions(api: GraphQLApi) -> tuple[str | None, Markup | None]:
    if not api.roots("subscription"):
        return None, None
    sub = api.config.subscriptions
    if sub is None:
        return "transport not documented (add graphql.subscriptions to architecture.yaml)", None
    url = sub.endpoint or api.config.endpoint or "/graphql"
    text = f"{_TRANSPORTS[sub.transport]} at {url}"
    op = api.roots("subscription")[0]
    query = op.examples[0].query.strip() if op.examples else "subscription { ... }"
    variables = to_json(op.examples[0].variables or {}) if op.examples else "{}"
    lib = "graphql-sse" if sub.transport == "sse" else "graphql-ws"
    snippet = (f"import {{ createClient }} from '{lib}';\n\nconst client = createClient({{\n  url: {to_json(url)},\n"
               "  " + ("headers: { Authorization: `Bearer ${authToken}` },\n" if lib == "graphql-sse"
                       else "connectionParams: { authToken },\n") + "});\n\nconst query = `\n"
               + query.replace("`", "\\`") + "\n`;\n\n"
               f"client.subscribe({{ query, variables: {variables} }}, {{\n"
               "  next: (message) => console.log('Update:', message.data),\n"
               "  error: (error) => console.error('Subscription error:', error),\n"
               "  complete: () => console.log('Subscription finished'),\n});")
    return text, md.code_block(snippet, "javascript")


def _directives(api: GraphQLApi) -> Markup | None:
    if not api.directives:
        return None
    rows = [[md.inline_code("@" + d.name + (f"({', '.join(f'{a.name}: {a.type}' for a in d.args)})" if d.args else "")),
             ", ".join(d.locations), d.description] for d in api.directives]
    return md.table(["Directive", "On", "Description"], rows)


def graphql_view(api: GraphQLApi, openapi: dict | None = None) -> GraphQLView:
    """Everything the GraphQL part of 5.3 shows, from the normalised API (and REST's security schemes)."""
    link = _Linker(api)
    rate = api.config.rate_limit
    sub_text, snippet = _subscriptions(api)
    roots = [(root, title, [_operation_view(op, link) for op in api.roots(root)]) for root, title in _ROOT_TITLES.items()
             if api.roots(root)]
    kinds = [(KIND_TITLES[kind], _grouped(types, link)) for kind, types in api.by_kind()]
    deps = api.deprecations()
    return GraphQLView(
        endpoint=api.config.endpoint, authentication=_authentication(api, openapi),
        rate_limit=rate.describe() if rate else None, subscriptions=sub_text, files=list(api.files),
        description=api.description, roots=roots, contents=_contents(api, kinds, link), kinds=kinds,
        deprecations=_deprecation_table(deps, link), deprecation_count=len(deps), error_table=_error_table(api),
        error_example=_error_example(api), subscription_snippet=snippet, directives=_directives(api),
        counts={"operations": len(api.operations), "types": len(api.types)})
