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


def protocol_of(ch: Channel) -> str:
    """The channel's protocol: its server's; without a server, the one protocol its bindings name, else ''."""
    if ch.server is not None and ch.server.protocol:
        return ch.server.protocol
    named = set(ch.bindings) | {k for op in ch.operations for k in op.bindings} | {k for m in ch.messages for k in m.bindings}
    return next(iter(named)) if len(named) == 1 else ""


def kind_of(protocol: str) -> str:
    """The card's kind: WebSocket, Webhook (HTTP), the broker protocol's name, or Channel when unknown."""
    proto = protocol.lower()
    if not proto:
        return "Channel"
    if proto in ("ws", "wss"):
        return "WebSocket"
    return "Webhook" if proto in ("http", "https") else protocol_label(proto)


def _oauth(s: SecurityScheme, brief: bool = False) -> str:
    if brief:
        kinds = ", ".join(_FLOWS.get(f.kind, f.kind) for f in s.flows)
        bits = ([f"{kinds} flow{'s' if len(s.flows) > 1 else ''}"] if kinds else []) + \
            ([f"scopes required: {', '.join(s.scopes)}"] if s.scopes else [])
        return "OAuth 2.0" + (f" ({'; '.join(bits)})" if bits else "")
    flows = []
    for f in s.flows:
        urls = [f"{label} {url}" for label, url in (("authorization URL", f.authorization_url),
                                                   ("token URL", f.token_url), ("refresh URL", f.refresh_url)) if url]
        flows.append(f"{_FLOWS.get(f.kind, f.kind)} flow" + (f" ({', '.join(urls)})" if urls else ""))
    text = "OAuth 2.0" + (f": {'; '.join(flows)}" if flows else "")
    return text + (f" (scopes required: {', '.join(s.scopes)})" if s.scopes else "")


def describe_security(s: SecurityScheme, brief: bool = False) -> str:
    """One scheme in words, per AsyncAPI scheme type ('API key sent as the user name', 'OAuth 2.0: ...').
    `brief` leaves out OAuth URLs (the security-schemes table has them)."""
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
        return _oauth(s, brief)
    if kind == "openIdConnect":
        text = "OpenID Connect" + (f" (discovery: {s.open_id_connect_url})" if s.open_id_connect_url and not brief else "")
        return text + (f" (scopes required: {', '.join(s.scopes)})" if s.scopes else "")
    return _SASL.get(kind) or _PLAIN.get(kind) or (kind or "Unknown scheme")


def _alternatives(options: tuple[tuple[SecurityScheme, ...], ...], query_key: str | None) -> list[str]:
    """Each way to authenticate, in brief words; the schemes of one way joined with "and"."""
    out = []
    for option in options:
        parts = ["Query parameter " + f"{query_key}=[Bearer token]" if query_key and s.type == "httpApiKey"
                 and s.location == "query" and s.param_name == query_key else describe_security(s, True) for s in option]
        out.append(" and ".join(dict.fromkeys(parts)))
    return list(dict.fromkeys(out))


def either(ways: list[str]) -> str:
    """'None', the one way, or 'one of: (1) ...; (2) ...' -- alternatives never read as all required."""
    if not ways:
        return "None"
    return ways[0] if len(ways) == 1 else "one of: " + "; ".join(f"({i}) {w}" for i, w in enumerate(ways, 1))


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
    binding_schemas: list[tuple[str, str]] = field(default_factory=list)
    other_name: str | None = None  # the message's `name` (or `messageId`) when the title differs


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
    schemas: list[tuple[str, str]] = field(default_factory=list)  # binding fields that are object schemas


def both(*texts: str) -> str:
    """Summary and description (and the like) together, each once, on one line: neither is dropped."""
    parts = [" ".join(str(t).split()) for t in texts if t and str(t).strip()]
    out: list[str] = []
    for part in parts:
        if not any(part.rstrip(".") in seen for seen in out):
            out.append(part if part.endswith((".", "!", "?", ":")) or part is parts[-1] else part + ".")
    return " ".join(out)


def _compact(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)


def _is_object_schema(value: Any) -> bool:
    """An object JSON Schema (binding fields are free-form: anything else is shown as its JSON)."""
    if not (isinstance(value, dict) and (value.get("type") == "object" or isinstance(value.get("properties"), dict))):
        return False
    import jsonschema_rs

    return jsonschema_rs.meta.is_valid({"$schema": "http://json-schema.org/draft-07/schema#", **value})


def _brief(value: Any) -> str:
    """A binding value in one cell; a small schema by its enum, const or type."""
    if isinstance(value, dict) and ("enum" in value or "const" in value):
        options = value.get("enum", [value.get("const")])
        return ("one of " if len(options) > 1 else "") + ", ".join(_compact(o) for o in options)
    if isinstance(value, dict) and set(value) <= {"type", "description", "format"} and "type" in value:
        return f"{value['type']}" + (f" ({value['description']})" if value.get("description") else "")
    return _compact(value)


