"""The versioning policy, enforced: breaking changes need a new major version and a changelog
entry; a newly deprecated operation needs a sunset date far enough ahead.

The rules come from versioning.yaml (the seed: "Breaking changes: require new major version,
documented in changelog"; "Announce deprecation 6 months in advance").
"""
from __future__ import annotations

import datetime as dt
import re

from archbook.diff.change import Change
from archbook.diff.openapi import parse_date
from archbook.diff.openapi_view import OpenApiView
from archbook.diff.registry import change, define
from archbook.model.api import HttpApi
from archbook.model.versioning import Versioning

__all__ = ["major_of", "uri_major", "version_violations", "deprecation_violations", "add_months"]

P = "policy"
define("breaking-change-without-major-bump", "breaking", P,
       "a breaking change was made without a new major version", "release it as a new major version", oasdiff=False)
define("breaking-change-not-in-changelog", "breaking", P,
       "a new major version has no changelog entry in versioning.yaml", "add a changelog entry for the version",
       oasdiff=False)
define("api-deprecated-sunset-missing", "breaking", P, "a deprecated operation has no sunset date (x-sunset or a Sunset header)",
       "add x-sunset: YYYY-MM-DD to the operation")
define("api-deprecated-sunset-parse", "breaking", P, "a deprecated operation's sunset date cannot be read",
       "write the sunset as YYYY-MM-DD or an HTTP date")
define("api-sunset-date-too-small", "breaking", P, "a sunset date comes sooner than the policy's notice period",
       "move the sunset date later")

_NUM = re.compile(r"\s*v?(\d+)")


def major_of(version: str | None) -> int | None:
    m = _NUM.match(str(version or ""))
    return int(m.group(1)) if m else None


def uri_major(api: HttpApi | None, scheme: str | None) -> int | None:
    """The highest `{major}` found in the API's paths and server URLs, per the policy's scheme."""
    if api is None or not scheme or "{major}" not in scheme:
        return None
    pattern = re.compile(re.escape(scheme.rstrip("/")).replace(re.escape("{major}"), r"(\d+)"))
    places = [op.path for op in api.operations] + [s.url for s in api.servers]
    found = [int(m.group(1)) for place in places for m in pattern.finditer(place)]
    return max(found) if found else None


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def version_violations(api: str, breaking: int, old: int | None, new: int | None, new_version: str,
                       versioning: Versioning | None) -> list[Change]:
    """Policy changes for one document with `breaking` breaking changes between majors `old` and `new`."""
    if not breaking:
        return []
    if old is None or new is None or new <= old:
        shown = f"{old if old is not None else '?'} -> {new if new is not None else '?'}"
        return [change("breaking-change-without-major-bump", api,
                       f"{breaking} breaking change(s) but the major version stays {shown} ({new_version or 'no version'})")]
    if versioning is not None and not any(major_of(e.version) == new for e in versioning.changelog):
        return [change("breaking-change-not-in-changelog", api,
                       f"version {new_version} has breaking changes but versioning.yaml has no changelog entry for it")]
    return []


def deprecation_violations(old: OpenApiView | None, new: OpenApiView, versioning: Versioning | None,
                           today: dt.date) -> list[Change]:
    """Each operation deprecated in `new` (and not in `old`) must have a sunset after the notice period,
    counted from its deprecation date (`x-deprecated-at` or a `Deprecation` header), else from today."""
    notice = versioning.support.deprecation_notice_months if versioning else 0
    out = []
    for key, ep in new.endpoints.items():
        before = old.endpoints.get(key) if old else None
        if not ep.deprecated or (before is not None and before.deprecated):
            continue
        if ep.sunset is None:
            out.append(change("api-deprecated-sunset-missing", ep.title, "deprecated without a sunset date"))
        elif (sunset := parse_date(ep.sunset)) is None:
            out.append(change("api-deprecated-sunset-parse", ep.title, f"sunset {ep.sunset!r} is not a date"))
        elif sunset < (earliest := add_months(parse_date(ep.deprecated_at) or today, notice)):
            out.append(change("api-sunset-date-too-small", ep.title,
                              f"sunset {sunset} is sooner than the {notice}-month notice allows ({earliest} at the earliest)"))
    return out
