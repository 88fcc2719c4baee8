"""patterns.yaml, following the seed's pattern template field for field."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from archbook.model.base import Id, Strict, Text

__all__ = ["CodeSample", "PatternUsage", "Pattern", "PatternsFile", "CATEGORIES"]

CATEGORIES = ("Architectural", "Code-Level", "State Management", "Integration")


class CodeSample(Strict):
    """A code block; `language: mermaid` makes a structure diagram instead of code."""

    language: Text
    code: Text


class PatternUsage(Strict):
    """Where the pattern is used, as references to components (checked to exist)."""

    components: list[Id] = Field(min_length=1)
    description: Text


class Pattern(Strict):
    name: Text
    category: Literal["Architectural", "Code-Level", "State Management", "Integration"]
    intent: Text
    applicability: list[Text] = Field(min_length=1, description="When to use this pattern.")
    rationale: str | None = Field(default=None, description="Why this pattern fits this system.")
    structure: CodeSample
    implementation: CodeSample
    benefits: list[Text] = Field(default_factory=list)
    tradeoffs: list[Text] = Field(default_factory=list)
    usage: list[PatternUsage] = Field(default_factory=list)


class PatternsFile(Strict):
    patterns: list[Pattern] = Field(default_factory=list)
