"""The versioning policy: breaking changes need a new major version and a changelog entry;
a newly deprecated operation needs a sunset at least the notice period away."""
import copy
import datetime as dt

from diffdocs import api_set, policy

from archbook.diff import diff_api_sets
from archbook.diff.policy import add_months, major_of

TODAY = dt.date(2026, 1, 15)


def broken(doc, version):
    new = copy.deepcopy(doc)
    new["info"]["version"] = version
    del new["paths"]["/health"]
    return new


def ids(report):
    return [c.id for c in report.violations]


def test_breaking_change_without_major_bump_exits_1(doc):
    r = diff_api_sets(api_set(doc), api_set(broken(doc, "1.1.0")), today=TODAY)
    assert ids(r) == ["breaking-change-without-major-bump"] and r.exit_code() == 1
    assert r.violations[0].message == "1 breaking change(s) but the major version stays 1 -> 1 (1.1.0)"


def test_major_bump_passes_without_a_policy_file(doc):
    r = diff_api_sets(api_set(doc), api_set(broken(doc, "2.0.0")), today=TODAY)
    assert r.violations == [] and r.exit_code() == 0 and len(r.breaking) == 1
    assert r.exit_code(fail_on="breaking") == 1  # --fail-on still sees the breaking change


def test_major_bump_needs_a_changelog_entry_when_there_is_a_policy(doc):
    r = diff_api_sets(api_set(doc), api_set(broken(doc, "2.0.0"), versioning=policy()), today=TODAY)
    assert ids(r) == ["breaking-change-not-in-changelog"]
    entry = {"version": "2.0.0", "summary": "health check removed", "migration": ["stop calling GET /health"]}
    r = diff_api_sets(api_set(doc), api_set(broken(doc, "2.0.0"), versioning=policy(changelog=[entry])), today=TODAY)
    assert r.violations == [] and r.exit_code() == 0


def test_uri_major_counts_where_the_scheme_says_so(doc):
    old, new = copy.deepcopy(doc), broken(doc, "1.0.0")
    old["servers"] = [{"url": "https://api.example.com/api/v1"}]
    new["servers"] = [{"url": "https://api.example.com/api/v2"}]
    entry = {"version": "v2", "summary": "v2"}
    r = diff_api_sets(api_set(old), api_set(new, versioning=policy(changelog=[entry])), today=TODAY)
    assert r.violations == []


def test_non_breaking_changes_never_need_a_bump(doc):
    new = copy.deepcopy(doc)
    new["paths"]["/more"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    r = diff_api_sets(api_set(doc), api_set(new), today=TODAY)
    assert r.violations == [] and [c.id for c in r.changes] == ["endpoint-added"]


def _deprecate(doc, sunset=None):
    new = copy.deepcopy(doc)
    op = new["paths"]["/health"]["get"]
    op["deprecated"] = True
    if sunset is not None:
        op["x-sunset"] = sunset
    return new


def test_deprecation_needs_a_sunset_far_enough_ahead(doc):
    v = policy()  # 6 months' notice
    assert ids(diff_api_sets(api_set(doc), api_set(_deprecate(doc), versioning=v), today=TODAY)) == \
        ["api-deprecated-sunset-missing"]
    assert ids(diff_api_sets(api_set(doc), api_set(_deprecate(doc, "soon"), versioning=v), today=TODAY)) == \
        ["api-deprecated-sunset-parse"]
    r = diff_api_sets(api_set(doc), api_set(_deprecate(doc, "2026-03-01"), versioning=v), today=TODAY)
    assert ids(r) == ["api-sunset-date-too-small"]
    assert "sooner than the 6-month notice allows (2026-07-15 at the earliest)" in r.violations[0].message
    assert ids(diff_api_sets(api_set(doc), api_set(_deprecate(doc, "2026-08-01"), versioning=v), today=TODAY)) == []


def test_sunset_header_rfc_8594_counts_as_a_sunset(doc):
    new = _deprecate(doc)
    new["paths"]["/health"]["get"]["responses"]["200"]["headers"] = {
        "Sunset": {"schema": {"type": "string", "example": "Sat, 01 Aug 2026 00:00:00 GMT"}}}
    r = diff_api_sets(api_set(doc), api_set(new, versioning=policy()), today=TODAY)
    assert ids(r) == []


def test_helpers():
    assert major_of("v3") == 3 and major_of("2.1.0") == 2 and major_of("draft") is None
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


def test_notice_counts_from_the_deprecation_date_when_stated(doc):
    """Deprecated on 2025-09-01 with a 2026-04-01 sunset: 7 months' notice, though only 2.5 remain today."""
    new = _deprecate(doc, "2026-04-01")
    new["paths"]["/health"]["get"]["x-deprecated-at"] = "2025-09-01"
    assert ids(diff_api_sets(api_set(doc), api_set(new, versioning=policy()), today=TODAY)) == []
    new["paths"]["/health"]["get"]["x-deprecated-at"] = "@1767225600"  # 2026-01-01, RFC 9745 form
    assert ids(diff_api_sets(api_set(doc), api_set(new, versioning=policy()), today=TODAY)) == ["api-sunset-date-too-small"]
