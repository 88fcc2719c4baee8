"""API models: the normalised HTTP API model (`HttpApi`, from OpenAPI 3.0/3.1) and older
read-only views over the raw documents (`Operation`, `WsChannel`).

`HttpApi` is what render, the checklist and the API diff should read: every operation,
parameter, body, response, header, link, security scheme and named schema of the source, in
the source's order, with `$ref`s to component schemas kept as names. See the section comment
above `Schema` for the conventions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import Field

from archbook.model.base import Strict

__all__ = ["UNSET", "Property", "Schema", "Example", "Encoding", "MediaType", "Parameter", "Header", "Link",
           "RequestBody", "Response", "OAuthFlow", "SecurityScheme", "SchemeUse", "SecurityRequirement", "Server",
           "Callback", "HttpOperation", "Tag", "HttpApi", "PARAMETER_LOCATIONS", "FORM_MEDIA_TYPES",
           "RateLimit", "ErrorCode", "Operation", "WsMessage", "WsChannel", "operations", "ws_channels", "resolve_ref", "HTTP_METHODS"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class RateLimit(Strict):
    """The `x-rate-limit` extension on an OpenAPI operation: `requests` per `window_s` per `scope`."""

    requests: int = Field(gt=0)
    window_s: int = Field(gt=0)
    scope: str = "user"

    def describe(self) -> str:
        unit = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}.get(self.window_s)
        per = f"per {unit}" if unit else f"per {self.window_s} s"
        return f"{self.requests} requests {per} per {self.scope}"


@dataclass(frozen=True)
class ErrorCode:
    """One row of the seed's "Code | Message | Description" table."""

    code: str
    message: str
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str | None
    spec: dict[str, Any]
    path_item: dict[str, Any]
    json_path: tuple = field(default=())

    @property
    def title(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def rate_limit(self) -> RateLimit | None:
        raw = self.spec.get("x-rate-limit")
        return RateLimit.model_validate(raw) if isinstance(raw, dict) else None

    def parameters(self, root: dict) -> list[dict]:
        params = list(self.path_item.get("parameters", [])) + list(self.spec.get("parameters", []))
        return [resolve_ref(root, p) for p in params]

    def security(self, root: dict) -> list[dict]:
        """Effective security requirements: the operation's own, else the document's."""
        if "security" in self.spec:
            return list(self.spec["security"])
        return list(root.get("security", []))

    def status_codes(self) -> list[str]:
        return [str(code) for code in self.spec.get("responses", {})]

    def error_codes(self, root: dict) -> list[ErrorCode]:
        """Rows of the error table, from each 4xx/5xx response (in document order).

        Convention: each JSON example of an error response is one message -- its `summary` is the
        Message, its `description` says when it happens. A response without examples gives one row
        from its own `description`.
        """
        rows = []
        for code, response in (self.spec.get("responses") or {}).items():
            if str(code)[:1] not in ("4", "5"):
                continue
            response = resolve_ref(root, response)
            examples = []
            for media in (response.get("content") or {}).values():
                examples = [resolve_ref(root, ex) for ex in (media.get("examples") or {}).values()]
                if examples:
                    break
            if not examples:
                rows.append(ErrorCode(str(code), str(response.get("description", "")), ""))
            for ex in examples:
                rows.append(ErrorCode(str(code), str(ex.get("summary", "")), str(ex.get("description", ""))))
        return rows


@dataclass(frozen=True)
class WsMessage:
    name: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class WsChannel:
    name: str
    address: str
    spec: dict[str, Any]
    messages: list[WsMessage]
    server: dict[str, Any] | None


def resolve_ref(root: dict, node: Any, _depth: int = 0) -> Any:
    """Follow a local `$ref` (`#/a/b`) once or repeatedly; other nodes pass through."""
    while isinstance(node, dict) and "$ref" in node and _depth < 32:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: Any = root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                return node
            target = target[part]
        node, _depth = target, _depth + 1
    return node


def operations(openapi: dict | None) -> list[Operation]:
    if not openapi:
        return []
    out = []
    for path, item in (openapi.get("paths") or {}).items():
        item = resolve_ref(openapi, item)
        for method in HTTP_METHODS:
            if isinstance(item, dict) and method in item:
                spec = item[method]
                out.append(Operation(method, path, spec.get("operationId"), spec, item, ("paths", path, method)))
    return out


def ws_channels(asyncapi: dict | None) -> list[WsChannel]:
    if not asyncapi:
        return []
    servers = asyncapi.get("servers") or {}
    out = []
    for name, channel in (asyncapi.get("channels") or {}).items():
        channel = resolve_ref(asyncapi, channel)
        msgs = [WsMessage(k, resolve_ref(asyncapi, v)) for k, v in (channel.get("messages") or {}).items()]
        server = None
        for ref in channel.get("servers", []) or []:
            server = resolve_ref(asyncapi, ref)
            break
        if server is None and len(servers) == 1:
            server = resolve_ref(asyncapi, next(iter(servers.values())))
        out.append(WsChannel(name, channel.get("address") or name, channel, msgs, server))
    return out


# =============================================================================================
# The normalised HTTP API model (OpenAPI 3.0 / 3.1). Built by `archbook.apis.openapi`; read by
# render, the checklist and the API diff. Plain frozen dataclasses (slots: a 16,000-operation
# API builds ~500k of them), no I/O, no raw dicts of the source document.
#
# Conventions shared by every type below:
# - Absent values are `None` (or an empty tuple/dict); a value the source may set to `null`
#   (`default`, `const`, `example`) uses the `UNSET` sentinel for "not given".
# - A reference to a named component schema is `Schema(ref="Pet")`; the definition lives once in
#   `HttpApi.schemas["Pet"]`. References are never unrolled, so recursive schemas cost nothing.
# - Order is the document's order throughout (tuples), so output and diffs are stable.
# - `extensions` holds the object's `x-*` keys verbatim (values are JSON data).
# =============================================================================================

class _Unset:
    """'Not given' for fields whose given value may itself be None (JSON null)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self):
        return (_Unset, ())


UNSET: Any = _Unset()

PARAMETER_LOCATIONS = ("path", "query", "header", "cookie")
FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_slots = {"frozen": True, "slots": True}


@dataclass(**_slots)
class Property:
    """One property of an object schema."""

    name: str
    schema: "Schema"
    required: bool = False


@dataclass(**_slots)
class Schema:
    """A JSON Schema (OpenAPI 3.0 schema object or 3.1 JSON Schema 2020-12), normalised.

    `type` is a tuple (3.1 allows several; 3.0's `nullable: true` adds "null"). `limits` holds the
    numeric/length/count constraints under their JSON Schema names (minimum, exclusiveMaximum,
    minLength, maxItems, multipleOf, ... ; 3.0's boolean exclusiveMinimum is turned into the 3.1
    number form). `additional` is a Schema, False (closed) or None (not stated).
    """

    ref: str | None = None
    type: tuple[str, ...] = ()
    format: str | None = None
    title: str | None = None
    description: str | None = None
    enum: tuple | None = None
    const: Any = UNSET
    default: Any = UNSET
    example: Any = UNSET  # the first of `examples` (3.1) or `example` (3.0)
    pattern: str | None = None
    limits: dict[str, Any] = field(default_factory=dict)
    properties: tuple[Property, ...] = ()
    additional: "Schema | bool | None" = None
    items: "Schema | None" = None
    prefix_items: tuple["Schema", ...] = ()
    all_of: tuple["Schema", ...] = ()
    one_of: tuple["Schema", ...] = ()
    any_of: tuple["Schema", ...] = ()
    not_: "Schema | None" = None
    discriminator: str | None = None  # the property name
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    extensions: dict[str, Any] = field(default_factory=dict)

    @property
    def is_ref(self) -> bool:
        return self.ref is not None


@dataclass(**_slots)
class Example:
    """A named example (`examples: {name: {summary, description, value}}`) or the single `example` (name "")."""

    name: str
    value: Any = UNSET
    summary: str | None = None
    description: str | None = None
    external_value: str | None = None


@dataclass(**_slots)
class Encoding:
    """How one property of a form body is encoded (`encoding` of a media type)."""

    property: str
    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None
    headers: tuple["Header", ...] = ()


@dataclass(**_slots)
class MediaType:
    """One entry of a `content` map: media type, schema, its own examples."""

    media_type: str
    schema: Schema | None = None
    examples: tuple[Example, ...] = ()
    encoding: tuple[Encoding, ...] = ()

    @property
    def is_form(self) -> bool:
        return self.media_type.split(";")[0].strip().lower() in FORM_MEDIA_TYPES


@dataclass(**_slots)
class Parameter:
    """A parameter of any location (path, query, header, cookie); path-item ones are merged in."""

    name: str
    location: str
    description: str | None = None
    required: bool = False
    deprecated: bool = False
    schema: Schema | None = None
    content: tuple[MediaType, ...] = ()  # the rare `content` form instead of `schema`
    style: str | None = None
    explode: bool | None = None
    allow_empty_value: bool = False
    allow_reserved: bool = False
    examples: tuple[Example, ...] = ()
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass(**_slots)
class Header:
    """A response (or encoding) header."""

    name: str
    description: str | None = None
    required: bool = False
    deprecated: bool = False
    schema: Schema | None = None
    examples: tuple[Example, ...] = ()


@dataclass(**_slots)
class Link:
    """A design-time link from a response to another operation."""

    name: str
    operation_id: str | None = None
    operation_ref: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    request_body: Any = UNSET
    description: str | None = None
    server: str | None = None


@dataclass(**_slots)
class RequestBody:
    description: str | None = None
    required: bool = False
    content: tuple[MediaType, ...] = ()


@dataclass(**_slots)
class Response:
    """One response; `status` is "200", a range such as "4XX", or "default"."""

    status: str
    description: str = ""
    headers: tuple[Header, ...] = ()
    content: tuple[MediaType, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def is_default(self) -> bool:
        return self.status.lower() == "default"

    @property
    def is_range(self) -> bool:
        return self.status.upper().endswith("XX")

    @property
    def is_error(self) -> bool:
        """4xx/5xx codes and ranges, and `default` (by convention the error fallback)."""
        return self.is_default or self.status[:1] in ("4", "5")


@dataclass(**_slots)
class OAuthFlow:
    """One OAuth 2.0 flow: `kind` is implicit, password, clientCredentials or authorizationCode."""

    kind: str
    authorization_url: str | None = None
    token_url: str | None = None
    refresh_url: str | None = None
    scopes: dict[str, str] = field(default_factory=dict)


@dataclass(**_slots)
class SecurityScheme:
    """A `components.securitySchemes` entry of any type: apiKey, http, mutualTLS, oauth2, openIdConnect."""

    name: str
    type: str
    description: str | None = None
    scheme: str | None = None  # http: bearer, basic, digest, ...
    bearer_format: str | None = None
    location: str | None = None  # apiKey: query, header, cookie
    parameter_name: str | None = None  # apiKey: the header/query/cookie name
    flows: tuple[OAuthFlow, ...] = ()
    open_id_connect_url: str | None = None


@dataclass(**_slots)
class SchemeUse:
    """One scheme of a requirement, with the scopes (or roles) it must grant."""

    scheme: str
    scopes: tuple[str, ...] = ()


@dataclass(**_slots)
class SecurityRequirement:
    """All of these schemes together (AND). An empty one means anonymous access is allowed."""

    schemes: tuple[SchemeUse, ...] = ()


@dataclass(**_slots)
class Server:
    url: str
    description: str | None = None
    variables: dict[str, dict] = field(default_factory=dict)  # name -> {default, enum, description}


@dataclass(**_slots)
class Callback:
    """A 3.0/3.1 callback of an operation: the runtime URL expression and the operations sent to it."""

    name: str
    expression: str
    operations: tuple["HttpOperation", ...] = ()


@dataclass(**_slots)
class HttpOperation:
    """One operation. For webhooks `path` is the webhook's name; for callbacks, the URL expression.

    `security` is the effective requirement list (the operation's own, else the document's):
    alternatives (OR) of `SecurityRequirement`s (AND). `security_stated` says whether the source
    stated it at all (at operation or document level).
    """

    method: str
    path: str
    operation_id: str | None = None
    summary: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    parameters: tuple[Parameter, ...] = ()
    request_body: RequestBody | None = None
    responses: tuple[Response, ...] = ()
    security: tuple[SecurityRequirement, ...] = ()
    security_stated: bool = False
    callbacks: tuple[Callback, ...] = ()
    servers: tuple[Server, ...] = ()
    external_docs: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def rate_limit(self) -> RateLimit | None:
        raw = self.extensions.get("x-rate-limit")
        try:
            return RateLimit.model_validate(raw) if isinstance(raw, dict) else None
        except ValueError:
            return None

    def params_in(self, location: str) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)


@dataclass(**_slots)
class Tag:
    name: str
    description: str | None = None


@dataclass(**_slots)
class HttpApi:
    """One OpenAPI document, normalised. `version` is the document's `openapi` field ("3.0.3")."""

    version: str
    title: str
    api_version: str
    file: str = ""
    description: str | None = None
    summary: str | None = None
    servers: tuple[Server, ...] = ()
    tags: tuple[Tag, ...] = ()
    operations: tuple[HttpOperation, ...] = ()
    webhooks: tuple[HttpOperation, ...] = ()
    schemas: dict[str, Schema] = field(default_factory=dict)
    security_schemes: dict[str, SecurityScheme] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)

    def operation(self, operation_id: str) -> HttpOperation | None:
        return next((op for op in self.operations if op.operation_id == operation_id), None)

    @property
    def operation_ids(self) -> set[str]:
        return {op.operation_id for op in self.operations if op.operation_id}
