"""Plain view objects for one AsyncAPI channel and for the API's servers and security schemes.

Templates only lay these out. What a channel's connection looks like depends on its protocol:
a browser WebSocket snippet for ws/wss, an HTTP delivery for http(s), and for brokers (MQTT,
Kafka, AMQP, NATS, ...) the protocol's own facts (broker, topic or queue, QoS, group id, the
bindings) plus a command-line snippet where a standard client exists (mosquitto, kcat,
amqp-tools, nats). Security wording follows the scheme type of the AsyncAPI spec.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from archbook.model.asyncapi import Channel, EventApi, Message, Operation, SecurityScheme, Server
from archbook.render.asyncapi_snippets import broker_snippet, webhook_snippet, ws_snippet
from archbook.render.schema_text import example_from_schema, schema_to_ts, to_json

__all__ = ["MessageView", "ChannelView", "channel_view", "describe_security", "protocol_label", "overview_view",
           "OverviewView", "kind_of"]

_PROTOCOLS = {"mqtt": "MQTT", "secure-mqtt": "MQTT", "mqtts": "MQTT", "kafka": "Kafka", "kafka-secure": "Kafka",
              "amqp": "AMQP", "amqps": "AMQP", "amqp1": "AMQP 1.0", "nats": "NATS", "jms": "JMS", "sns": "SNS",
              "sqs": "SQS", "stomp": "STOMP", "stomps": "STOMP", "redis": "Redis", "mercure": "Mercure",
              "ibmmq": "IBM MQ", "googlepubsub": "Google Pub/Sub", "pulsar": "Pulsar", "solace": "Solace",
              "anypointmq": "Anypoint MQ", "ros2": "ROS 2"}
_FLOWS = {"implicit": "implicit", "password": "password", "clientCredentials": "client credentials",
          "authorizationCode": "authorization code"}
_SASL = {"plain": "SASL/PLAIN (user name and password)", "scramSha256": "SASL/SCRAM-SHA-256 (user name and password)",
         "scramSha512": "SASL/SCRAM-SHA-512 (user name and password)", "gssapi": "SASL/GSSAPI (Kerberos)"}
_PLAIN = {"userPassword": "User name and password", "X509": "X.509 client certificate",
          "symmetricEncryption": "Symmetric encryption (shared key)",
          "asymmetricEncryption": "Asymmetric encryption (public/private key pair)"}


def protocol_label(protocol: str) -> str:
    return _PROTOCOLS.get(protocol.lower(), protocol.upper() or "Unknown protocol")


def kind_of(protocol: str) -> str:
    """The card's kind: WebSocket, Webhook (HTTP) or the broker protocol's name."""
    proto = protocol.lower()
    if proto in ("ws", "wss", ""):
        return "WebSocket"
    return "Webhook" if proto in ("http", "https") else protocol_label(proto)


def _oauth(s: SecurityScheme) -> str:
    flows = []
    for f in s.flows:
        urls = [f"{label} {url}" for label, url in (("authorization URL", f.authorization_url),
                                                   ("token URL", f.token_url), ("refresh URL", f.refresh_url)) if url]
        flows.append(f"{_FLOWS.get(f.kind, f.kind)} flow" + (f" ({', '.join(urls)})" if urls else ""))
    text = "OAuth 2.0" + (f": {'; '.join(flows)}" if flows else "")
    return text + (f"; scopes required: {', '.join(s.scopes)}" if s.scopes else "")


def describe_security(s: SecurityScheme) -> str:
    """One scheme in words, per AsyncAPI scheme type ('API key sent as the user name', 'OAuth 2.0: ...')."""
    kind = s.type
    if kind == "apiKey":
        where = {"user": "sent as the user name", "password": "sent as the password"}.get(s.location or "")
        return f"API key {where}" if where else "API key"
    if kind == "httpApiKey":
        where = {"query": "query parameter", "header": "header", "cookie": "cookie"}.get(s.location or "", s.location or "")
        return f"API key in {where} {s.param_name}".strip() if s.param_name else f"API key in {where}".strip()
    if kind == "http":
        scheme = (s.scheme or "").lower()
        if scheme == "bearer":
            return f"Bearer token ({s.bearer_format})" if s.bearer_format else "Bearer token"
        return "HTTP Basic authentication" if scheme == "basic" else f"HTTP {s.scheme or ''} authentication".replace("  ", " ")
    if kind == "oauth2":
        return _oauth(s)
    if kind == "openIdConnect":
        text = "OpenID Connect" + (f" (discovery: {s.open_id_connect_url})" if s.open_id_connect_url else "")
        return text + (f"; scopes required: {', '.join(s.scopes)}" if s.scopes else "")
    return _SASL.get(kind) or _PLAIN.get(kind) or (kind or "Unknown scheme")


def _alternatives(options: tuple[tuple[SecurityScheme, ...], ...], query_key: str | None) -> list[str]:
    out = []
    for option in options:
        parts = ["Query parameter " + f"{query_key}=[Bearer token]" if query_key and s.type == "httpApiKey"
                 and s.location == "query" and s.param_name == query_key else describe_security(s) for s in option]
        out.append(" and ".join(dict.fromkeys(parts)))
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------------- channel
@dataclass
class MessageView:
    name: str
    title: str
    direction: str
    schema: str | None
    example: str | None
    description: str = ""
    content_type: str | None = None
    headers: str | None = None  # the merged headers as a type block
    header_names: list[str] = field(default_factory=list)
    traits: list[str] = field(default_factory=list)
    correlation_id: str | None = None
    schema_format: str | None = None
    bindings: list[tuple[str, str]] = field(default_factory=list)
    examples: list[tuple[str, str]] = field(default_factory=list)  # (label, JSON) for every example
    deprecated: bool = False


@dataclass
class ChannelView:
    name: str
    title: str
    endpoint: str
    authentication: str
    purpose: str
    connection: str
    messages: list[MessageView] = field(default_factory=list)
    kind: str = "WebSocket"
    connection_language: str = "javascript"
    protocol: str = "wss"
    facts: list[tuple[str, str]] = field(default_factory=list)  # the protocol's connection facts
    parameters: list[tuple[str, str]] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)


def _compact(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)


def binding_rows(scope: str, bindings: dict[str, Any]) -> list[tuple[str, str]]:
    """Every field of every binding as a (label, value) row: nothing in a binding is dropped."""
    rows = []
    for proto, body in bindings.items():
        if not isinstance(body, dict) or not body:
            rows.append((f"{scope} binding {proto}", _compact(body) if body else "(present, no fields)"))
            continue
        rows += [(f"{scope} binding {proto}.{k}", _compact(v)) for k, v in body.items()]
    return rows


def _direction(op: Operation, kind: str) -> str:
    if kind == "Webhook":
        return "service → receiver" if op.action == "send" else "receiver → service"
    if kind == "WebSocket":
        return "server → client" if op.action == "send" else "client → server"
    return "published by the application" if op.action == "send" else "consumed by the application"


def _example_payload(m: Message, root: dict) -> Any:
    for ex in m.examples:
        if "payload" in ex:
            return ex["payload"]
    if isinstance(m.payload, dict) and (m.schema_format is None or "json" in m.schema_format or "asyncapi" in m.schema_format):
        return example_from_schema(m.payload, root)
    return None


def _is_json_schema(m: Message) -> bool:
    return m.schema_format is None or "json" in m.schema_format.lower() or "asyncapi" in m.schema_format.lower()


def _message_view(m: Message, way: str, root: dict) -> MessageView:
    example = _example_payload(m, root)
    if m.payload is None:
        schema = None
    elif _is_json_schema(m):
        schema = schema_to_ts(m.payload, root)
    else:
        schema = to_json(m.payload)
    examples = []
    for i, ex in enumerate(m.examples):
        label = " ".join(str(ex.get("name") or ex.get("summary") or f"Example {i + 1}").split())
        body = {k: ex[k] for k in ("headers", "payload") if k in ex}
        examples.append((label, to_json(body if "headers" in ex else ex.get("payload"))))
    return MessageView(
        name=m.key, title=m.title or m.name, direction=way, schema=schema,
        example=to_json(example) if example is not None else None,
        description=" ".join((m.summary or m.description).split()), content_type=m.content_type,
        headers=schema_to_ts(m.headers_schema, root) if m.headers_schema else None,
        header_names=[h.name for h in m.headers], traits=list(m.traits),
        correlation_id=m.correlation_id.location if m.correlation_id else None,
        schema_format=None if _is_json_schema(m) else m.schema_format,
        bindings=binding_rows("Message", m.bindings), examples=examples, deprecated=m.deprecated)


def _channel_security(ch: Channel) -> tuple[tuple[SecurityScheme, ...], ...]:
    server = ch.server
    options = list(server.security if server else ())
    for op in ch.operations:
        options += [o for o in op.security if o not in options]
    return tuple(options)


def _facts(ch: Channel, servers: tuple[Server, ...], protocol: str) -> list[tuple[str, str]]:
    """Broker, protocol (and version), the address under the protocol's own name, and every binding."""
    noun = {"mqtt": "Topic", "kafka": "Topic", "amqp": "Exchange / queue", "nats": "Subject", "sns": "Topic",
            "sqs": "Queue", "googlepubsub": "Topic", "pulsar": "Topic", "jms": "Destination", "ibmmq": "Topic / queue"}
    base = protocol.removesuffix("-secure").removeprefix("secure-").rstrip("s") if protocol not in ("sns", "sqs") else protocol
    rows = [("Protocol", protocol_label(protocol) + (f" {servers[0].protocol_version}" if servers and servers[0].protocol_version else ""))]
    rows += [("Broker" + (f" ({s.name})" if len(servers) > 1 else ""), s.resolved_host + s.pathname) for s in servers]
    rows.append((noun.get(base, "Address"), ch.address if ch.address is not None else "(set at runtime)"))
    for s in servers:
        rows += binding_rows(f"Server {s.name}", s.bindings)
    rows += binding_rows("Channel", ch.bindings)
    for op in ch.operations:
        rows += binding_rows(f"Operation {op.id}", op.bindings)
    return rows


