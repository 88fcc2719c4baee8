"""Does an example response have the shape its operation asks for?

Walks the operation's selection set alongside `data`: every selected key (alias or name) must be
there with a value of the field's type (non-null, lists, scalars, enum values, objects), and no
unselected key may appear. On an abstract type the response's `__typename` picks the fragments
that apply; without it, fields selected only in fragments are optional.
"""
from __future__ import annotations

from typing import Any

from graphql import (FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLEnumType, GraphQLList,
                     GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, InlineFragmentNode,
                     OperationDefinitionNode, is_abstract_type)

__all__ = ["response_problems"]

_SCALARS = {"Int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "Float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "String": lambda v: isinstance(v, str), "Boolean": lambda v: isinstance(v, bool),
            "ID": lambda v: isinstance(v, (str, int)) and not isinstance(v, bool)}


class _Walk:
    def __init__(self, schema: GraphQLSchema, fragments: dict):
        self.schema, self.fragments, self.out = schema, fragments, []

    def applies(self, cond, runtime) -> bool | None:
        """Does a fragment on `cond` apply to an object of `runtime` type? None when unknown."""
        if cond is None:
            return True
        target = self.schema.get_type(cond.name.value)
        if runtime is None:
            return None
        return target is runtime or (is_abstract_type(target) and self.schema.is_sub_type(target, runtime))

    def collect(self, selection_set, runtime, optional=False, acc=None) -> dict:
        """response key -> (field node, optional?) for one object."""
        acc = {} if acc is None else acc
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                key = (sel.alias or sel.name).value
                acc[key] = (sel, optional and acc.get(key, (None, True))[1])
                continue
            frag = self.fragments.get(sel.name.value) if isinstance(sel, FragmentSpreadNode) else sel
            if frag is None:
                continue
            ok = self.applies(frag.type_condition, runtime)
            if ok is not False:
                self.collect(frag.selection_set, runtime, optional or ok is None, acc)
        return acc

    def obj(self, parent, selection_set, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            self.out.append(f"{path} should be an object ({parent.name}), got {type(value).__name__}")
            return
        runtime = parent if isinstance(parent, GraphQLObjectType) else None
        if runtime is None and isinstance(value.get("__typename"), str):
            runtime = self.schema.get_type(value["__typename"])
            if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(parent, runtime):
                self.out.append(f"{path}.__typename {value['__typename']!r} is not a possible type of {parent.name}")
                return
        selected = self.collect(selection_set, runtime)
        for key, (node, optional) in selected.items():
            if key not in value:
                if not optional:
                    self.out.append(f"{path}.{key} is selected but missing")
                continue
            name = node.name.value
            if name == "__typename":
                if not isinstance(value[key], str):
                    self.out.append(f"{path}.{key} should be a type name")
                continue
            owner = runtime or parent
            fdef = owner.fields.get(name) if hasattr(owner, "fields") else None
            if fdef is not None:
                self.value(fdef.type, node.selection_set, value[key], f"{path}.{key}")
        self.out += [f"{path}.{k} is not selected by the operation" for k in value if k not in selected]

    def value(self, t, selection_set, v: Any, path: str) -> None:
        if isinstance(t, GraphQLNonNull):
            if v is None:
                self.out.append(f"{path} is null, but its type {t} is non-null")
                return
            t = t.of_type
        if v is None:
            return
        if isinstance(t, GraphQLList):
            if not isinstance(v, list):
                self.out.append(f"{path} should be a list ({t}), got {type(v).__name__}")
                return
            for i, item in enumerate(v):
                self.value(t.of_type, selection_set, item, f"{path}[{i}]")
        elif isinstance(t, GraphQLEnumType):
            if v not in t.values:
                self.out.append(f"{path} {v!r} is not a value of enum {t.name}")
        elif isinstance(t, GraphQLScalarType):
            check = _SCALARS.get(t.name)
            if check is not None and not check(v):
                self.out.append(f"{path} should be {t.name}, got {type(v).__name__} {v!r}")
        elif selection_set is not None:
            self.obj(t, selection_set, v, path)


def response_problems(schema: GraphQLSchema, doc, response: Any) -> list[str]:
    """Every way `response` differs from the shape of the document's single operation."""
    if not isinstance(response, dict) or not ({"data", "errors"} & set(response)):
        return ["the response must be a JSON object with `data` and/or `errors`"]
    out = [f"unknown top-level key `{k}`" for k in response if k not in ("data", "errors", "extensions")]
    errors = response.get("errors")
    if errors is not None and not (isinstance(errors, list) and all(isinstance(e, dict) and isinstance(e.get("message"), str)
                                                                    for e in errors)):
        out.append("`errors` must be a list of objects, each with a `message` string")
    op = next((d for d in doc.definitions if isinstance(d, OperationDefinitionNode)), None)
    data = response.get("data")
    if op is None or data is None:
        return out
    walk = _Walk(schema, {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)})
    walk.obj(schema.get_root_type(op.operation), op.selection_set, data, "data")
    return out + walk.out
