"""Plain view objects for one REST endpoint (from OpenAPI); AsyncAPI channels are in asyncapi_views.

Templates only lay these out; every decision (what "authentication" says, which example to
show, which responses are errors) lives here, where it is testable without Jinja.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode, urlparse

from archbook.model.api import Operation, resolve_ref
from archbook.render.schema_text import example_from_schema, schema_to_ts, to_json

__all__ = ["Param", "ResponseView", "EndpointView", "endpoint_view", "describe_scheme", "status_phrase"]


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
