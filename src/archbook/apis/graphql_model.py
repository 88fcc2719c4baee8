"""graphql-core `GraphQLSchema` -> the normalised `GraphQLApi` (archbook.model.graphql).

Everything the document, the checklist and the diff need is copied out once, with the line of
each definition, so that nothing downstream touches graphql-core objects. Types are grouped by a
`@doc(category: "...")` directive when the schema has one, else by the root field that reaches
them first (breadth first, in Query, Mutation, Subscription order).
"""
from __future__ import annotations

from collections import deque

from graphql import (GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema,
                     GraphQLUnionType, ast_from_value, get_named_type, print_ast)
from graphql.pyutils import Undefined
from graphql.type import is_introspection_type, is_specified_directive, is_specified_scalar_type

from archbook.apis.graphql import line_of
from archbook.model.graphql import (ROOTS, GqlArg, GqlDirective, GqlEnumValue, GqlField, GqlOperation, GqlType,
                                    GraphQLApi, GraphQLConfig)

__all__ = ["normalise", "CATEGORY_DIRECTIVE"]

CATEGORY_DIRECTIVE = "doc"


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _line(obj) -> int | None:
    node = getattr(obj, "ast_node", None)
    return line_of(node.loc) if node is not None else None


def _default(arg) -> str | None:
    node = getattr(arg, "ast_node", None)
    if node is not None and getattr(node, "default_value", None) is not None:
        return print_ast(node.default_value)
    if arg.default_value is Undefined:
        return None
    value = ast_from_value(arg.default_value, arg.type)
    return print_ast(value) if value is not None else None


def _arg(name: str, arg) -> GqlArg:
    return GqlArg(name, str(arg.type), _text(arg.description), _default(arg), arg.deprecation_reason)


def _field(name: str, f) -> GqlField:
    args = tuple(_arg(n, a) for n, a in (getattr(f, "args", None) or {}).items())
    return GqlField(name, str(f.type), _text(f.description), args, getattr(f, "deprecation_reason", None), _line(f))


def _input_field(name: str, f) -> GqlField:
    default = _default(f)
    arg = GqlArg("default", str(f.type), default=default) if default is not None else None
    return GqlField(name, str(f.type), _text(f.description), (arg,) if arg else (), f.deprecation_reason, _line(f))


def _doc_category(t) -> str:
    node = getattr(t, "ast_node", None)
    for d in (getattr(node, "directives", None) or ()):
        if d.name.value == CATEGORY_DIRECTIVE:
            for a in d.arguments:
                if a.name.value == "category" and hasattr(a.value, "value"):
                    return str(a.value.value)
    return ""


def _kind(t) -> str:
    for cls, kind in ((GraphQLObjectType, "object"), (GraphQLInterfaceType, "interface"), (GraphQLUnionType, "union"),
                      (GraphQLEnumType, "enum"), (GraphQLInputObjectType, "input")):
        if isinstance(t, cls):
            return kind
    return "scalar"


def _type(schema: GraphQLSchema, t, category: str) -> GqlType:
    kind = _kind(t)
    fields: tuple = ()
    if kind in ("object", "interface"):
        fields = tuple(_field(n, f) for n, f in t.fields.items())
    elif kind == "input":
        fields = tuple(_input_field(n, f) for n, f in t.fields.items())
    members = tuple(m.name for m in t.types) if kind == "union" else \
        tuple(m.name for m in schema.get_possible_types(t)) if kind == "interface" else ()
    values = tuple(GqlEnumValue(n, _text(v.description), v.deprecation_reason) for n, v in t.values.items()) \
        if kind == "enum" else ()
    node = getattr(t, "ast_node", None)
    return GqlType(t.name, kind, _text(t.description), fields,
                   tuple(i.name for i in getattr(t, "interfaces", ()) or ()), members, values,
                   _doc_category(t) or category, node.loc.source.name if node is not None and node.loc else "",
                   _line(t), getattr(t, "specified_by_url", None))


def _children(t) -> list:
    """Named types one step from `t`: field types and arguments, union members, implementations."""
    out = []
    for f in (getattr(t, "fields", None) or {}).values():
        out.append(get_named_type(f.type))
        out += [get_named_type(a.type) for a in (getattr(f, "args", None) or {}).values()]
    out += list(getattr(t, "types", ()) or ())
    out += list(getattr(t, "interfaces", ()) or ())
    return out


def _categories(schema: GraphQLSchema, roots: list) -> dict[str, str]:
    """type name -> `Root.field` that reaches it in the fewest steps (first root field on a tie)."""
    seen: dict[str, str] = {r.name: "" for _, r in roots}
    queue: deque = deque()
    for _, root in roots:
        for name, f in root.fields.items():
            queue.append((f"{root.name}.{name}", [get_named_type(f.type)]
                          + [get_named_type(a.type) for a in f.args.values()]))
    while queue:
        label, types = queue.popleft()
        nxt = []
        for t in types:
            if t.name not in seen:
                seen[t.name] = label
                nxt += _children(t)
                nxt += list(schema.get_possible_types(t)) if isinstance(t, GraphQLInterfaceType) else []
        if nxt:
            queue.append((label, nxt))
    return seen


def normalise(schema: GraphQLSchema, files: tuple[str, ...], config: GraphQLConfig) -> GraphQLApi:
    """The whole schema as plain data: root operations, every named type, custom directives."""
    roots = [(kind, t) for kind, t in zip(ROOTS, (schema.query_type, schema.mutation_type, schema.subscription_type))
             if t is not None]
    ops = tuple(GqlOperation(kind, t.name, _field(n, f)) for kind, t in roots for n, f in t.fields.items())
    root_names = {t.name for _, t in roots}
    cats = _categories(schema, roots)
    types = tuple(_type(schema, t, cats.get(name, "") or "Not reachable from a root operation")
                  for name, t in sorted(schema.type_map.items())
                  if name not in root_names and not is_introspection_type(t) and not is_specified_scalar_type(t))
    directives = tuple(GqlDirective(d.name, tuple(loc.name for loc in d.locations),
                                    tuple(_arg(n, a) for n, a in d.args.items()), _text(d.description), d.is_repeatable)
                       for d in schema.directives if not is_specified_directive(d))
    return GraphQLApi(files, ops, types, directives, config, _text(schema.description))
