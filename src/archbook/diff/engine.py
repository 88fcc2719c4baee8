"""Compare two versions of a system's APIs and apply the versioning policy: one `DiffReport`.

The report holds the classified changes of every document and the policy violations; its
`exit_code` is what `archbook diff` returns (0 fine, 1 policy violated or `--fail-on` hit).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from archbook.diff.asyncapi import diff_asyncapi, view_asyncapi
from archbook.diff.change import Change, level_rank
from archbook.diff.graphql import diff_graphql
from archbook.diff.openapi import diff_openapi
from archbook.diff.openapi_view import view_openapi
from archbook.diff.policy import deprecation_violations, major_of, uri_major, version_violations
from archbook.model.apiset import ApiSet

__all__ = ["DiffReport", "diff_api_sets"]


@dataclass
class DiffReport:
    old: str
    new: str
    changes: list[Change]
    violations: list[Change]
    versions: dict[str, tuple[str, str]] = field(default_factory=dict)  # api -> (old version, new version)

    def count(self, level: str) -> int:
        return sum(1 for c in self.changes if c.level == level)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.level == "breaking"]

    def exit_code(self, fail_on: str | None = None) -> int:
        """1 when the policy is violated, or any change reaches `fail_on`; else 0."""
        if self.violations:
            return 1
        if fail_on and any(level_rank(c.level) >= level_rank(fail_on) for c in self.changes):
            return 1
        return 0

    def to_dict(self) -> dict:
        return {"old": self.old, "new": self.new, "ok": not self.violations,
                "versions": {k: {"old": a, "new": b} for k, (a, b) in self.versions.items()},
                "summary": {lvl: self.count(lvl) for lvl in ("breaking", "warning", "info")},
                "changes": [c.to_dict() for c in self.changes], "violations": [c.to_dict() for c in self.violations]}


def _majors(api: str, doc, version: str, s: ApiSet) -> int | None:
    scheme = s.versioning.scheme if s.versioning else None
    found = uri_major(doc, scheme) if api == "openapi" else None
    if found is None:
        found = major_of(version)
    if found is None and s.versioning:  # no version of its own (GraphQL): the policy's current version
        found = major_of(s.versioning.support.current_version)
    return found


def _policy_version(s: ApiSet) -> str:
    """A document without a version of its own (GraphQL) goes by the policy's current version."""
    return s.versioning.support.current_version if s.versioning else ""


def diff_api_sets(old: ApiSet, new: ApiSet, today: dt.date | None = None) -> DiffReport:
    """Every change between the API documents present in both versions, plus the policy verdict."""
    today = today or dt.date.today()
    changes: list[Change] = []
    violations: list[Change] = []
    versions: dict[str, tuple[str, str]] = {}
    for api, (found, oldv, newv, o_doc, n_doc) in _compare(old, new, today).items():
        changes += found
        versions[api] = (oldv, newv)
        breaking = sum(1 for c in found if c.level == "breaking")
        violations += version_violations(api, breaking, _majors(api, o_doc, oldv, old), _majors(api, n_doc, newv, new),
                                         newv, new.versioning)
    if new.http_api is not None:
        violations += deprecation_violations(view_openapi(old.http_api) if old.http_api else None,
                                             view_openapi(new.http_api), new.versioning, today)
    key = lambda c: c.sort_key  # noqa: E731
    return DiffReport(old.label, new.label, sorted(changes, key=key), sorted(violations, key=key), versions)


def _compare(old: ApiSet, new: ApiSet, today: dt.date) -> dict:
    """api -> (changes, old version, new version, old doc, new doc) for documents on both sides."""
    out = {}
    if old.http_api is not None and new.http_api is not None:
        o, n = view_openapi(old.http_api), view_openapi(new.http_api)
        out["openapi"] = (diff_openapi(o, n, today), o.version, n.version, old.http_api, new.http_api)
    if old.event_api is not None and new.event_api is not None:
        o, n = view_asyncapi(old.event_api, old.async_schemas), view_asyncapi(new.event_api, new.async_schemas)
        out["asyncapi"] = (diff_asyncapi(o, n), o.version, n.version, None, None)
    if old.graphql is not None and new.graphql is not None:
        out["graphql"] = (diff_graphql(old.graphql, new.graphql), _policy_version(old), _policy_version(new), None, None)
    return out
