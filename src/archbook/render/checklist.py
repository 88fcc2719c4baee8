"""The quality checklist's results as the document's Markdown table."""
from __future__ import annotations

from archbook.checklist.registry import CheckResult
from archbook.render import markdown as md

__all__ = ["checklist_table"]


def checklist_table(results: list[CheckResult]) -> str:
    """`| Status | Item | Section | Reason |` with every cell escaped."""
    rows = [[md.Markup("✅ Pass" if r.passed else "❌ Fail"), r.item, r.section, r.reason] for r in results]
    return str(md.table(["Status", "Item", "Section", "Reason"], rows))
