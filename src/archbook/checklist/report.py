"""Checklist results as a Markdown table or a DataFrame."""
from __future__ import annotations

from archbook.checklist.registry import CheckResult
from archbook.render import markdown as md

__all__ = ["checklist_table", "to_frame", "summary"]


def checklist_table(results: list[CheckResult]) -> str:
    """`| Status | Item | Section | Reason |` with every cell escaped."""
    rows = [[md.Markup("✅ Pass" if r.passed else "❌ Fail"), r.item, r.section, r.reason] for r in results]
    return str(md.table(["Status", "Item", "Section", "Reason"], rows))


def to_frame(results: list[CheckResult]):
    import pandas as pd

    cols = ["item", "section", "passed", "reason", "rule_id", "origin"]
    return pd.DataFrame([r.to_dict() for r in results], columns=cols)


def summary(results: list[CheckResult]) -> str:
    failed = sum(not r.passed for r in results)
    return f"{len(results) - failed}/{len(results)} checklist items pass" + (f", {failed} fail" if failed else "")
