"""One error root for archbook, plus the `Problem` record every check reports.

A user's mistake must surface as a message naming the file, the line, the field,
what is wrong and how to fix it -- never as a traceback. Code that detects a
mistake raises an `ArchbookError` (or collects `Problem`s and raises
`ValidationFailed`); the CLI maps these to exit code 1.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

__all__ = ["ArchbookError", "Problem", "ValidationFailed", "UnsafePathError", "NotebookRunError"]


@dataclass(frozen=True)
class Problem:
    """One finding about a user's input. `line` is 1-based, or None when unknown."""

    file: str
    line: int | None
    field: str
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        hint = f"\n    hint: {self.hint}" if self.hint else ""
        return f"{where}: {self.severity}{field}: {self.message}{hint}"

    def to_dict(self) -> dict:
        return asdict(self)


class ArchbookError(Exception):
    """Root of every error archbook reports to a user (exit code 1, no traceback)."""


class ValidationFailed(ArchbookError):
    """Input had one or more errors; carries all of them, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors) or "validation failed")


class UnsafePathError(ArchbookError):
    """A name would make archbook write outside the chosen output folder."""


class NotebookRunError(ArchbookError):
    """A notebook failed while executing; names the notebook, cell and error."""

    def __init__(self, notebook: str, cell: int | None, error: str, kept: str | None = None):
        self.notebook, self.cell, self.error, self.kept = notebook, cell, error, kept
        where = f"cell {cell}" if cell is not None else "unknown cell"
        msg = f"{notebook}: {where}: {error}"
        if kept:
            msg += f"\n    the failed notebook is kept at {kept}"
        super().__init__(msg)
