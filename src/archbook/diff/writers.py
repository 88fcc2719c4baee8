"""One change list, five outputs: text, JSON, Markdown (a changelog), JUnit XML and GitHub annotations.

Every writer reads the same `DiffReport`, so CI and the document never disagree. User text
is escaped where it lands: Markdown through `render.markdown`, XML through `xml.sax.saxutils`,
GitHub workflow commands through their `%`-encoding.
"""
from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from archbook.diff.change import Change
from archbook.diff.engine import DiffReport
from archbook.render.markdown import cell, inline_code, table, text

__all__ = ["WRITERS", "write_text", "write_json", "write_markdown", "write_junit", "write_github"]


def _summary(r: DiffReport) -> str:
    return (f"{r.count('breaking')} breaking, {r.count('warning')} warning(s), {r.count('info')} info; "
            f"{len(r.violations)} policy violation(s)")


def write_text(r: DiffReport) -> str:
    lines = [f"{r.old} -> {r.new}"]
    lines += [f"  {api}: {a or '?'} -> {b or '?'}" for api, (a, b) in r.versions.items()]
    lines += [f"{c}" + (f"\n    client: {c.hint}" if c.hint and c.level != "info" else "") for c in r.changes]
    lines += [f"POLICY {c}" + (f"\n    fix: {c.hint}" if c.hint else "") for c in r.violations]
    lines.append(_summary(r))
    return "\n".join(lines)


def write_json(r: DiffReport) -> str:
    return json.dumps(r.to_dict(), indent=2, ensure_ascii=False)


def _rows(changes: list[Change]) -> list[list]:
    return [[inline_code(c.id), cell(c.api), cell(c.location), cell(c.message), cell(c.hint or "")] for c in changes]


def write_markdown(r: DiffReport, heading: str = "###") -> str:
    """A changelog: breaking changes first, each with what a client must do (the migration guide)."""
    out = [f"{heading} Changes from {text(r.old)} to {text(r.new)}", "", text(_summary(r)) + "", ""]
    if r.violations:
        out += [f"{heading}# Policy violations", "", str(table(["check", "api", "where", "what", "fix"], _rows(r.violations))), ""]
    titles = {"breaking": "Breaking changes (migration guide)", "warning": "Changes to check", "info": "Other changes"}
    for level, title in titles.items():
        picked = [c for c in r.changes if c.level == level]
        if picked:
            out += [f"{heading}# {title}", "", str(table(["check", "api", "where", "what", "client action"], _rows(picked))), ""]
    if not r.changes:
        out += ["No API changes.", ""]
    return "\n".join(out)


def write_junit(r: DiffReport) -> str:
    """One test case per change and per violation; violations fail, and so do the breaking changes
    of a document that broke the policy (a major bump makes them pass)."""
    unbumped = {v.location for v in r.violations if v.id.startswith("breaking-change-")}
    items = [(c, c.level == "breaking" and c.api in unbumped) for c in r.changes] + [(c, True) for c in r.violations]
    failures = sum(1 for _, failed in items if failed)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="archbook diff" tests="{len(items)}" failures="{failures}">',
           f'  <testsuite name={quoteattr(f"{r.old} -> {r.new}")} tests="{len(items)}" failures="{failures}">']
    for c, failed in items:
        name = quoteattr(f"{c.id} {c.location}")
        body = f"{c.level}: {c.message}" + (f" (fix: {c.hint})" if c.hint else "")
        if failed:
            out.append(f'    <testcase classname={quoteattr(c.api)} name={name}>'
                       f'<failure type={quoteattr(c.id)} message={quoteattr(c.message)}>{escape(body)}</failure></testcase>')
        else:
            out.append(f'    <testcase classname={quoteattr(c.api)} name={name}><system-out>{escape(body)}</system-out></testcase>')
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out)


def _gh(value: str, prop: bool = False) -> str:
    """GitHub workflow-command encoding (properties also encode `:` and `,`)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def write_github(r: DiffReport, files: dict[str, str] | None = None) -> str:
    """`::error`/`::warning`/`::notice` lines that GitHub Actions shows on the pull request."""
    command = {"breaking": "error", "warning": "warning", "info": "notice"}
    lines = []
    for c in r.violations + r.changes:
        doc = c.location if c.api == "policy" else c.api  # a version violation is located at its document
        where = f"file={_gh(files[doc], True)}," if files and doc in files else ""
        lines.append(f"::{command[c.level]} {where}title={_gh(c.id, True)}::{_gh(f'{c.location}: {c.message}')}")
    return "\n".join(lines)


WRITERS = {"text": write_text, "json": write_json, "markdown": write_markdown, "junit": write_junit, "github": write_github}
