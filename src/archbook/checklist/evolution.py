"""With a previous version to compare against, "Breaking change policy defined" becomes
"Breaking change policy honoured": the diff's policy verdict replaces the static check."""
from __future__ import annotations

from dataclasses import replace

from archbook.checklist.builtin import SEED_ITEMS
from archbook.checklist.registry import CheckResult, gaps_reason

__all__ = ["HONOURED", "honour"]

HONOURED = "Breaking change policy honoured"


def honour(results: list[CheckResult], report) -> list[CheckResult]:
    """`results` with the breaking-change item judged by `report` (an `archbook.diff.DiffReport`)."""
    return [_judged(r, report) if r.item == SEED_ITEMS[13] else r for r in results]


def _judged(defined: CheckResult, report) -> CheckResult:
    if not defined.passed:
        return replace(defined, item=HONOURED, reason=f"{defined.reason} (so it cannot be honoured)")
    gaps = [f"{v.location}: {v.message}" for v in report.violations]
    n = len(report.breaking)
    ok = (f"{n} breaking change(s) since {report.old}, released as a new major version and in the changelog"
          if n else f"no breaking changes since {report.old}")
    passed, reason = gaps_reason(gaps, ok)
    return replace(defined, item=HONOURED, passed=passed, reason=reason)