def binding_rows(scope: str, bindings: dict[str, Any]) -> list[tuple[str, str]]:
    """Every field of every binding as a (label, value) row: nothing in a binding is dropped.
    Object schemas (ws `query`/`headers`, http `query`) are shown as type blocks instead (binding_schemas)."""
    rows = []
    for proto, body in bindings.items():
        if not isinstance(body, dict) or not body:
            rows.append((f"{scope} binding {proto}", _compact(body) if body else "(present, no fields)"))
            continue
        rows += [(f"{scope} binding {proto}.{k}", _brief(v)) for k, v in body.items() if not _is_object_schema(v)]
    return rows


def binding_schemas(scope: str, bindings: dict[str, Any], root: dict) -> list[tuple[str, str]]:
    """(label, type block) for each binding field that is an object schema."""
    return [(f"{scope} binding {proto}.{k}", schema_to_ts(v, root)) for proto, body in bindings.items()
            if isinstance(body, dict) for k, v in body.items() if _is_object_schema(v)]


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
    if isinstance(m.payload, dict) and _is_json_schema(m):
        return example_from_schema(m.payload, root)
    return None


def _is_json_schema(m: Message) -> bool:
    """JSON Schema in JSON or YAML, or the AsyncAPI schema (a superset); not Avro, RAML, Protobuf, ..."""
    fmt = (m.schema_format or "").lower()
    return not fmt or any(k in fmt for k in ("schema+json", "schema+yaml", "asyncapi", "application/json"))


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
        description=both(m.summary, m.description), content_type=m.content_type,
        other_name=m.name if m.name not in (m.title, "") else None,
        headers=schema_to_ts(m.headers_schema, root) if m.headers_schema else None,
        header_names=[h.name for h in m.headers], traits=list(m.traits),
        correlation_id=m.correlation_id.location if m.correlation_id else None,
        schema_format=None if _is_json_schema(m) else m.schema_format,
        bindings=binding_rows("Message", m.bindings), examples=examples, deprecated=m.deprecated,
        binding_schemas=binding_schemas("Message", m.bindings, root))


def _channel_security(ch: Channel) -> tuple[tuple[SecurityScheme, ...], ...]:
    server = ch.server
    options = list(server.security if server else ())
    for op in ch.operations:
        options += [o for o in op.security if o not in options]
    return tuple(options)


_NOUNS = {"mqtt": "Topic", "kafka": "Topic", "amqp": "Exchange / queue", "nats": "Subject", "sns": "Topic",
          "sqs": "Queue", "googlepubsub": "Topic", "pulsar": "Topic", "jms": "Destination", "ibmmq": "Topic / queue",
          "redis": "Channel", "mercure": "Topic", "stomp": "Destination", "solace": "Topic", "anypointmq": "Destination"}


def _noun(protocol: str) -> str:
    """What the protocol calls a channel address: topic (MQTT, Kafka), queue or exchange (AMQP), subject (NATS)."""
    base = protocol.lower().removesuffix("-secure").removeprefix("secure-")
    base = base if base in _NOUNS or base in ("sns", "sqs") else base.rstrip("s")
    return _NOUNS.get(base, "Address")


def _facts(ch: Channel, servers: tuple[Server, ...], protocol: str) -> list[tuple[str, str]]:
    """Broker, protocol (and version), the address under the protocol's own name, and every binding."""
    rows = [("Protocol", protocol_label(protocol) + (f" {servers[0].protocol_version}" if servers and servers[0].protocol_version else ""))]
    rows += [("Broker" + (f" ({s.name})" if len(servers) > 1 else ""), s.resolved_host + s.pathname) for s in servers]
    rows.append((_noun(protocol), ch.address if ch.address is not None else "(set at runtime)"))
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
        text += f" (AsyncAPI 2 {op.keyword})"
    said = both(op.title, op.summary, op.description)
    if said:
        text += f" — {said}"
    if op.reply_channel or op.reply_messages:
        text += f"; reply on {op.reply_channel or 'the same channel'}" + \
                (f" with {', '.join(messages.get(k, k) for k in op.reply_messages)}" if op.reply_messages else "")
    return text + (" (deprecated)" if op.deprecated else "")


def _channel_rows(ch: Channel) -> list[tuple[str, str]]:
    return binding_rows("Channel", ch.bindings) + [r for op in ch.operations
                                                   for r in binding_rows(f"Operation {op.id}", op.bindings)]


