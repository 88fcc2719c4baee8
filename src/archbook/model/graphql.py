"""The normalised GraphQL API model: root operations, types by kind, directives, examples.

`archbook.apis.graphql` builds it from SDL or an introspection result; render, checklist and
diff read only this. Plain frozen dataclasses (a 1,600-type schema builds in milliseconds), plus
the small pydantic `GraphQLConfig` that `architecture.yaml` carries under `graphql:`. No I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from archbook.model.api import RateLimit
from archbook.model.base import Strict, Text

__all__ = ["KINDS", "ROOTS", "GraphQLConfig", "GqlErrorCode", "GqlSubscriptions", "GqlArg", "GqlField",
           "GqlEnumValue", "GqlType", "GqlDirective", "GqlExample", "GqlOperation", "Deprecation", "GraphQLApi", "response_error_codes"]

# Kinds in the order the document lists them; root operation types in the spec's order.
KINDS = ("object", "interface", "union", "enum", "input", "scalar")
ROOTS = ("query", "mutation", "subscription")


# --------------------------------------------------------------------------- architecture.yaml
class GqlErrorCode(Strict):
    """One `errors[].extensions.code` the API returns, and when."""

    code: Text
    description: Text


class GqlSubscriptions(Strict):
    """How subscriptions reach the client."""

    transport: Literal["graphql-ws", "graphql-transport-ws", "sse"] = "graphql-ws"
    endpoint: str | None = Field(default=None, description="e.g. wss://api.example.com/graphql")


class GraphQLConfig(Strict):
    """`graphql:` in architecture.yaml: where the schema is and what the endpoint's contract is."""

    schema_files: list[Text] = Field(default_factory=list, alias="schema",
                                     description="SDL or introspection-JSON files, relative to the system folder. "
                                                 "Default: schema.graphql, *.graphql, *.graphqls in the folder.")
    endpoint: str | None = Field(default=None, description="e.g. https://api.example.com/graphql")
    security: list[Text] = Field(default_factory=list,
                                 description="Names of security schemes (openapi.yaml components.securitySchemes).")
    authentication: str | None = Field(default=None, description="Free-text authentication, if no scheme applies.")
    rate_limit: RateLimit | None = None
    error_codes: list[GqlErrorCode] = Field(default_factory=list)
    subscriptions: GqlSubscriptions | None = None
    examples: str = Field(default="examples", description="Folder of example operations, relative to the system.")


# --------------------------------------------------------------------------- the schema
@dataclass(frozen=True)
class GqlArg:
    name: str
    type: str  # SDL notation, e.g. `[JobInput!]!`
    description: str = ""
    default: str | None = None  # SDL literal, e.g. `10` or `"draft"`
    deprecation: str | None = None  # the reason; None when not deprecated


@dataclass(frozen=True)
class GqlField:
    name: str
    type: str
    description: str = ""
    args: tuple[GqlArg, ...] = ()
    deprecation: str | None = None
    line: int | None = None

    @property
    def named_type(self) -> str:
        return self.type.strip("[]!")


@dataclass(frozen=True)
class GqlEnumValue:
    name: str
    description: str = ""
    deprecation: str | None = None


@dataclass(frozen=True)
class GqlType:
    name: str
    kind: str  # one of KINDS
    description: str = ""
    fields: tuple[GqlField, ...] = ()  # object, interface and input fields (input: default in args-free form)
    interfaces: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # union members, or the implementations of an interface
    values: tuple[GqlEnumValue, ...] = ()
    category: str = ""  # @doc(category:) or the root field that reaches it first
    file: str = ""
    line: int | None = None
    specified_by: str | None = None


@dataclass(frozen=True)
class GqlDirective:
    name: str
    locations: tuple[str, ...]
    args: tuple[GqlArg, ...] = ()
    description: str = ""
    repeatable: bool = False


@dataclass(frozen=True)
class GqlExample:
    """An example operation with its variables and response; `origin` is "user" or "generated"."""

    name: str
    query: str
    variables: dict[str, Any] | None = None
    response: Any = None
    origin: str = "user"
    file: str = ""


@dataclass(frozen=True)
class GqlOperation:
    """A root field: `Query.job`, `Mutation.createJob`, `Subscription.jobStatus`."""

    root: str  # query | mutation | subscription
    type_name: str  # the root type's name, usually Query / Mutation / Subscription
    field: GqlField
    examples: tuple[GqlExample, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.type_name}.{self.field.name}"


@dataclass(frozen=True)
class Deprecation:
    where: str  # `Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `Input.field`
    kind: str  # field | argument | enum value | input field
    reason: str
    type_name: str


@dataclass(frozen=True)
class GraphQLApi:
    files: tuple[str, ...]
    operations: tuple[GqlOperation, ...]
    types: tuple[GqlType, ...]  # named, non-root, non-introspection types, sorted by name
    directives: tuple[GqlDirective, ...]  # custom directives only
    config: GraphQLConfig = field(default_factory=GraphQLConfig)
    description: str = ""

    def type(self, name: str) -> GqlType | None:
        return next((t for t in self.types if t.name == name), None)

    @property
    def type_names(self) -> frozenset[str]:
        return frozenset(t.name for t in self.types)

    def by_kind(self) -> list[tuple[str, list[GqlType]]]:
        """(kind, types) in KINDS order, empty kinds left out."""
        groups = {k: [t for t in self.types if t.kind == k] for k in KINDS}
        return [(k, v) for k, v in groups.items() if v]

    def roots(self, root: str) -> list[GqlOperation]:
        return [op for op in self.operations if op.root == root]

    def operation(self, ref: str) -> GqlOperation | None:
        return next((op for op in self.operations if op.ref == ref), None)

    def deprecations(self) -> list[Deprecation]:
        """Every deprecated field, argument, enum value and input field, in document order."""
        out = [d for op in self.operations for d in _field_deprecations(op.type_name, op.field)]
        for t in self.types:
            kind = "input field" if t.kind == "input" else "field"
            for f in t.fields:
                out += _field_deprecations(t.name, f, kind)
            out += [Deprecation(f"{t.name}.{v.name}", "enum value", v.deprecation, t.name)
                    for v in t.values if v.deprecation is not None]
        return out

    def error_codes(self) -> list[str]:
        """Codes documented in `graphql.error_codes`, then any others the example responses use."""
        codes = [c.code for c in self.config.error_codes]
        for op in self.operations:
            for ex in op.examples:
                codes += response_error_codes(ex.response)
        return list(dict.fromkeys(codes))


def _field_deprecations(owner: str, f: GqlField, kind: str = "field") -> list[Deprecation]:
    out = [Deprecation(f"{owner}.{f.name}", kind, f.deprecation, owner)] if f.deprecation is not None else []
    return out + [Deprecation(f"{owner}.{f.name}({a.name}:)", "argument", a.deprecation, owner)
                  for a in f.args if a.deprecation is not None]


def response_error_codes(response: Any) -> list[str]:
    """`errors[].extensions.code` values of one GraphQL response."""
    errors = response.get("errors") if isinstance(response, dict) else None
    return [str(e["extensions"]["code"]) for e in errors or []
            if isinstance(e, dict) and isinstance(e.get("extensions"), dict) and "code" in e["extensions"]]
