"""The quality checklist: the seed's 14 items, cross-artefact rules and users' own rules."""
from __future__ import annotations

from archbook.checklist import builtin  # noqa: F401  (registers the built-in rules)
from archbook.checklist import views_rule  # noqa: F401  (registers "Architecture diagrams limit complexity")
from archbook.checklist.custom import discover, entry_point_rules
from archbook.checklist.registry import RULES, CheckResult, Rule, register, rule, run_rule
from archbook.checklist.report import summary, to_frame

__all__ = ["CheckResult", "Rule", "RULES", "register", "rule", "evaluate", "to_frame",
           "summary", "SEED_ITEMS"]

SEED_ITEMS = builtin.SEED_ITEMS


def evaluate(system, *, include_custom: bool = True, sections: tuple[str, ...] | None = None) -> list[CheckResult]:
    """Every rule's result, in order: the 14 seed items, cross-artefact rules, then custom rules."""
    rules = list(RULES.values())
    if include_custom:
        rules += discover(system.root) + entry_point_rules()
    results = [run_rule(r, system) for r in rules]
    if sections is not None:
        results = [r for r in results if r.section in sections]
    return results
