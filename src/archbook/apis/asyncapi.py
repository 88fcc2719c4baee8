"""AsyncAPI 2.0-2.6 and 3.0-3.1 documents -> the normalised `EventApi` (archbook.model.asyncapi).

The document is already validated against its version's JSON Schema, so this reads it with
few checks; anything malformed is skipped rather than raised. Local `$ref`s are followed.
2.x channels hold `publish`/`subscribe` operations written from the client's side; they are
turned into 3.x-style `receive`/`send` operations from the application's side.
"""
from __future__ import annotations

from typing import Any

from archbook.model.api import resolve_ref
from archbook.model.asyncapi import (
    Channel, CorrelationId, EventApi, Header, Message, OAuthFlow, Operation, Parameter, SecurityScheme, Server,
    ServerVariable,
)

__all__ = ["build_event_api", "UNRENDERED_KEYS"]

# Keys the renderer does not show; `unrendered()` in the loader warns about each.
UNRENDERED_KEYS = ("tags", "externalDocs", "contact", "license", "termsOfService")
# 2.x wording: `publish` = clients publish = the application receives.
_V2_ACTION = {"publish": "receive", "subscribe": "send"}


def _d(node: Any) -> dict:
    return node if isinstance(node, dict) else {}


def _text(node: dict, key: str) -> str:
    value = node.get(key)
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""


def _ref_name(node: Any) -> str | None:
    """`{$ref: '#/components/messages/turnOn'}` -> 'turnOn'."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~") if isinstance(ref, str) else None


def build_event_api(doc: dict) -> EventApi:
    """The normalised model of one AsyncAPI document (2.x or 3.x)."""
    version = str(doc.get("asyncapi", ""))
    info = _d(doc.get("info"))
    schemes = _d(_d(doc.get("components")).get("securitySchemes"))
    v3 = version.startswith("3.")
    servers = _servers(doc, schemes, v3)
    channels, operations = (_channels_v3 if v3 else _channels_v2)(doc, servers, schemes)
    return EventApi(
        version=version, title=_text(info, "title"), api_version=_text(info, "version"),
        description=str(info.get("description") or "").strip(),
        default_content_type=doc.get("defaultContentType") if isinstance(doc.get("defaultContentType"), str) else None,
        servers=tuple(servers.values()), channels=tuple(channels), operations=tuple(operations),
        security_schemes=tuple(_scheme(doc, name, raw) for name, raw in schemes.items()),
    )


# ------------------------------------------------------------------------------------ security
def _flows(raw: dict, v3: bool) -> tuple[OAuthFlow, ...]:
    out = []
    for kind, flow in _d(raw.get("flows")).items():
        flow = _d(flow)
        scopes = _d(flow.get("availableScopes" if "availableScopes" in flow else "scopes"))
        out.append(OAuthFlow(kind, flow.get("authorizationUrl"), flow.get("tokenUrl"), flow.get("refreshUrl"),
                             tuple((str(k), " ".join(str(v).split())) for k, v in scopes.items())))
    return tuple(out)


def _scheme(doc: dict, name: str, raw: Any, scopes: tuple[str, ...] = ()) -> SecurityScheme:
    raw = _d(resolve_ref(doc, raw))
    own_scopes = tuple(str(s) for s in raw.get("scopes") or [] if isinstance(s, str))
    return SecurityScheme(
        name=name, type=str(raw.get("type", "")), description=_text(raw, "description"),
        location=raw.get("in") if isinstance(raw.get("in"), str) else None,
        param_name=raw.get("name") if isinstance(raw.get("name"), str) else None,
        scheme=raw.get("scheme") if isinstance(raw.get("scheme"), str) else None,
        bearer_format=raw.get("bearerFormat") if isinstance(raw.get("bearerFormat"), str) else None,
        flows=_flows(raw, True), open_id_connect_url=raw.get("openIdConnectUrl"),
        scopes=scopes or own_scopes,
    )


def _security(doc: dict, reqs: Any, schemes: dict, v3: bool) -> tuple[tuple[SecurityScheme, ...], ...]:
    """Alternatives, each the schemes used together. 3.x: one scheme (or `$ref`) per item; 2.x:
    `{name: [scopes]}` requirements, all names of one item together."""
    out = []
    for req in reqs if isinstance(reqs, list) else []:
        if v3:
            out.append((_scheme(doc, _ref_name(req) or "", req),))
        elif isinstance(req, dict):
            out.append(tuple(_scheme(doc, str(n), schemes.get(n, {"type": n}),
                                     tuple(str(s) for s in (scopes or []) if isinstance(s, str)))
                             for n, scopes in req.items()))
    return tuple(out)


# ------------------------------------------------------------------------------------ servers
def _split_url(url: str) -> tuple[str | None, str, str]:
    """2.x `url` -> (scheme or None, host, path): 'mqtt://test.mosquitto.org:{port}/x' -> ('mqtt', ..., '/x')."""
    scheme = None
    if "://" in url:
        scheme, url = url.split("://", 1)
    host, slash, path = url.partition("/")
    return scheme, host, (slash + path) if slash else ""


def _servers(doc: dict, schemes: dict, v3: bool) -> dict[str, Server]:
    out = {}
    for name, raw in _d(doc.get("servers")).items():
        raw = _d(resolve_ref(doc, raw))
        protocol = str(raw.get("protocol", "")).lower()
        if v3:
            host, pathname = str(raw.get("host", "")), str(raw.get("pathname", "") or "")
        else:
            _, host, pathname = _split_url(str(raw.get("url", "")))
        variables = tuple(ServerVariable(str(k), None if v.get("default") is None else str(v.get("default")),
                                         tuple(str(e) for e in v.get("enum") or []), _text(v, "description"))
                          for k, v in ((k, _d(resolve_ref(doc, v))) for k, v in _d(raw.get("variables")).items()))
        out[str(name)] = Server(
            name=str(name), host=host, protocol=protocol, pathname=pathname,
            protocol_version=None if raw.get("protocolVersion") is None else str(raw.get("protocolVersion")),
            title=_text(raw, "title"), description=_text(raw, "description"), variables=variables,
            bindings=_bindings(doc, raw), security=_security(doc, raw.get("security"), schemes, v3))
    return out


def _bindings(doc: dict, node: dict) -> dict[str, Any]:
    """`bindings` with each protocol's entry (and the object itself) `$ref`-resolved."""
    raw = _d(resolve_ref(doc, node.get("bindings")))
    return {str(k): resolve_ref(doc, v) for k, v in raw.items()}


