"""The normalised event-API model: one shape for AsyncAPI 2.0-2.6 and 3.0-3.1 documents.

`archbook.apis.asyncapi` builds it; render, the checklist and the diff read it and never the raw
document, so the two major versions (whose layouts differ a lot) are handled in one place.
Frozen dataclasses, no I/O. JSON Schemas (payloads, headers, bindings) stay plain dicts.

Direction is always stated from the documented application's side (the 3.x convention):
`send` = the application publishes the message, `receive` = it consumes it. AsyncAPI 2.x
words it from the client's side (`publish` = clients publish, so the application receives);
the builder inverts it and keeps the 2.x keyword in `Operation.keyword`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["OAuthFlow", "SecurityScheme", "ServerVariable", "Server", "Parameter", "Header", "CorrelationId",
           "Message", "Operation", "Channel", "EventApi", "SECURITY_TYPES", "WEBSOCKET_PROTOCOLS"]

# Every scheme type of the AsyncAPI 2.x/3.x Security Scheme Object.
SECURITY_TYPES = ("userPassword", "apiKey", "X509", "symmetricEncryption", "asymmetricEncryption", "httpApiKey",
                  "http", "oauth2", "openIdConnect", "plain", "scramSha256", "scramSha512", "gssapi")
WEBSOCKET_PROTOCOLS = ("ws", "wss")


@dataclass(frozen=True)
class OAuthFlow:
    kind: str  # implicit | password | clientCredentials | authorizationCode
    authorization_url: str | None = None
    token_url: str | None = None
    refresh_url: str | None = None
    scopes: tuple[tuple[str, str], ...] = ()  # (scope, what it allows)


@dataclass(frozen=True)
class SecurityScheme:
    """One security scheme; `scopes` are the ones this use of it requires (2.x requirement or 3.x `scopes`)."""

    name: str
    type: str
    description: str = ""
    location: str | None = None  # apiKey: user | password; httpApiKey: query | header | cookie
    param_name: str | None = None  # httpApiKey: the parameter's name
    scheme: str | None = None  # http: basic | bearer | ...
    bearer_format: str | None = None
    flows: tuple[OAuthFlow, ...] = ()
    open_id_connect_url: str | None = None
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServerVariable:
    name: str
    default: str | None = None
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Server:
    name: str
    host: str  # 3.x `host`; for 2.x the `url` without its scheme and path
    protocol: str
    pathname: str = ""
    protocol_version: str | None = None
    title: str = ""
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()
    bindings: dict[str, Any] = field(default_factory=dict)
    security: tuple[tuple[SecurityScheme, ...], ...] = ()  # alternatives; each lists the schemes used together

    @property
    def resolved_host(self) -> str:
        """The host with each `{variable}` replaced by its default (or its first enum value)."""
        out = self.host
        for var in self.variables:
            value = var.default if var.default is not None else (var.enum[0] if var.enum else None)
            if value is not None:
                out = out.replace("{" + var.name + "}", str(value))
        return out

    @property
    def url(self) -> str:
        return f"{self.protocol}://{self.resolved_host}{self.pathname.rstrip('/')}"


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str = ""
    enum: tuple[Any, ...] = ()
    default: Any = None
    examples: tuple[Any, ...] = ()
    location: str | None = None
    schema: dict[str, Any] | None = None  # 2.x parameters carry a JSON Schema


@dataclass(frozen=True)
class Header:
    name: str
    schema: dict[str, Any]
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class CorrelationId:
    location: str
    description: str = ""


@dataclass(frozen=True)
class Message:
    key: str  # the name the document gives it (component or channel key, else `name`/`messageId`)
    name: str
    title: str = ""
    summary: str = ""
    description: str = ""
    content_type: str | None = None
    payload: Any = None  # JSON Schema (or the schema of another `schemaFormat`)
    schema_format: str | None = None
    headers_schema: dict[str, Any] | None = None  # own headers merged with every trait's
    headers: tuple[Header, ...] = ()
    correlation_id: CorrelationId | None = None
    examples: tuple[dict[str, Any], ...] = ()
    bindings: dict[str, Any] = field(default_factory=dict)
    traits: tuple[str, ...] = ()  # names of the traits applied
    deprecated: bool = False


@dataclass(frozen=True)
class Operation:
    id: str
    action: Literal["send", "receive"]
    channel: str  # the channel's key
    keyword: str | None = None  # 2.x: `publish` or `subscribe`, as written
    title: str = ""
    summary: str = ""
    description: str = ""
    messages: tuple[str, ...] = ()  # message keys
    security: tuple[tuple[SecurityScheme, ...], ...] = ()
    bindings: dict[str, Any] = field(default_factory=dict)
    traits: tuple[str, ...] = ()
    reply_channel: str | None = None  # 3.x request/reply: the reply channel's address (or key)
    reply_messages: tuple[str, ...] = ()
    deprecated: bool = False


@dataclass(frozen=True)
class Channel:
    key: str
    address: str | None  # None: the address is dynamic or unknown (3.x `address: null`)
    title: str = ""
    summary: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    bindings: dict[str, Any] = field(default_factory=dict)
    servers: tuple[Server, ...] = ()
    messages: tuple[Message, ...] = ()
    operations: tuple[Operation, ...] = ()

    @property
    def name(self) -> str:
        return self.key

    @property
    def server(self) -> Server | None:
        return self.servers[0] if self.servers else None


@dataclass(frozen=True)
class EventApi:
    version: str  # the AsyncAPI version the document declares
    title: str
    api_version: str = ""
    description: str = ""
    default_content_type: str | None = None
    servers: tuple[Server, ...] = ()
    channels: tuple[Channel, ...] = ()
    operations: tuple[Operation, ...] = ()
    security_schemes: tuple[SecurityScheme, ...] = ()

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0]) if self.version[:1].isdigit() else 0

    @property
    def protocols(self) -> list[str]:
        return list(dict.fromkeys(s.protocol for s in self.servers))

    def channel(self, key: str) -> Channel | None:
        return next((c for c in self.channels if c.key == key), None)