def _operation_line(op: Operation, messages: dict[str, str]) -> str:
    verb = "the application sends" if op.action == "send" else "the application receives"
    names = ", ".join(messages.get(k, k) for k in op.messages) or "every message of the channel"
    text = f"{op.id}: {verb} {names}"
    if op.keyword:
        text += f" (AsyncAPI 2 `{op.keyword}`)"
    if op.summary or op.description:
        text += f" — {' '.join((op.summary or op.description).split())}"
    if op.reply_channel or op.reply_messages:
        text += f"; reply on {op.reply_channel or 'the same channel'}" + \
                (f" with {', '.join(messages.get(k, k) for k in op.reply_messages)}" if op.reply_messages else "")
    return text + (" (deprecated)" if op.deprecated else "")


def channel_view(channel: Channel, root: dict) -> ChannelView:
    """Endpoint, authentication, purpose, connection facts and snippet, operations and messages of one channel."""
    server = channel.server
    proto = (server.protocol if server else "wss") or "wss"
    kind = kind_of(proto)
    base = server.url if server else f"{proto}://localhost"
    address = channel.address if channel.address is not None else "{address}"
    path = address if address.startswith("/") or kind not in ("WebSocket", "Webhook") else "/" + address
    options = _channel_security(channel)
    query_key = next((s.param_name for o in options for s in o if s.type in ("httpApiKey", "apiKey")
                      and s.location == "query"), None) if kind == "WebSocket" else None
    auth = " or ".join(_alternatives(options, query_key)) if options else "None"
    ways = {k: _direction(op, kind) for op in channel.operations for k in op.messages}
    messages = [_message_view(m, ways.get(m.key, ""), root) for m in channel.messages]
    titles = {m.key: m.title or m.name for m in channel.messages}
    facts: list[tuple[str, str]] = []
    if kind == "WebSocket":
        url = base + re.sub(r"\{(\w+)\}", r"${\1}", path) + (f"?{query_key}=${{authToken}}" if query_key else "")
        connection, language = ws_snippet(url), "javascript"
        facts = binding_rows("Channel", channel.bindings) + [r for op in channel.operations
                                                             for r in binding_rows(f"Operation {op.id}", op.bindings)]
    elif kind == "Webhook":
        schemes = [s for o in options for s in o]
        connection = webhook_snippet(server.resolved_host if server else "localhost",
                                     (server.pathname.rstrip("/") if server else "") + path, schemes,
                                     messages[0].example if messages else None)
        language = "http"
        facts = binding_rows("Channel", channel.bindings) + [r for op in channel.operations
                                                             for r in binding_rows(f"Operation {op.id}", op.bindings)]
    else:
        facts = _facts(channel, channel.servers, proto)
        connection, language = broker_snippet(channel, proto, options, messages[0].example if messages else None)
    title = re.sub(r"^\s*websocket:\s*", "", channel.title or channel.key, flags=re.I)
    return ChannelView(
        name=channel.key, title=title,
        endpoint=base + path if kind in ("WebSocket", "Webhook") else f"{base} {address}",
        authentication=auth, purpose=" ".join((channel.description or channel.summary).split()),
        connection=connection, messages=messages, kind=kind, connection_language=language, protocol=proto,
        facts=facts, parameters=[(p.name, _parameter_text(p)) for p in channel.parameters],
        operations=[_operation_line(op, titles) for op in channel.operations])