def _channel_servers(doc: dict, raw: dict, servers: dict[str, Server]) -> tuple[Server, ...]:
    """The channel's own `servers` (3.x refs, 2.x names), else every server of the document."""
    listed = raw.get("servers")
    if isinstance(listed, list) and listed:
        names = [_ref_name(s) if isinstance(s, dict) else str(s) for s in listed]
        return tuple(servers[n] for n in names if n in servers)
    return tuple(servers.values())


def _parameters(doc: dict, raw: dict) -> tuple[Parameter, ...]:
    out = []
    for name, p in _d(raw.get("parameters")).items():
        p = _d(resolve_ref(doc, p))
        schema = _d(resolve_ref(doc, p.get("schema"))) or None
        enum = p.get("enum") or (schema or {}).get("enum") or []
        default = p.get("default", (schema or {}).get("default"))
        examples = p.get("examples") or (schema or {}).get("examples") or []
        out.append(Parameter(str(name), _text(p, "description") or _text(schema or {}, "description"),
                             tuple(enum), default, tuple(examples) if isinstance(examples, list) else (),
                             p.get("location") if isinstance(p.get("location"), str) else None, schema))
    return tuple(out)


# ------------------------------------------------------------------------------------ messages
def _merged_headers(doc: dict, own: Any, traits: list[dict]) -> dict | None:
    """The message's headers schema with each trait's `properties`/`required` merged in (own wins)."""
    parts = [_d(resolve_ref(doc, own))] + [_d(resolve_ref(doc, t.get("headers"))) for t in traits]
    parts = [p for p in parts if p]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    props: dict = {}
    required: list = []
    for p in reversed(parts):  # the message's own definitions are applied last, so they win
        props.update(_d(p.get("properties")))
        required += [r for r in p.get("required") or [] if r not in required]
    return {"type": "object", "properties": props, **({"required": required} if required else {})}


def _headers(doc: dict, schema: dict | None) -> tuple[Header, ...]:
    schema = _d(resolve_ref(doc, schema))
    props = _d(schema.get("properties"))
    for part in schema.get("allOf") or []:  # headers written as allOf of objects
        props = {**props, **_d(_d(resolve_ref(doc, part)).get("properties"))}
    required = set(schema.get("required") or [])
    return tuple(Header(str(k), _d(resolve_ref(doc, v)), k in required, _text(_d(resolve_ref(doc, v)), "description"))
                 for k, v in props.items())


