"""Plain view objects for one REST endpoint (from OpenAPI) and one WebSocket channel (from AsyncAPI).

Templates only lay these out; every decision (what "authentication" says, which example to
show, which responses are errors) lives here, where it is testable without Jinja.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode, urlparse

from archbook.model.api import Operation, WsChannel, resolve_ref
from archbook.render.schema_text import example_from_schema, schema_to_ts, to_json

__all__ = ["Param", "ResponseView", "EndpointView", "MessageView", "ChannelView", "endpoint_view",
           "channel_view", "describe_scheme", "status_phrase"]


@dataclass
class Param:
    name: str
    type: str
    required: bool
    description: str
    example: Any = None


@dataclass
class ResponseView:
    status: str
    phrase: str
    description: str
    schema: str | None
    example: Any = None
    same_as: str | None = None  # status of an earlier error response with the same schema


@dataclass
class EndpointView:
    method: str
    path: str
    operation_id: str | None
    tag: str
    summary: str
    description: str
    authentication: str
    rate_limit: str | None
    path_params: list[Param]
    query_params: list[Param]
    request_body: str | None
    responses: list[ResponseView]
    example_request: str
    example_response: str | None
    example_response_status: str | None
    error_codes: list[tuple[str, str, str]]

    @property
    def title(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def errors(self) -> list[ResponseView]:
        return [r for r in self.responses if r.status[:1] in "45"]

    @property
    def successes(self) -> list[ResponseView]:
        return [r for r in self.responses if r.status[:1] not in "45"]


def status_phrase(code: str) -> str:
    try:
        return HTTPStatus(int(code)).phrase
    except ValueError:
        return {"4XX": "Client error", "5XX": "Server error", "default": "Other"}.get(str(code).upper(), "")


def describe_scheme(scheme: dict) -> str:
    """A security scheme in the seed's words: 'Bearer token', 'API key in header `X-Key`'."""
    kind = scheme.get("type")
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        fmt = scheme.get("bearerFormat")
        return f"Bearer token ({fmt})" if fmt else "Bearer token"
    if kind == "http":
        return f"HTTP {str(scheme.get('scheme', '')).capitalize()}"
    if kind in ("apiKey", "httpApiKey"):
        return f"API key in {scheme.get('in', 'header')} {scheme.get('name', '?')}"
    return {"oauth2": "OAuth 2.0", "openIdConnect": "OpenID Connect", "mutualTLS": "Mutual TLS",
            "userPassword": "User and password", "X509": "X.509 certificate"}.get(kind, str(kind))


def _schemes(root: dict) -> dict:
    return (root.get("components") or {}).get("securitySchemes") or {}


def _auth(op: Operation, root: dict) -> tuple[str, list[dict]]:
    reqs = op.security(root)
    named = [name for req in reqs for name in req]
    if not named:
        return "None", []
    schemes = [resolve_ref(root, _schemes(root).get(n, {"type": n})) for n in dict.fromkeys(named)]
    how = ", ".join(describe_scheme(s) for s in schemes)
    return f"{'Optional' if any(req == {} for req in reqs) else 'Required'} ({how})", schemes


def _param(p: dict, root: dict) -> Param:
    schema = resolve_ref(root, p.get("schema", {}))
    example = p.get("example")
    if example is None and p.get("examples"):
        first = resolve_ref(root, next(iter(p["examples"].values())))
        example = first.get("value") if isinstance(first, dict) else None
    if example is None and isinstance(schema, dict) and ("example" in schema or "examples" in schema):
        example = example_from_schema(schema, root)
    typ = schema_to_ts(schema, root) if schema else "string"
    return Param(p.get("name", "?"), typ, bool(p.get("required")), " ".join(str(p.get("description", "")).split()), example)


def _media(content: dict | None) -> tuple[str | None, dict]:
    """The JSON media type of a body/response (else the first one)."""
    if not content:
        return None, {}
    for kind in content:
        if "json" in kind:
            return kind, content[kind] or {}
    kind = next(iter(content))
    return kind, content[kind] or {}


def _media_examples(media: dict, root: dict) -> list[dict]:
    """Named examples as [{summary, description, value}], the single `example` last."""
    out = []
    for name, ex in (media.get("examples") or {}).items():
        ex = resolve_ref(root, ex)
        if isinstance(ex, dict):
            out.append({"name": name, "summary": ex.get("summary"), "description": ex.get("description"),
                        "value": ex.get("value")})
    if "example" in media:
        out.append({"name": "example", "summary": None, "description": None, "value": media["example"]})
    return out


def _example_value(media: dict, root: dict) -> Any:
    examples = _media_examples(media, root)
    if examples:
        return examples[0]["value"]
    return example_from_schema(media["schema"], root) if "schema" in media else None


def _response(status: str, resp: dict, root: dict) -> ResponseView:
    resp = resolve_ref(root, resp)
    _, media = _media(resp.get("content"))
    schema = schema_to_ts(media["schema"], root) if "schema" in media else None
    example = _example_value(media, root) if media else None
    return ResponseView(str(status), status_phrase(str(status)), " ".join(str(resp.get("description", "")).split()),
                        schema, example)


