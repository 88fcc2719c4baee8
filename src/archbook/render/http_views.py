"""Plain view objects for one REST operation, read from the normalised `HttpApi` model.

Templates only lay these out; every decision (how security alternatives read, which example
to show, how a form body looks, which responses are errors) lives here, testable without Jinja.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode, urlparse

from archbook.model.api import (
    UNSET, Callback, Example, HttpApi, HttpOperation, MediaType, Parameter, Response, Schema, SecurityRequirement,
    SecurityScheme,
)
from archbook.render.types_text import constraints, example_value, to_json, ts_type

__all__ = ["ParamView", "MediaView", "HeaderView", "ResponseView", "EndpointView", "endpoint_view", "status_phrase",
           "describe_scheme", "scheme_details", "LOCATIONS"]

LOCATIONS = (("path", "Path Parameters"), ("query", "Query Parameters"), ("header", "Header Parameters"),
             ("cookie", "Cookie Parameters"))


@dataclass
class ParamView:
    name: str
    type: str
    required: bool
    description: str
    facts: list[str] = field(default_factory=list)  # default, enum, limits, pattern, style
    deprecated: bool = False
    example: Any = None


@dataclass
class MediaView:
    media_type: str
    schema: str | None
    example: str | None
    language: str
    is_form: bool = False
    example_name: str | None = None
    more_examples: list[tuple[str, str]] = field(default_factory=list)  # (label, text) of further examples


@dataclass
class HeaderView:
    name: str
    type: str
    description: str
    required: bool = False
    deprecated: bool = False


@dataclass
class ResponseView:
    status: str
    phrase: str
    description: str
    media: list[MediaView] = field(default_factory=list)
    headers: list[HeaderView] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # name, kind, target, params, body, description
    is_error: bool = False

    @property
    def label(self) -> str:
        return "Error" if self.is_error else "Success"


@dataclass
class EndpointView:
    method: str
    path: str
    operation_id: str | None
    tag: str
    summary: str
    description: str
    deprecated: bool
    authentication: str
    security_alternatives: list[str]
    rate_limit: str | None
    params: dict[str, list[ParamView]]
    body_description: str
    body_required: bool
    body: list[MediaView]
    responses: list[ResponseView]
    example_request: str
    example_response: str | None
    example_response_status: str | None
    error_codes: list[tuple[str, str, str]]
    callbacks: list[tuple[str, str, list["EndpointView"]]] = field(default_factory=list)
    external_docs: str | None = None

    @property
    def title(self) -> str:
        return f"{self.method} {self.path}"


def _one_line(text: str | None) -> str:
    return " ".join(str(text or "").split())


def status_phrase(code: str) -> str:
    try:
        return HTTPStatus(int(code)).phrase
    except ValueError:
        return {"1XX": "Informational", "2XX": "Success", "3XX": "Redirection", "4XX": "Client error",
                "5XX": "Server error", "DEFAULT": "Any other status"}.get(str(code).upper(), "")


# ---------------------------------------------------------------------------- security
def describe_scheme(scheme: SecurityScheme | None, name: str, scopes: tuple[str, ...] = ()) -> str:
    """A scheme in the seed's words: 'Bearer token (JWT)', 'API key in header `X-Key`', 'OAuth 2.0 (scopes: a, b)'."""
    if scheme is None:
        return f"{name} (undefined scheme)"
    kind, how = scheme.type, ""
    if kind == "http" and (scheme.scheme or "").lower() == "bearer":
        how = f"Bearer token ({scheme.bearer_format})" if scheme.bearer_format else "Bearer token"
    elif kind == "http":
        how = f"HTTP {(scheme.scheme or '').capitalize()}"
    elif kind == "apiKey":
        how = f"API key in {scheme.location or 'header'} `{scheme.parameter_name or '?'}`"
    else:
        how = {"oauth2": "OAuth 2.0", "openIdConnect": "OpenID Connect", "mutualTLS": "Mutual TLS"}.get(kind, kind)
    return how + (f" (scopes: {', '.join(scopes)})" if scopes else "")


def _requirement(req: SecurityRequirement, api: HttpApi) -> str:
    return " + ".join(describe_scheme(api.security_schemes.get(u.scheme), u.scheme, u.scopes) for u in req.schemes)


def _auth(op: HttpOperation, api: HttpApi) -> tuple[str, list[str]]:
    """('Required (Bearer token)', []) for one requirement; ('Required, one of:', [alternatives]) for several."""
    named = [r for r in op.security if r.schemes]
    if not named:
        return "None", []
    lead = "Optional" if len(named) < len(op.security) else "Required"
    if len(named) == 1:
        return f"{lead} ({_requirement(named[0], api)})", []
    return f"{lead}, one of:", [_requirement(r, api) for r in named]