def _first(key: str, *nodes: dict) -> Any:
    return next((n[key] for n in nodes if key in n), None)


def build_message(doc: dict, key: str, raw: Any) -> Message:
    """One message, its traits applied: headers merged; other fields taken from a trait when missing."""
    msg = _d(resolve_ref(doc, raw))
    trait_refs = [t for t in msg.get("traits") or [] if isinstance(t, dict)]
    traits = [_d(resolve_ref(doc, t)) for t in trait_refs]
    both = [msg, *traits]
    payload = resolve_ref(doc, msg.get("payload"))
    schema_format = msg.get("schemaFormat")
    if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:  # 3.x multi-format schema
        schema_format, payload = payload["schemaFormat"], resolve_ref(doc, payload["schema"])
    headers_schema = _merged_headers(doc, msg.get("headers"), traits)
    corr = _d(resolve_ref(doc, _first("correlationId", *both)))
    examples = [e for e in (_first("examples", *both) or []) if isinstance(e, dict)]
    bindings = {k: v for t in reversed(both) for k, v in _bindings(doc, t).items()}
    return Message(
        key=key, name=str(msg.get("name") or msg.get("messageId") or key),
        title=_text(msg, "title") or _text(msg, "name") or key,
        summary=str(_first("summary", *both) or "").strip(), description=str(_first("description", *both) or "").strip(),
        content_type=_first("contentType", *both) or doc.get("defaultContentType"),
        payload=payload, schema_format=str(schema_format) if schema_format else None,
        headers_schema=headers_schema, headers=_headers(doc, headers_schema),
        correlation_id=CorrelationId(str(corr["location"]), _text(corr, "description")) if "location" in corr else None,
        examples=tuple(examples), bindings=bindings,
        traits=tuple(_ref_name(t) or f"trait {i + 1}" for i, t in enumerate(trait_refs)),
        deprecated=bool(msg.get("deprecated")))


# ------------------------------------------------------------------------------------ 3.x
def _op_traits(doc: dict, op: dict) -> tuple[list[dict], tuple[str, ...]]:
    refs = [t for t in op.get("traits") or [] if isinstance(t, dict)]
    return [_d(resolve_ref(doc, t)) for t in refs], tuple(_ref_name(t) or f"trait {i + 1}" for i, t in enumerate(refs))


def _channel_key(doc: dict, ref: Any, keys: dict[int, str]) -> str | None:
    target = resolve_ref(doc, ref)
    return keys.get(id(target)) or _ref_name(ref)


def _message_key(doc: dict, ref: Any, channel_messages: dict[int, str]) -> str:
    """A channel message's key: the ref's own name when it points into a channel, else the key it has there."""
    if isinstance(ref, dict) and str(ref.get("$ref", "")).startswith("#/channels/"):
        return _ref_name(ref) or "message"
    return channel_messages.get(id(resolve_ref(doc, ref))) or _ref_name(ref) or "message"


def _channels_v3(doc: dict, servers: dict[str, Server], schemes: dict) -> tuple[list[Channel], list[Operation]]:
    raw_channels = {str(k): _d(resolve_ref(doc, v)) for k, v in _d(doc.get("channels")).items()}
    by_id = {id(v): k for k, v in raw_channels.items()}
    msg_keys = {id(_d(resolve_ref(doc, m))): mk for c in raw_channels.values() for mk, m in _d(c.get("messages")).items()}
    ops = [_operation_v3(doc, str(k), _d(resolve_ref(doc, v)), by_id, msg_keys, schemes)
           for k, v in _d(doc.get("operations")).items()]
    channels = []
    for key, raw in raw_channels.items():
        address = raw.get("address", key)
        channels.append(Channel(
            key=key, address=None if address is None else str(address), title=_text(raw, "title"),
            summary=_text(raw, "summary"), description=str(raw.get("description") or "").strip(),
            parameters=_parameters(doc, raw), bindings=_bindings(doc, raw),
            servers=_channel_servers(doc, raw, servers),
            messages=tuple(build_message(doc, str(mk), m) for mk, m in _d(raw.get("messages")).items()),
            operations=tuple(o for o in ops if o.channel == key)))
    return channels, ops