def _host_and_prefix(root: dict) -> tuple[str, str]:
    servers = root.get("servers") or []
    url = str(servers[0].get("url", "")) if servers else ""
    url = re.sub(r"\{(\w+)\}", lambda m: str(((servers[0].get("variables") or {}).get(m.group(1)) or {}).get("default", m.group(1))), url) if servers else url
    parsed = urlparse(url)
    return parsed.netloc or "localhost", parsed.path.rstrip("/") if parsed.netloc else url.rstrip("/")


def _example_request(op: Operation, root: dict, path_params: list[Param], query_params: list[Param],
                     schemes: list[dict], body_kind: str | None, body: Any) -> str:
    host, prefix = _host_and_prefix(root)
    path = op.path
    for p in path_params:
        if p.example is not None:
            path = path.replace(f"{{{p.name}}}", str(p.example))
    query: dict[str, Any] = {p.name: p.example for p in query_params if p.example is not None}
    headers = [f"Host: {host}"]
    for scheme in schemes:
        kind = scheme.get("type")
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            headers.append("Authorization: Basic dXNlcjpwYXNzd29yZA==")
        elif kind in ("http", "oauth2", "openIdConnect"):
            headers.append("Authorization: Bearer eyJhbGciOiJIUzI1NiIs...")
        elif kind == "apiKey" and scheme.get("in") == "header":
            headers.append(f"{scheme.get('name', 'X-API-Key')}: <api-key>")
        elif kind == "apiKey" and scheme.get("in") == "query":
            query[scheme.get("name", "api_key")] = "<api-key>"
    target = prefix + path + (f"?{urlencode(query, safe='<>-')}" if query else "")
    text = f"{op.method.upper()} {target} HTTP/1.1\n" + "\n".join(headers)
    if body_kind:
        text += f"\nContent-Type: {body_kind}\n\n" + (to_json(body) if "json" in body_kind else str(body))
    return text


def endpoint_view(op: Operation, root: dict) -> EndpointView:
    """Everything the seed's endpoint template shows, computed from one OpenAPI operation."""
    spec = op.spec
    params = [_param(p, root) for p in op.parameters(root)]
    path_params = [p for p, raw in zip(params, op.parameters(root)) if raw.get("in") == "path"]
    query_params = [p for p, raw in zip(params, op.parameters(root)) if raw.get("in") == "query"]
    auth, schemes = _auth(op, root)
    body = resolve_ref(root, spec.get("requestBody") or {})
    body_kind, body_media = _media(body.get("content"))
    body_ts = schema_to_ts(body_media["schema"], root) if "schema" in body_media else None
    body_example = _example_value(body_media, root) if body_kind else None
    responses = [_response(str(s), r, root) for s, r in (spec.get("responses") or {}).items()]
    seen: dict[str, str] = {}
    for r in responses:  # error bodies usually share one schema: show it once
        if r.schema and r.status[:1] in "45":
            r.same_as = seen.get(r.schema)
            seen.setdefault(r.schema, r.status)
    ok = next((r for r in responses if r.status.startswith("2") and r.example is not None), None)
    errors = [(e.code, e.message, e.description) if e.description else (e.code, status_phrase(e.code) or e.message, e.message)
              for e in op.error_codes(root)]
    rate = op.rate_limit
    return EndpointView(
        method=op.method.upper(), path=op.path, operation_id=op.operation_id,
        tag=(spec.get("tags") or ["Endpoints"])[0], summary=str(spec.get("summary", "")),
        description=" ".join(str(spec.get("description") or spec.get("summary") or "").split()),
        authentication=auth, rate_limit=rate.describe() if rate else None,
        path_params=path_params, query_params=query_params, request_body=body_ts,
        responses=responses,
        example_request=_example_request(op, root, path_params, query_params, schemes, body_kind, body_example),
        example_response=to_json(ok.example) if ok else None, example_response_status=ok.status if ok else None,
        error_codes=errors,
    )


# --- AsyncAPI ------------------------------------------------------------------------------

@dataclass
class MessageView:
    name: str
    title: str
    direction: str
    schema: str | None
    example: str | None
    description: str = ""


@dataclass
class ChannelView:
    name: str
    title: str
    endpoint: str
    authentication: str
    purpose: str
    connection: str
    messages: list[MessageView] = field(default_factory=list)
    kind: str = "WebSocket"  # WebSocket | Webhook | the server protocol
    connection_language: str = "javascript"


def _server_host(server: dict) -> str:
    """The server host with `{variables}` replaced by their defaults."""
    variables = server.get("variables") or {}
    return re.sub(r"\{(\w+)\}", lambda m: str((resolve_ref({}, variables.get(m.group(1))) or {}).get("default", m.group(0))),
                  str(server.get("host", "localhost")))


