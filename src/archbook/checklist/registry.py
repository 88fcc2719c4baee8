"""The rule registry: one function per checklist item, each returning pass/fail and a reason."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["CheckResult", "Rule", "RULES", "register", "rule", "run_rule", "gaps_reason"]


@dataclass(frozen=True)
class CheckResult:
    """One checklist line. `reason` names exactly what is missing when `passed` is False."""

    item: str
    section: str
    passed: bool
    reason: str
    rule_id: str
    origin: str = "builtin"  # builtin | cross | custom

    def __str__(self) -> str:
        return f"[{'PASS' if self.passed else 'FAIL'}] {self.item}: {self.reason}"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    rule_id: str
    item: str
    section: str
    func: Callable[[Any], Any]
    origin: str = "builtin"


RULES: dict[str, Rule] = {}


def register(name: str, section: str, *, rule_id: str | None = None, origin: str = "builtin"):
    """Decorator adding a built-in rule (`name` is the checklist item shown to readers)."""
    def deco(func):
        rid = rule_id or func.__name__
        RULES[rid] = Rule(rid, name, section, func, origin)
        return func
    return deco


def rule(item: str | None = None, section: str = "custom", *, rule_id: str | None = None):
    """Mark a user's function as a checklist rule (found in the system folder or an entry point).

    The function takes the `SystemModel` and returns `(passed, reason)`, a bool, or a `CheckResult`.
    """
    def deco(func):
        func.__archbook_rule__ = {"item": item, "section": section, "rule_id": rule_id}
        return func
    if callable(item):  # used bare: @rule
        func, item = item, None
        return deco(func)
    return deco


def gaps_reason(gaps: list[str], ok: str, limit: int = 12) -> tuple[bool, str]:
    """(passed, reason): every gap listed (up to `limit`, then a count) or the `ok` summary."""
    if not gaps:
        return True, ok
    shown = "; ".join(gaps[:limit])
    more = f"; and {len(gaps) - limit} more" if len(gaps) > limit else ""
    return False, shown + more


def run_rule(r: Rule, system) -> CheckResult:
    """Run one rule; a rule that raises or returns nonsense is a failed item, never a crash."""
    try:
        out = r.func(system)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 -- a broken (user) rule, even sys.exit(), must not stop the checklist
        return CheckResult(r.item, r.section, False, f"rule {r.rule_id} raised {type(exc).__name__}: {exc}",
                           r.rule_id, r.origin)
    if isinstance(out, CheckResult):
        return out
    if isinstance(out, bool):
        return CheckResult(r.item, r.section, out, "passed" if out else "failed (no reason given)", r.rule_id, r.origin)
    if isinstance(out, tuple) and len(out) == 2 and isinstance(out[0], bool):
        return CheckResult(r.item, r.section, out[0], str(out[1]), r.rule_id, r.origin)
    return CheckResult(r.item, r.section, False,
                       f"rule {r.rule_id} returned {type(out).__name__}; expected (passed, reason), bool or CheckResult",
                       r.rule_id, r.origin)