def _op_messages(doc: dict, op: dict, msg_keys: dict) -> tuple[str, ...]:
    """The operation's messages; without a `messages` list, every message of its channel (3.x rule)."""
    if isinstance(op.get("messages"), list):
        return tuple(_message_key(doc, m, msg_keys) for m in op["messages"])
    return tuple(str(k) for k in _d(_d(resolve_ref(doc, op.get("channel"))).get("messages")))


def _operation_v3(doc: dict, key: str, op: dict, channel_ids: dict, msg_keys: dict, schemes: dict) -> Operation:
    traits, names = _op_traits(doc, op)
    both = [op, *traits]
    reply = _d(resolve_ref(doc, op.get("reply")))
    reply_address = _d(resolve_ref(doc, reply.get("address"))).get("location")
    reply_channel = _channel_key(doc, reply.get("channel"), channel_ids) if reply.get("channel") else None
    bindings = {k: v for t in reversed(both) for k, v in _bindings(doc, t).items()}
    return Operation(
        id=key, action="send" if op.get("action") == "send" else "receive",
        channel=_channel_key(doc, op.get("channel"), channel_ids) or "", title=_text(op, "title"),
        summary=str(_first("summary", *both) or "").strip(), description=str(_first("description", *both) or "").strip(),
        messages=_op_messages(doc, op, msg_keys),
        security=_security(doc, _first("security", *both), schemes, True), bindings=bindings, traits=names,
        reply_channel=str(reply_address) if reply_address else reply_channel,
        reply_messages=tuple(_message_key(doc, m, msg_keys) for m in reply.get("messages") or []),
        deprecated=bool(op.get("deprecated")))


# ------------------------------------------------------------------------------------ 2.x
def _v2_messages(doc: dict, op: dict, op_id: str) -> list[tuple[str, Any]]:
    """(key, raw) of an operation's message: one, or each of a `oneOf`."""
    raw = op.get("message")
    one = _d(resolve_ref(doc, raw)) if isinstance(raw, dict) and "$ref" in raw else _d(raw)
    items = one.get("oneOf") if isinstance(one.get("oneOf"), list) else [raw]
    out = []
    for i, item in enumerate(i for i in items if isinstance(i, dict)):
        target = _d(resolve_ref(doc, item))
        key = _ref_name(item) or target.get("messageId") or target.get("name") or f"{op_id}Message{'' if i == 0 else i + 1}"
        out.append((str(key), item))
    return out


def _channels_v2(doc: dict, servers: dict[str, Server], schemes: dict) -> tuple[list[Channel], list[Operation]]:
    channels, ops = [], []
    for key, raw in _d(doc.get("channels")).items():
        key, raw = str(key), _d(resolve_ref(doc, raw))
        mine: list[Operation] = []
        messages: dict[str, Message] = {}
        for keyword in ("publish", "subscribe"):
            op = _d(resolve_ref(doc, raw.get(keyword)))
            if not op:
                continue
            op_id = str(op.get("operationId") or f"{keyword} {key}")
            found = _v2_messages(doc, op, op_id)
            for mk, m in found:
                messages.setdefault(mk, build_message(doc, mk, m))
            mine.append(_operation_v2(doc, key, keyword, op_id, op, [mk for mk, _ in found], schemes))
        channels.append(Channel(
            key=key, address=key, title=_text(raw, "title"), summary=_text(raw, "summary"),
            description=str(raw.get("description") or "").strip(), parameters=_parameters(doc, raw),
            bindings=_bindings(doc, raw), servers=_channel_servers(doc, raw, servers),
            messages=tuple(messages.values()), operations=tuple(mine)))
        ops += mine
    return channels, ops


def _operation_v2(doc: dict, channel: str, keyword: str, op_id: str, op: dict, messages: list[str],
                  schemes: dict) -> Operation:
    traits, names = _op_traits(doc, op)
    both = [op, *traits]
    return Operation(
        id=op_id, action=_V2_ACTION[keyword], channel=channel, keyword=keyword,  # type: ignore[arg-type]
        title=_text(op, "title"), summary=str(_first("summary", *both) or "").strip(),
        description=str(_first("description", *both) or "").strip(), messages=tuple(messages),
        security=_security(doc, _first("security", *both), schemes, False),
        bindings={k: v for t in reversed(both) for k, v in _bindings(doc, t).items()}, traits=names)
