"""The normalised `HttpApi`, indexed so that two versions line up for a diff.

Operations are keyed by method and path *shape* (`/jobs/{}`), so renaming a path parameter
is not "endpoint removed + added". Parameters are keyed by (location, name), header names
case-folded; responses by status; media types and headers by name.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from archbook.model.api import UNSET, HttpApi, HttpOperation, Parameter, Response, Schema

__all__ = ["Endpoint", "OpenApiView", "view_openapi", "path_shape", "media", "headers", "param_schema"]

_PARAM = re.compile(r"\{[^}/]*\}")


def path_shape(path: str) -> str:
    return _PARAM.sub("{}", path)


@dataclass(frozen=True)
class Endpoint:
    op: HttpOperation
    params: dict[tuple[str, str], Parameter]
    responses: dict[str, Response]
    sunset: str | None  # x-sunset, or the documented value of a `Sunset` response header (RFC 8594)
    deprecated_at: str | None  # x-deprecated-at, or a `Deprecation` response header (RFC 9745)
    security: tuple[frozenset, ...] | None  # None: anonymous access works; else alternatives of scheme sets

    @property
    def title(self) -> str:
        return self.op.title

    @property
    def deprecated(self) -> bool:
        return self.op.deprecated


@dataclass(frozen=True)
class OpenApiView:
    api: HttpApi
    endpoints: dict[tuple[str, str], Endpoint]

    @property
    def version(self) -> str:
        return self.api.api_version

    @property
    def resolve(self) -> Callable[[str], Schema | None]:
        return self.api.schemas.get


def view_openapi(api: HttpApi) -> OpenApiView:
    return OpenApiView(api, {(op.method, path_shape(op.path)): _endpoint(op) for op in api.operations})


def _endpoint(op: HttpOperation) -> Endpoint:
    params = {(p.location, p.name.lower() if p.location == "header" else p.name): p for p in op.parameters}
    return Endpoint(op, params, {r.status: r for r in op.responses}, sunset=_dated(op, "x-sunset", "sunset"),
                    deprecated_at=_dated(op, "x-deprecated-at", "deprecation"), security=_security(op))


def param_schema(p: Parameter) -> Schema | None:
    return p.schema if p.schema is not None else next((m.schema for m in p.content if m.schema is not None), None)


def media(content) -> dict[str, Schema | None]:
    return {m.media_type: m.schema for m in content}


def headers(resp: Response) -> dict[str, tuple[bool, Schema | None]]:
    return {h.name.lower(): (h.required, h.schema) for h in resp.headers}


def _security(op: HttpOperation) -> tuple[frozenset, ...] | None:
    alts = tuple(frozenset(use.scheme for use in req.schemes) for req in op.security)
    if not alts or any(not a for a in alts):  # none, or an empty alternative `{}`: anonymous access works
        return None
    return alts


def _dated(op: HttpOperation, extension: str, header: str) -> str | None:
    """A date the operation states: its extension, else the documented value of a response header."""
    if op.extensions.get(extension) is not None:
        return str(op.extensions[extension])
    for resp in op.responses:
        for h in resp.headers:
            if h.name.lower() == header:
                values = [ex.value for ex in h.examples]
                if h.schema is not None:
                    values += [h.schema.default, h.schema.const, h.schema.example]
                found = next((v for v in values if v is not UNSET and v is not None), None)
                if found is not None:
                    return str(found)
    return None
