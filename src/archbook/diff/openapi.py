"""OpenAPI change rules: endpoints, parameters, bodies, responses, security and deprecation.

Each rule compares one aspect of two `OpenApiView`s and yields `Change`s. Schemas are
handed to `diff_schema` with the direction that decides their level.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from archbook.diff import schema_checks  # noqa: F401 -- registers the schema check ids
from archbook.diff.change import Change
from archbook.diff.openapi_view import Endpoint, OpenApiView, headers, media, param_schema
from archbook.diff.registry import change, define, rule
from archbook.diff.schema import SchemaContext, Unchanged, diff_schema

__all__ = ["Pair", "diff_openapi", "parse_date"]

A = "openapi"
define("endpoint-added", "info", A, "new endpoint")
define("api-path-removed-without-deprecation", "breaking", A, "a path was removed without being deprecated first",
       "move to the replacement endpoint before upgrading")
define("api-removed-without-deprecation", "breaking", A, "an operation was removed without being deprecated first",
       "move to the replacement endpoint before upgrading")
define("api-removed-before-sunset", "breaking", A, "a deprecated operation was removed before its sunset date",
       "move to the replacement endpoint before upgrading")
define("endpoint-removed-after-sunset", "info", A, "a deprecated operation was removed after its sunset date", oasdiff=False)
define("endpoint-deprecated", "info", A, "operation deprecated", "plan the move before its sunset date")
define("endpoint-reactivated", "info", A, "operation no longer deprecated")
define("request-parameter-removed", "warning", A, "request parameter removed", "stop sending the parameter")
define("new-required-request-parameter", "breaking", A, "new required request parameter", "send the new parameter")
define("new-optional-request-parameter", "info", A, "new optional request parameter")
define("new-request-path-parameter", "breaking", A, "new path parameter", "call the new path")
define("request-parameter-became-required", "breaking", A, "request parameter became required", "always send the parameter")
define("request-parameter-became-optional", "info", A, "request parameter became optional")
define("request-parameter-location-changed", "breaking", A, "request parameter moved (e.g. query to header)",
       "send the parameter in its new place", oasdiff=False)
define("added-required-request-body", "breaking", A, "new required request body", "send the body")
define("added-optional-request-body", "info", A, "new optional request body")
define("request-body-removed", "warning", A, "request body removed", "stop sending the body", oasdiff=False)
define("request-body-became-required", "breaking", A, "request body became required", "always send the body")
define("request-body-became-optional", "info", A, "request body became optional")
define("request-body-media-type-removed", "breaking", A, "request media type no longer accepted", "send a remaining media type")
define("request-body-media-type-added", "info", A, "request accepts a new media type")
define("response-success-status-removed", "breaking", A, "a success status code is no longer returned",
       "handle the remaining success codes")
define("response-success-status-added", "info", A, "new success status code", "handle the new code")
define("response-non-success-status-removed", "info", A, "an error status code is no longer documented")
define("response-non-success-status-added", "info", A, "new error status code", "handle the new code")
define("response-media-type-removed", "breaking", A, "response media type no longer returned", "accept a remaining media type")
define("response-media-type-added", "info", A, "response may use a new media type")
define("required-response-header-removed", "breaking", A, "required response header removed", "stop reading the header")
define("optional-response-header-removed", "warning", A, "optional response header removed", "stop reading the header")
define("response-header-became-optional", "breaking", A, "response header may now be missing", "handle the header being absent")
define("api-security-added", "breaking", A, "the operation needs credentials a client did not need before "
       "(oasdiff reports this as INFO; archbook counts it breaking)", "obtain and send the new credentials")
define("api-security-removed", "info", A, "a security requirement was dropped or relaxed")


class Pair:
    """Two versions of one document, plus what the rules share: the date and the schema memo."""

    def __init__(self, old: OpenApiView, new: OpenApiView, today: dt.date | None = None):
        self.old, self.new = old, new
        self.today = today or dt.date.today()
        self._memo: dict[str, dict] = {"request": {}, "response": {}}
        self._flat: dict = {}  # flattened allOf schemas, shared by every walk of this pair
        self._unchanged = Unchanged(old.api.schemas, new.api.schemas)

    def schemas(self, direction: str) -> SchemaContext:
        return SchemaContext(direction, self.old.resolve, self.new.resolve, self._memo[direction], flat=self._flat,
                             unchanged=self._unchanged)

    def common(self) -> Iterator[tuple[Endpoint, Endpoint]]:
        for key, ep in self.old.endpoints.items():
            if key in self.new.endpoints:
                yield ep, self.new.endpoints[key]


def parse_date(value: str | None) -> dt.date | None:
    """An ISO date, an HTTP date (RFC 8594's Sunset) or `@epoch` seconds (RFC 9745's Deprecation)."""
    if not value:
        return None
    if str(value).startswith("@") and str(value)[1:].isdigit():
        return dt.datetime.fromtimestamp(int(str(value)[1:]), dt.timezone.utc).date()
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime
    try:
        return parsedate_to_datetime(str(value)).date()
    except (TypeError, ValueError):
        return None


@rule(A)
def endpoints_added(p: Pair) -> Iterator[Change]:
    for key in p.new.endpoints.keys() - p.old.endpoints.keys():
        yield change("endpoint-added", p.new.endpoints[key].title, "endpoint added")


@rule(A)
def endpoints_removed(p: Pair) -> Iterator[Change]:
    new_paths = {path for _, path in p.new.endpoints}
    for key in p.old.endpoints.keys() - p.new.endpoints.keys():
        ep = p.old.endpoints[key]
        sunset = parse_date(ep.sunset)
        if ep.deprecated and sunset and sunset <= p.today:
            yield change("endpoint-removed-after-sunset", ep.title, f"removed after its sunset date {sunset}")
        elif ep.deprecated:
            yield change("api-removed-before-sunset", ep.title,
                         f"removed before its sunset date {sunset}" if sunset else "removed, but it had no sunset date")
        elif key[1] not in new_paths:
            yield change("api-path-removed-without-deprecation", ep.title, "path removed without deprecation")
        else:
            yield change("api-removed-without-deprecation", ep.title, "operation removed without deprecation")


@rule(A)
def deprecations(p: Pair) -> Iterator[Change]:
    for old, new in p.common():
        if new.deprecated and not old.deprecated:
            when = f" (sunset {new.sunset})" if new.sunset else ""
            yield change("endpoint-deprecated", new.title, f"deprecated{when}")
        elif old.deprecated and not new.deprecated:
            yield change("endpoint-reactivated", new.title, "no longer deprecated")


@rule(A)
def parameters(p: Pair) -> Iterator[Change]:
    for old, new in p.common():
        yield from _params(p, old, new)


def _params(p: Pair, old: Endpoint, new: Endpoint) -> Iterator[Change]:
    moved = {name for (_, name) in old.params.keys() - new.params.keys()} & \
            {name for (_, name) in new.params.keys() - old.params.keys()}
    for key in old.params.keys() - new.params.keys():
        loc, name = key
        if name in moved:
            to = next(lo for (lo, n) in new.params if n == name)
            yield change("request-parameter-location-changed", f"{new.title} parameter {name}", f"moved from {loc} to {to}")
        else:
            yield change("request-parameter-removed", f"{new.title} parameter {loc}.{name}", f"{loc} parameter {name!r} removed")
    for key in new.params.keys() - old.params.keys():
        if key[1] not in moved:
            yield _param_added(new, new.params[key])
    for key in old.params.keys() & new.params.keys():
        yield from _param_changed(p, new, old.params[key], new.params[key])


def _param_added(ep: Endpoint, param) -> Change:
    where = f"{ep.title} parameter {param.location}.{param.name}"
    if param.location == "path":
        return change("new-request-path-parameter", where, f"path parameter {param.name!r} added")
    kind = "required" if param.required else "optional"
    return change(f"new-{kind}-request-parameter", where, f"{kind} {param.location} parameter {param.name!r} added")


def _param_changed(p: Pair, ep: Endpoint, old, new) -> Iterator[Change]:
    where = f"{ep.title} parameter {new.location}.{new.name}"
    if old.required != new.required:
        became = "required" if new.required else "optional"
        yield change(f"request-parameter-became-{became}", where, f"parameter {new.name!r} became {became}")
    yield from diff_schema(param_schema(old), param_schema(new), p.schemas("request"), where, "request-parameter")


@rule(A)
def request_bodies(p: Pair) -> Iterator[Change]:
    for old, new in p.common():
        yield from _body(p, new.title + " request body", old.op.request_body, new.op.request_body)


def _body(p: Pair, where: str, old, new) -> Iterator[Change]:
    if old is None and new is None:
        return
    if old is None:
        kind = "required" if new.required else "optional"
        yield change(f"added-{kind}-request-body", where, f"{kind} request body added")
        return
    if new is None:
        yield change("request-body-removed", where, "request body removed")
        return
    if old.required != new.required:
        became = "required" if new.required else "optional"
        yield change(f"request-body-became-{became}", where, f"request body became {became}")
    yield from _media(p, where, media(old.content), media(new.content), "request")


def _media(p: Pair, where: str, old: dict, new: dict, direction: str) -> Iterator[Change]:
    prefix = "request-body" if direction == "request" else "response"
    for media in old.keys() - new.keys():
        yield change(f"{prefix}-media-type-removed", f"{where} {media}", f"media type {media} removed")
    for media in new.keys() - old.keys():
        yield change(f"{prefix}-media-type-added", f"{where} {media}", f"media type {media} added")
    for media in [m for m in old if m in new]:
        yield from diff_schema(old[media], new[media], p.schemas(direction), f"{where} {media}", f"{direction}-body")


def _success(status: str) -> bool:
    return status.upper().startswith("2")


@rule(A)
def response_statuses(p: Pair) -> Iterator[Change]:
    for old, new in p.common():
        for status in old.responses.keys() - new.responses.keys():
            kind = "success" if _success(status) else "non-success"
            yield change(f"response-{kind}-status-removed", f"{new.title} response {status}", f"status {status} removed")
        for status in new.responses.keys() - old.responses.keys():
            kind = "success" if _success(status) else "non-success"
            yield change(f"response-{kind}-status-added", f"{new.title} response {status}", f"status {status} added")


@rule(A)
def response_bodies(p: Pair) -> Iterator[Change]:
    for old, new in p.common():
        for status in [s for s in old.responses if s in new.responses]:
            where = f"{new.title} response {status}"
            before, after = old.responses[status], new.responses[status]
            yield from _media(p, where, media(before.content), media(after.content), "response")
            yield from _headers(p, where, headers(before), headers(after))


def _headers(p: Pair, where: str, old: dict, new: dict) -> Iterator[Change]:
    for name in old.keys() - new.keys():
        kind = "required" if old[name][0] else "optional"
        yield change(f"{kind}-response-header-removed", f"{where} header {name}", f"{kind} header {name!r} removed")
    for name in [n for n in old if n in new]:
        if old[name][0] and not new[name][0]:
            yield change("response-header-became-optional", f"{where} header {name}", f"header {name!r} became optional")
        yield from diff_schema(old[name][1], new[name][1], p.schemas("response"), f"{where} header {name}", "response-body")


@rule(A)
def security(p: Pair) -> Iterator[Change]:
    for old, new in p.common():
        if old.security == new.security:
            continue
        stranded = _stranded(old.security, new.security)
        if stranded:
            yield change("api-security-added", f"{new.title} security",
                         f"clients using {stranded} are no longer accepted (now {_alts(new.security)})")
        else:
            yield change("api-security-removed", f"{new.title} security",
                         f"security {_alts(old.security)} -> {_alts(new.security)}")


def _stranded(old, new) -> str | None:
    """An old way in that no new alternative accepts (a new alternative must need a subset of it)."""
    if new is None:
        return None
    for alt in old or (frozenset(),):
        if not any(b <= alt for b in new):
            return " + ".join(sorted(alt)) or "no credentials"
    return None


def _alts(alts) -> str:
    return "public" if alts is None else " or ".join(" + ".join(sorted(a)) for a in alts)


def diff_openapi(old: OpenApiView, new: OpenApiView, today: dt.date | None = None) -> list[Change]:
    from archbook.diff.registry import RULES

    pair = Pair(old, new, today)
    return sorted((c for r in RULES.get(A, []) for c in r(pair)), key=lambda c: c.sort_key)