def _parameter_text(p) -> str:
    bits = [p.description] if p.description else []
    if p.enum:
        bits.append("one of " + ", ".join(map(str, p.enum)))
    if p.default is not None:
        bits.append(f"default {p.default}")
    if p.examples:
        bits.append("e.g. " + ", ".join(map(str, p.examples[:3])))
    if p.location:
        bits.append(f"taken from {p.location}")
    return "; ".join(bits) or "no description"


# --------------------------------------------------------------------------------- overview
@dataclass
class OverviewView:
    heading: str
    version_line: str
    description: str
    servers: list[list[str]]
    schemes: list[list[str]]


def overview_view(api: EventApi) -> OverviewView:
    """The document's version, servers (URL, protocol, variables, bindings, security) and security schemes."""
    servers = []
    for s in api.servers:
        variables = "; ".join(f"{v.name} = {v.default}" + (f" (one of {', '.join(v.enum)})" if v.enum else "")
                              + (f": {v.description}" if v.description else "") for v in s.variables)
        details = "; ".join(b for b in [s.title, s.description, variables] +
                            [f"{k}: {v}" for k, v in binding_rows("binding", s.bindings)] if b)
        security = " or ".join(_alternatives(s.security, None)) or "None"
        servers.append([s.name, f"{s.protocol}://{s.host}{s.pathname}",
                        protocol_label(s.protocol) + (f" {s.protocol_version}" if s.protocol_version else ""),
                        security, details])
    schemes = [[s.name, s.type, describe_security(s), s.description] for s in api.security_schemes]
    title = f"{api.title} {api.api_version}".strip()
    return OverviewView(heading=event_heading(api), version_line=f"AsyncAPI {api.version} document: {title}",
                        description=" ".join(api.description.split()), servers=servers, schemes=schemes)


def event_heading(api: EventApi | None) -> str:
    """The seed's 'WebSocket API' when every channel is a WebSocket; else 'Event API'."""
    if api is None or all(kind_of(c.server.protocol if c.server else "") == "WebSocket" for c in api.channels):
        return "WebSocket API"
    return "Event API"