def scheme_details(name: str, scheme: SecurityScheme) -> list[str]:
    """Lines for the API's security-schemes list: flows, URLs and every scope."""
    lines = [f"{describe_scheme(scheme, name)}" + (f": {_one_line(scheme.description)}" if scheme.description else "")]
    if scheme.open_id_connect_url:
        lines.append(f"OpenID Connect discovery: {scheme.open_id_connect_url}")
    for flow in scheme.flows:
        urls = [f"{label} {url}" for label, url in (("authorization", flow.authorization_url),
                                                   ("token", flow.token_url), ("refresh", flow.refresh_url)) if url]
        lines.append(f"flow `{flow.kind}`" + (f" ({'; '.join(urls)})" if urls else ""))
        lines += [f"  scope `{s}`: {_one_line(d)}" for s, d in flow.scopes.items()]
    return lines


# ---------------------------------------------------------------------------- parameters
def _param_facts(p: Parameter) -> list[str]:
    s = p.schema or Schema()
    facts = constraints(s)
    if s.enum is not None and len(s.enum) > 0 and s.ref is None:
        facts.insert(0, "one of " + ", ".join(f"`{v}`" for v in s.enum))
    if s.items is not None and s.items.enum:
        facts.insert(0, "items one of " + ", ".join(f"`{v}`" for v in s.items.enum))
    if p.style or p.explode is not None:
        facts.append(f"style {p.style or 'default'}" + ("" if p.explode is None else f", explode {str(p.explode).lower()}"))
    facts += [f for f, on in (("empty value allowed", p.allow_empty_value), ("reserved characters allowed", p.allow_reserved)) if on]
    return facts


def _first_example(examples: tuple[Example, ...]) -> Any:
    return next((e.value for e in examples if e.value is not UNSET), UNSET)


def _param(p: Parameter, api: HttpApi) -> ParamView:
    schema = p.schema or (p.content[0].schema if p.content else None)
    example = _first_example(p.examples)
    if example is UNSET and schema is not None and (schema.example is not UNSET or schema.default is not UNSET or schema.ref):
        example = example_value(schema, api)
    return ParamView(p.name, _one_line(ts_type(schema)) if schema is not None else "string", p.required,
                     _one_line(p.description), _param_facts(p), p.deprecated, None if example is UNSET else example)


# ---------------------------------------------------------------------------- bodies
def _language(media_type: str) -> str:
    kind = media_type.split(";")[0].strip().lower()
    if "json" in kind:
        return "json"
    if "xml" in kind:
        return "xml"
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return "http"
    if "yaml" in kind:
        return "yaml"
    return "text"


def _example_text(value: Any, m: MediaType) -> str:
    kind = m.media_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded" and isinstance(value, dict):
        return urlencode({k: v if isinstance(v, (str, int, float)) else to_json(v) for k, v in value.items()})
    if kind == "multipart/form-data" and isinstance(value, dict):
        return _multipart(value, m)
    if isinstance(value, str) and "json" not in kind:
        return value
    return to_json(value)


def _multipart(value: dict, m: MediaType) -> str:
    types = {e.property: e.content_type for e in m.encoding if e.content_type}
    parts = []
    for name, v in value.items():
        ctype = types.get(name)
        binary = isinstance(v, str) and v == "<binary>"
        head = f'Content-Disposition: form-data; name="{name}"' + (f'; filename="{name}"' if binary else "")
        head += f"\nContent-Type: {ctype}" if ctype else ""
        parts.append(f"--boundary\n{head}\n\n{v if isinstance(v, str) else to_json(v)}")
    return "\n".join(parts) + "\n--boundary--"


def _media(m: MediaType, api: HttpApi, synthesize: bool = True) -> MediaView:
    """`synthesize`: make an example from the schema when the source gives none (bodies, successes)."""
    named = [e for e in m.examples if e.value is not UNSET]
    language = _language(m.media_type)
    if named:
        value, label = named[0].value, named[0].summary or named[0].name or None
    elif synthesize and m.schema is not None and language in ("json", "http"):
        value, label = example_value(m.schema, api), None
    else:
        value, label = UNSET, None
    text = None if value is UNSET else _example_text(value, m)
    more = [(e.summary or e.name, _example_text(e.value, m)) for e in named[1:]]
    more += [(e.summary or e.name, f"(external example: {e.external_value})") for e in m.examples if e.external_value]
    return MediaView(m.media_type, ts_type(m.schema) if m.schema is not None else None, text, language,
                     m.is_form, label, more)


def _primary(media: list[MediaView]) -> MediaView | None:
    return next((m for m in media if m.language == "json"), media[0] if media else None)


# ---------------------------------------------------------------------------- responses
def _response(r: Response, api: HttpApi) -> ResponseView:
    headers = [HeaderView(h.name, _one_line(ts_type(h.schema)) if h.schema else "string", _one_line(h.description),
                          h.required, h.deprecated) for h in r.headers]
    links = [{"name": link.name, "kind": "operation" if link.operation_id else "operationRef",
              "target": link.operation_id or link.operation_ref or "",
              "params": ", ".join(f"{k} = {v}" for k, v in link.parameters.items()),
              "body": None if link.request_body is UNSET else to_json(link.request_body),
              "description": _one_line(link.description)} for link in r.links]
    media = [_media(m, api, not r.is_error) for m in r.content]
    if r.is_error:  # its named examples are the rows of the error table
        for m in media:
            m.more_examples = []
    return ResponseView(r.status, status_phrase(r.status), _one_line(r.description), media, headers, links, r.is_error)


