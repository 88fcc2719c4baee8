"""5.3's "Changelog and migration guide": the releases from versioning.yaml, then the diff
against the previous version with each breaking change and what a client must do."""
from __future__ import annotations

from archbook.model.versioning import Versioning
from archbook.render.markdown import text

__all__ = ["changelog_doc"]


def _entry(e) -> list[str]:
    when = f" ({e.date.isoformat()})" if e.date else ""
    lines = [f"**{text(e.version)}**{when}: {text(e.summary)}", ""]
    if e.migration:
        lines += ["Migration:", ""] + [f"{i}. {text(step)}" for i, step in enumerate(e.migration, 1)] + [""]
    return lines


def changelog_doc(versioning: Versioning | None, report=None) -> str:
    """Markdown for the changelog (empty when there is neither a changelog nor a diff).

    `report` is an `archbook.diff.DiffReport` against the previous version, when one is known."""
    entries = versioning.changelog if versioning else []
    if not entries and report is None:
        return ""
    lines = ["#### Changelog and migration guide", ""]
    for e in entries:
        lines += _entry(e)
    if report is not None:
        from archbook.diff.writers import write_markdown

        lines.append(write_markdown(report, heading="#####"))
    return "\n".join(lines).rstrip() + "\n"