def _webhook(ch: Channel, path: str, options: tuple, messages: list[MessageView]) -> str:
    """The HTTP delivery of the channel's first message, with its first example's headers."""
    server = ch.server
    first = ch.messages[0].examples[0] if ch.messages and ch.messages[0].examples else {}
    return webhook_snippet(server.resolved_host if server else "<host>",
                           (server.pathname.rstrip("/") if server else "") + path, [s for o in options for s in o],
                           messages[0].example if messages else None,
                           first.get("headers") if isinstance(first.get("headers"), dict) else None)


def _connection(ch: Channel, kind: str, proto: str, url: str, path: str, options: tuple,
                messages: list[MessageView]) -> tuple[str, str, list[tuple[str, str]]]:
    """(snippet, its language, facts rows): a browser WebSocket, an HTTP delivery, or the broker's facts and CLI."""
    if kind == "WebSocket":
        return ws_snippet(url), "javascript", _channel_rows(ch)
    if kind == "Webhook":
        return _webhook(ch, path, options, messages), "http", _channel_rows(ch)
    snippet, language = broker_snippet(ch, proto, options, messages[0].example if messages else None)
    return snippet, language, _facts(ch, ch.servers, proto)


def channel_view(channel: Channel, root: dict) -> ChannelView:
    """Endpoint, authentication, purpose, connection facts and snippet, operations and messages of one channel."""
    server = channel.server
    proto = protocol_of(channel)
    kind = kind_of(proto)
    base = server.url if server else f"{proto}://<host>" if proto else ""  # <host>: no server documented
    address = channel.address if channel.address is not None else "{address}"
    path = address if address.startswith("/") or kind not in ("WebSocket", "Webhook") else "/" + address
    options = _channel_security(channel)
    query_key = next((s.param_name for o in options for s in o if s.type in ("httpApiKey", "apiKey")
                      and s.location == "query"), None) if kind == "WebSocket" else None
    ways = {k: _direction(op, kind) for op in channel.operations for k in op.messages}
    messages = [_message_view(m, ways.get(m.key, ""), root) for m in channel.messages]
    ws_url = base + re.sub(r"\{(\w+)\}", r"${\1}", path) + (f"?{query_key}=${{authToken}}" if query_key else "")
    connection, language, facts = _connection(channel, kind, proto, ws_url, path, options, messages)
    titles = {m.key: m.title or m.name for m in channel.messages}
    return ChannelView(
        name=channel.key, title=re.sub(r"^\s*websocket:\s*", "", channel.title or channel.key, flags=re.I),
        endpoint=base + path if kind in ("WebSocket", "Webhook") else
        f"{base}, {_noun(proto).lower()} {address}" if base else f"address {address} (no server documented)",
        authentication=either(_alternatives(options, query_key)), purpose=both(channel.summary, channel.description),
        connection=connection, messages=messages, kind=kind, connection_language=language, protocol=proto,
        facts=facts, parameters=[(p.name, _parameter_text(p)) for p in channel.parameters],
        operations=[_operation_line(op, titles) for op in channel.operations],
        schemas=_all_binding_schemas(channel, root))


def _all_binding_schemas(ch: Channel, root: dict) -> list[tuple[str, str]]:
    out = binding_schemas("Channel", ch.bindings, root)
    for op in ch.operations:
        out += binding_schemas(f"Operation {op.id}", op.bindings, root)
    return out


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
        details = "; ".join(b.rstrip(".") for b in [both(s.title, s.summary, s.description), variables] +
                            [f"{k}: {v}" for k, v in binding_rows("binding", s.bindings)] if b)
        security = either(_alternatives(s.security, None))
        servers.append([s.name, f"{s.protocol}://{s.host}{s.pathname}",
                        protocol_label(s.protocol) + (f" {s.protocol_version}" if s.protocol_version else ""),
                        security, details])
    schemes = [[s.name, s.type, describe_security(s), s.description] for s in api.security_schemes]
    schemes += [[f"(inline, {where})", s.type, describe_security(s), s.description] for where, s in _inline_schemes(api)]
    title = f"{api.title} {api.api_version}".strip()
    return OverviewView(heading=event_heading(api), version_line=f"AsyncAPI {api.version} document: {title}",
                        description=api.description, servers=servers, schemes=schemes)


def _inline_schemes(api: EventApi) -> list[tuple[str, SecurityScheme]]:
    """3.x schemes written in place (not under components), with where they are used."""
    found = [(f"server {s.name}", sc) for s in api.servers for option in s.security for sc in option if not sc.name]
    found += [(f"operation {o.id}", sc) for o in api.operations for option in o.security for sc in option if not sc.name]
    return found


def event_heading(api: EventApi | None) -> str:
    """The seed's 'WebSocket API' when every channel is a WebSocket; else 'Event API'."""
    if api is None or all(kind_of(protocol_of(c)) == "WebSocket" for c in api.channels):
        return "WebSocket API"
    return "Event API"