def _error_rows(op: HttpOperation) -> list[tuple[str, str, str]]:
    """Seed convention: each example of an error response is one message (summary = Message, description = when)."""
    rows = []
    for r in op.responses:
        if not r.is_error:
            continue
        examples = next((m.examples for m in r.content if any(e.name for e in m.examples)), ())
        named = [e for e in examples if e.name]
        if not named:
            rows.append((r.status, status_phrase(r.status) or _one_line(r.description), _one_line(r.description)))
        for e in named:
            rows.append((r.status, _one_line(e.summary or e.name), _one_line(e.description)) if e.description
                        else (r.status, status_phrase(r.status) or _one_line(e.summary), _one_line(e.summary)))
    return rows


# ---------------------------------------------------------------------------- example request
def _host_and_prefix(op: HttpOperation, api: HttpApi) -> tuple[str, str]:
    servers = op.servers or api.servers
    url = servers[0].url if servers else ""
    if servers:
        url = re.sub(r"\{(\w+)\}", lambda m: str((servers[0].variables.get(m.group(1)) or {}).get("default", m.group(1))), url)
    parsed = urlparse(url)
    return parsed.netloc or "localhost", parsed.path.rstrip("/") if parsed.netloc else url.rstrip("/")


def _auth_headers(op: HttpOperation, api: HttpApi, query: dict, headers: list[str]) -> None:
    first = next((r for r in op.security if r.schemes), None)
    for use in first.schemes if first else ():
        scheme = api.security_schemes.get(use.scheme)
        kind = scheme.type if scheme else ""
        if kind == "http" and (scheme.scheme or "").lower() == "basic":
            headers.append("Authorization: Basic dXNlcjpwYXNzd29yZA==")
        elif kind in ("http", "oauth2", "openIdConnect"):
            headers.append("Authorization: Bearer eyJhbGciOiJIUzI1NiIs...")
        elif kind == "apiKey" and scheme.location == "header":
            headers.append(f"{scheme.parameter_name or 'X-API-Key'}: <api-key>")
        elif kind == "apiKey" and scheme.location == "query":
            query[scheme.parameter_name or "api_key"] = "<api-key>"
        elif kind == "apiKey" and scheme.location == "cookie":
            headers.append(f"Cookie: {scheme.parameter_name or 'session'}=<api-key>")


def _example_request(op: HttpOperation, api: HttpApi, params: dict[str, list[ParamView]], body: MediaView | None) -> str:
    host, prefix = _host_and_prefix(op, api)
    path = op.path
    for p in params["path"]:
        if p.example is not None:
            path = path.replace(f"{{{p.name}}}", str(p.example))
    query: dict[str, Any] = {p.name: p.example for p in params["query"] if p.example is not None and p.required}
    headers = [f"Host: {host}"] + [f"{p.name}: {p.example}" for p in params["header"] if p.example is not None and p.required]
    _auth_headers(op, api, query, headers)
    target = prefix + path + (f"?{urlencode(query, safe='<>-')}" if query else "")
    text = f"{op.method.upper()} {target} HTTP/1.1\n" + "\n".join(headers)
    if body is not None:
        ctype = body.media_type + ("; boundary=boundary" if body.media_type.startswith("multipart/") else "")
        text += f"\nContent-Type: {ctype}" + (f"\n\n{body.example}" if body.example is not None else "")
    return text


def endpoint_view(op: HttpOperation, api: HttpApi) -> EndpointView:
    """Everything the endpoint template shows, from one normalised operation."""
    params = {loc: [_param(p, api) for p in op.parameters if p.location == loc] for loc, _ in LOCATIONS}
    body = [_media(m, api) for m in op.request_body.content] if op.request_body else []
    responses = [_response(r, api) for r in op.responses]
    ok = next((r for r in responses if r.status.startswith("2") and _primary(r.media) and _primary(r.media).example), None)
    auth, alternatives = _auth(op, api)
    rate = op.rate_limit
    return EndpointView(
        method=op.method.upper(), path=op.path, operation_id=op.operation_id, tag=(op.tags or ("Endpoints",))[0],
        summary=_one_line(op.summary), description=_one_line(op.description or op.summary), deprecated=op.deprecated,
        authentication=auth, security_alternatives=alternatives, rate_limit=rate.describe() if rate else None,
        params=params, body_description=_one_line(op.request_body.description) if op.request_body else "",
        body_required=bool(op.request_body and op.request_body.required), body=body, responses=responses,
        example_request=_example_request(op, api, params, _primary(body)),
        example_response=_primary(ok.media).example if ok else None, example_response_status=ok.status if ok else None,
        error_codes=_error_rows(op), callbacks=[_callback(cb, api) for cb in op.callbacks], external_docs=op.external_docs)


def _callback(cb: Callback, api: HttpApi) -> tuple[str, str, list[EndpointView]]:
    return cb.name, cb.expression, [endpoint_view(op, api) for op in cb.operations]
