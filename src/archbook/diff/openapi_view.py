"""The parts of an OpenAPI document a diff compares, keyed so that two versions line up.

Endpoints are keyed by method and path *shape* (`/jobs/{}`), so renaming a path parameter
is not "endpoint removed + added". Parameters are keyed by (location, name). Schemas stay
JSON Schema nodes; `resolve` follows their `$ref`s inside the same document.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archbook.model.api import HTTP_METHODS, resolve_ref

__all__ = ["Param", "Body", "Response", "Endpoint", "OpenApiView", "view_openapi", "path_shape"]

_PARAM = re.compile(r"\{[^}/]*\}")


def path_shape(path: str) -> str:
    return _PARAM.sub("{}", path)


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: Any
    deprecated: bool = False


@dataclass(frozen=True)
class Body:
    required: bool
    media: dict[str, Any]  # media type -> schema


@dataclass(frozen=True)
class Response:
    media: dict[str, Any]
    headers: dict[str, tuple[bool, Any]]  # name (lower case) -> (required, schema)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    operation_id: str | None
    deprecated: bool
    sunset: str | None  # x-sunset, or the example/default of a `Sunset` response header
    params: dict[tuple[str, str], Param]
    body: Body | None
    responses: dict[str, Response]
    security: tuple[frozenset, ...] | None  # None: public; alternatives of scheme sets otherwise

    @property
    def title(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass
class OpenApiView:
    title: str
    version: str
    endpoints: dict[tuple[str, str], Endpoint]
    resolve: Callable[[Any], Any] = field(repr=False)


def view_openapi(doc: dict) -> OpenApiView:
    info = doc.get("info") or {}
    endpoints = {}
    for path, item in (doc.get("paths") or {}).items():
        item = resolve_ref(doc, item)
        for method in HTTP_METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                ep = _endpoint(doc, method, path, item, item[method])
                endpoints[(method, path_shape(path))] = ep
    return OpenApiView(str(info.get("title", "")), str(info.get("version", "")), endpoints,
                       lambda node: resolve_ref(doc, node))


def _endpoint(doc: dict, method: str, path: str, item: dict, op: dict) -> Endpoint:
    responses = {str(code): _response(doc, resp) for code, resp in (op.get("responses") or {}).items()}
    return Endpoint(method, path, op.get("operationId"), bool(op.get("deprecated")), _sunset(doc, op),
                    _params(doc, item, op), _body(doc, op.get("requestBody")), responses, _security(doc, op))


def _params(doc: dict, item: dict, op: dict) -> dict[tuple[str, str], Param]:
    out = {}
    for raw in list(item.get("parameters") or []) + list(op.get("parameters") or []):  # operation's win
        p = resolve_ref(doc, raw)
        if isinstance(p, dict) and "name" in p:
            loc = str(p.get("in", "query"))
            name = str(p["name"]).lower() if loc == "header" else str(p["name"])
            schema = p.get("schema") or _first_schema(p.get("content"))
            out[(loc, name)] = Param(name, loc, bool(p.get("required")) or loc == "path", schema or {},
                                     bool(p.get("deprecated")))
    return out


def _first_schema(content: Any) -> Any:
    for media in (content or {}).values() if isinstance(content, dict) else ():
        if isinstance(media, dict) and "schema" in media:
            return media["schema"]
    return None


def _media(doc: dict, content: Any) -> dict[str, Any]:
    if not isinstance(content, dict):
        return {}
    return {str(k): (v.get("schema", {}) if isinstance(v, dict) else {}) for k, v in content.items()}


def _body(doc: dict, raw: Any) -> Body | None:
    if raw is None:
        return None
    body = resolve_ref(doc, raw)
    return Body(bool(body.get("required")), _media(doc, body.get("content"))) if isinstance(body, dict) else None


def _response(doc: dict, raw: Any) -> Response:
    resp = resolve_ref(doc, raw)
    resp = resp if isinstance(resp, dict) else {}
    headers = {}
    for name, h in (resp.get("headers") or {}).items():
        h = resolve_ref(doc, h)
        if isinstance(h, dict):
            headers[str(name).lower()] = (bool(h.get("required")), h.get("schema") or {})
    return Response(_media(doc, resp.get("content")), headers)


def _security(doc: dict, op: dict) -> tuple[frozenset, ...] | None:
    reqs = op["security"] if "security" in op else doc.get("security")
    alts = tuple(frozenset(r) for r in (reqs or []) if isinstance(r, dict))
    if not alts or any(not a for a in alts):  # [] or an empty alternative `{}`: anonymous access works
        return None
    return alts


def _sunset(doc: dict, op: dict) -> str | None:
    """The sunset date: `x-sunset` on the operation, else a documented `Sunset` response header (RFC 8594)."""
    if op.get("x-sunset") is not None:
        return str(op["x-sunset"])
    for resp in (op.get("responses") or {}).values():
        resp = resolve_ref(doc, resp)
        for name, h in ((resp.get("headers") or {}).items() if isinstance(resp, dict) else ()):
            h = resolve_ref(doc, h)
            if str(name).lower() == "sunset" and isinstance(h, dict):
                schema = resolve_ref(doc, h.get("schema") or {})
                for value in (h.get("example"), schema.get("default"), schema.get("example"), schema.get("const")):
                    if value is not None:
                        return str(value)
    return None
