"""The check registry: every change kind archbook can report, with its id, level and meaning.

Checks are data (id, level, description, hint); rules are small functions that find changes
and name a check by id. The README's rule table is generated from `CHECKS`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from archbook.diff.change import Change, Level

__all__ = ["Check", "CHECKS", "RULES", "define", "rule", "change", "checks_table"]


@dataclass(frozen=True)
class Check:
    id: str
    level: Level
    api: str  # openapi | asyncapi | graphql | policy
    description: str
    hint: str = ""  # the default migration advice for a client
    oasdiff: bool = True  # False for archbook's own ids (no oasdiff equivalent)


CHECKS: dict[str, Check] = {}
# api kind -> rule functions (old, new, ctx) -> Iterable[Change]
RULES: dict[str, list[Callable[..., Iterable[Change]]]] = {}


def define(id: str, level: Level, api: str, description: str, hint: str = "", *, oasdiff: bool = True) -> Check:
    """Register one check id; redefining an id with a different meaning is a programming error."""
    check = Check(id, level, api, description, hint, oasdiff)
    if id in CHECKS and CHECKS[id] != check:
        raise ValueError(f"check {id} defined twice")
    CHECKS[id] = check
    return check


def rule(api: str):
    """Decorator adding a rule function for documents of kind `api`."""
    def deco(func):
        RULES.setdefault(api, []).append(func)
        return func
    return deco


def change(id: str, location: str, message: str, hint: str | None = None, *, api: str | None = None) -> Change:
    """A `Change` for a registered check id: level, api and default hint come from the registry.

    `api` overrides the document kind, for checks shared across kinds (AsyncAPI payloads reuse
    the schema checks)."""
    check = CHECKS[id]
    return Change(id, check.level, api or check.api, location, message, check.hint if hint is None else hint)


def checks_table() -> str:
    """The Markdown table of every check, generated for the README."""
    from archbook.render.markdown import cell

    rows = ["| id | level | api | meaning |", "|---|---|---|---|"]
    for c in sorted(CHECKS.values(), key=lambda c: (c.api, c.id)):
        mark = "" if c.oasdiff else " ¹"
        rows.append(f"| `{c.id}`{mark} | {c.level} | {c.api} | {cell(c.description)} |")
    return "\n".join(rows)
