"""A generated example for a root field that has none: operation, variables and a response.

The operation passes the field's required arguments as variables and selects a small tree (up to
six leaf fields per object, two levels of objects, nothing deprecated, no field that needs
arguments); the response fills that same tree with sample values, so it has the right shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType,
                     GraphQLSchema, GraphQLUnionType, get_named_type, is_leaf_type)

from archbook.model.graphql import GqlExample

__all__ = ["generate_example", "sample_input"]

_LEAVES, _OBJECTS, _DEPTH = 6, 2, 2
_SAMPLES = {"ID": "abc123", "String": "example", "Int": 1, "Float": 1.5, "Boolean": True}


@dataclass
class _Node:
    key: str
    type: Any
    children: list["_Node"] = field(default_factory=list)
    on: str | None = None  # `... on Type` fragment holding the children


def _scalar(t: GraphQLScalarType) -> Any:
    name = t.name.lower()
    if t.name in _SAMPLES:
        return _SAMPLES[t.name]
    if "date" in name or "time" in name:
        return "2025-11-09T12:00:00Z"
    if "url" in name or "uri" in name:
        return "https://example.com/"
    return "example"


def _enum_value(t: GraphQLEnumType) -> str:
    live = [n for n, v in t.values.items() if v.deprecation_reason is None]
    return (live or list(t.values))[0]


def sample_input(t, depth: int = 0) -> Any:
    """A value of input type `t`: required input fields only, one list item."""
    if isinstance(t, GraphQLNonNull):
        return sample_input(t.of_type, depth)
    if isinstance(t, GraphQLList):
        return [sample_input(t.of_type, depth)]
    if isinstance(t, GraphQLEnumType):
        return _enum_value(t)
    if isinstance(t, GraphQLInputObjectType):
        return {n: sample_input(f.type, depth + 1) for n, f in t.fields.items()
                if isinstance(f.type, GraphQLNonNull) and f.default_value is _undefined() and depth < 4}
    return _scalar(t)


def _undefined():
    from graphql.pyutils import Undefined

    return Undefined


def _selectable(f) -> bool:
    required = any(isinstance(a.type, GraphQLNonNull) and a.default_value is _undefined() for a in f.args.values())
    return not required and f.deprecation_reason is None


def _tree(t, depth: int) -> list[_Node]:
    named = get_named_type(t)
    if isinstance(named, GraphQLUnionType):
        first = named.types[0] if named.types else None
        return [_Node("__typename", None)] + ([_Node("", first, _tree(first, depth), first.name)] if first else [])
    fields = [(n, f) for n, f in named.fields.items() if _selectable(f)]
    leaves = [_Node(n, f.type) for n, f in fields if is_leaf_type(get_named_type(f.type))][:_LEAVES]
    nested = [] if depth >= _DEPTH else \
        [_Node(n, f.type, _tree(f.type, depth + 1)) for n, f in fields if not is_leaf_type(get_named_type(f.type))][:_OBJECTS]
    return leaves + [n for n in nested if n.children] or [_Node("__typename", None)]


def _text(nodes: list[_Node], indent: str) -> list[str]:
    out = []
    for n in nodes:
        if n.on:
            out += [f"{indent}... on {n.on} {{", *_text(n.children, indent + "  "), f"{indent}}}"]
        elif n.children:
            out += [f"{indent}{n.key} {{", *_text(n.children, indent + "  "), f"{indent}}}"]
        else:
            out.append(f"{indent}{n.key}")
    return out


def _value(t, children: list[_Node], owner: str) -> Any:
    if isinstance(t, GraphQLNonNull):
        return _value(t.of_type, children, owner)
    if isinstance(t, GraphQLList):
        return [_value(t.of_type, children, owner)]
    if isinstance(t, GraphQLEnumType):
        return _enum_value(t)
    if isinstance(t, GraphQLScalarType):
        return _scalar(t)
    return _data(children, get_named_type(t).name)


def _data(nodes: list[_Node], owner: str) -> dict:
    out: dict = {}
    for n in nodes:
        if n.on:
            out["__typename"] = n.on
            out.update(_data(n.children, n.on))
        elif n.key == "__typename":
            out.setdefault("__typename", owner)
        else:
            out[n.key] = _value(n.type, n.children, owner)
    return out


def generate_example(schema: GraphQLSchema, root: str, name: str, op_name: str | None = None) -> GqlExample:
    """An operation calling `root`'s field `name`, its variables, and a response of its shape."""
    root_type = schema.get_root_type(_op(root))
    f = root_type.fields[name]
    args = [(a, arg) for a, arg in f.args.items() if isinstance(arg.type, GraphQLNonNull) and arg.default_value is _undefined()]
    variables = {a: sample_input(arg.type) for a, arg in args}
    decl = f"({', '.join(f'${a}: {arg.type}' for a, arg in args)})" if args else ""
    call = f"({', '.join(f'{a}: ${a}' for a, _ in args)})" if args else ""
    leaf = is_leaf_type(get_named_type(f.type))
    tree = [] if leaf else _tree(f.type, 1)
    body = [f"  {name}{call}"] if leaf else [f"  {name}{call} {{", *_text(tree, "    "), "  }"]
    op_name = op_name or name[:1].upper() + name[1:]
    query = "\n".join([f"{root} {op_name}{decl} {{", *body, "}"]) + "\n"
    response = {"data": {name: _value(f.type, tree, root_type.name)}}
    return GqlExample(f"{root_type.name}.{name}", query, variables or None, response, "generated")


def _op(root: str):
    from graphql.language import OperationType

    return OperationType(root)
