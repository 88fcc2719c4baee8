"""The change record: one difference between two versions of an API, with how much it matters.

Every rule returns these and every writer reads them, so text, JSON, Markdown, JUnit and
GitHub annotations always tell the same story.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

__all__ = ["Change", "Level", "LEVELS", "level_rank"]

Level = Literal["breaking", "warning", "info"]
# Ordered from least to most severe; `--fail-on LEVEL` fails on that level and above.
LEVELS: tuple[Level, ...] = ("info", "warning", "breaking")


def level_rank(level: str) -> int:
    return LEVELS.index(level)


@dataclass(frozen=True)
class Change:
    """One classified change. `id` is a check id (oasdiff's vocabulary where oasdiff has one)."""

    id: str
    level: Level
    api: str  # which document: "openapi", "asyncapi", "graphql"
    location: str  # operation, parameter, schema path, channel, message or field
    message: str
    hint: str = ""  # what a client must do (the migration guide line)

    def __str__(self) -> str:
        return f"{self.level} [{self.id}] {self.api} {self.location}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def sort_key(self) -> tuple:
        return (-level_rank(self.level), self.api, self.location, self.id, self.message)