def _ws_snippet(url: str) -> str:
    """The seed's browser connection snippet for a WebSocket channel."""
    return (f"const ws = new WebSocket(\n  `{url}`\n);\n\nws.onopen = () => {{\n  console.log('Connected');\n}};\n\n"
            "ws.onmessage = (event) => {\n  const update = JSON.parse(event.data);\n  console.log('Update:', update);\n};\n\n"
            "ws.onerror = (error) => {\n  console.error('WebSocket error:', error);\n};\n\n"
            "ws.onclose = () => {\n  console.log('Connection closed');\n};")


def _webhook_snippet(host: str, address: str, schemes: list[dict], example: str | None) -> str:
    """What one delivery looks like on the wire, for HTTP(S) callbacks."""
    headers = [f"Host: {host}", "Content-Type: application/json"]
    for scheme in schemes:
        if scheme.get("type") in ("httpApiKey", "apiKey") and scheme.get("in") == "header":
            headers.append(f"{scheme.get('name', 'X-Signature')}: <signature>")
        elif scheme.get("type") == "http":
            headers.append("Authorization: Bearer <token>")
    return f"POST {address} HTTP/1.1\n" + "\n".join(headers) + "\n\n" + (example or "{}")


def _ws_security(root: dict, channel: WsChannel) -> list[dict]:
    reqs = list((channel.server or {}).get("security") or [])
    for op in (root.get("operations") or {}).values():
        if resolve_ref(root, op.get("channel", {})) is channel.spec:
            reqs += op.get("security") or []
    return [s for s in (resolve_ref(root, r) for r in reqs) if isinstance(s, dict)]


def _directions(root: dict, channel: WsChannel) -> dict[str, str]:
    """message name -> 'server → client' (the app sends) or 'client → server' (it receives)."""
    out: dict[str, str] = {}
    for op in (root.get("operations") or {}).values():
        if resolve_ref(root, op.get("channel", {})) is not channel.spec:
            continue
        way = "server → client" if op.get("action") == "send" else "client → server"
        for ref in op.get("messages") or []:
            target = str(ref.get("$ref", "")) if isinstance(ref, dict) else ""
            out[target.rsplit("/", 1)[-1]] = way
    return out


def _ws_example(msg: dict, root: dict) -> Any:
    for ex in msg.get("examples") or []:
        if isinstance(ex, dict) and "payload" in ex:
            return ex["payload"]
    return example_from_schema(msg["payload"], root) if "payload" in msg else None


def channel_view(channel: WsChannel, root: dict) -> ChannelView:
    """Endpoint, authentication, purpose, connection snippet and messages of one AsyncAPI channel."""
    server = channel.server or {}
    proto = str(server.get("protocol", "wss")).lower()
    host = _server_host(server)
    base = f"{proto}://{host}{str(server.get('pathname', '')).rstrip('/')}"
    address = str(channel.address if channel.address.startswith("/") else "/" + channel.address)
    schemes = _ws_security(root, channel)
    query_key = next((s.get("name") for s in schemes if s.get("type") in ("httpApiKey", "apiKey") and s.get("in") == "query"), None)
    if schemes:
        parts = [f"Query parameter {query_key}=[Bearer token]" if query_key and s.get("name") == query_key
                 else describe_scheme(s) for s in schemes]
        auth = "; ".join(dict.fromkeys(parts))
    else:
        auth = "None"
    kind = "WebSocket" if proto in ("ws", "wss") else ("Webhook" if proto in ("http", "https") else proto)
    ways = _directions(root, channel)
    if kind == "Webhook":
        ways = {k: v.replace("server → client", "service → receiver").replace("client → server", "receiver → service")
                for k, v in ways.items()}
    messages = []
    for m in channel.messages:
        spec = m.spec if isinstance(m.spec, dict) else {}
        payload = spec.get("payload")
        example = _ws_example(spec, root)
        messages.append(MessageView(
            name=m.name, title=str(spec.get("title") or spec.get("name") or m.name), direction=ways.get(m.name, ""),
            schema=schema_to_ts(payload, root) if payload is not None else None,
            example=to_json(example) if example is not None else None,
            description=" ".join(str(spec.get("summary") or spec.get("description") or "").split())))
    if kind != "Webhook":
        js_url = base + re.sub(r"\{(\w+)\}", r"${\1}", address) + (f"?{query_key}=${{authToken}}" if query_key else "")
        connection, language = _ws_snippet(js_url), "javascript"
    else:
        connection = _webhook_snippet(host, str(server.get("pathname", "")).rstrip("/") + address, schemes,
                                      messages[0].example if messages else None)
        language = "http"
    return ChannelView(
        name=channel.name, title=re.sub(r"^\s*websocket:\s*", "", str(channel.spec.get("title") or channel.name), flags=re.I), endpoint=base + address,
        authentication=auth,
        purpose=" ".join(str(channel.spec.get("description") or channel.spec.get("summary") or "").split()),
        connection=connection, messages=messages, kind=kind, connection_language=language)
