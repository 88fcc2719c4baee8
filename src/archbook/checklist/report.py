"""Checklist results as a DataFrame or a one-line summary (the Markdown table is `archbook.render.checklist_table`)."""
from __future__ import annotations

from archbook.checklist.registry import CheckResult

__all__ = ["to_frame", "summary"]


def to_frame(results: list[CheckResult]):
    import pandas as pd

    cols = ["item", "section", "passed", "reason", "rule_id", "origin"]
    return pd.DataFrame([r.to_dict() for r in results], columns=cols)


def summary(results: list[CheckResult]) -> str:
    failed = sum(not r.passed for r in results)
    return f"{len(results) - failed}/{len(results)} checklist items pass" + (f", {failed} fail" if failed else "")
