"""versioning.yaml: the API versioning strategy, with support periods as numbers so they can be checked."""
from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from archbook.model.base import Strict, Text

__all__ = ["ChangelogEntry", "SupportPolicy", "Versioning"]


class SupportPolicy(Strict):
    current_version: Text = Field(description="e.g. v1")
    previous_supported_months: int = Field(ge=0, description="How long the previous version stays supported.")
    sunset_months: int = Field(ge=0, description="Warning period before a deprecated version is removed.")
    deprecation_notice_months: int = Field(ge=0, description="How far in advance a deprecation is announced.")


class ChangelogEntry(Strict):
    """One released API version: what changed, and what a client must do about it."""

    version: Text = Field(description="The API version, e.g. 2.0.0 (its major is what the policy checks).")
    date: dt.date | None = None
    summary: Text
    migration: list[Text] = Field(default_factory=list, description="Steps a client takes to move to this version.")
    previous: str | None = Field(default=None, description="The version compared against: a folder relative to "
                                 "the system (history/0.9.0) or a git revision (git:v0.9.0).")


class Versioning(Strict):
    approach: Text = Field(description="e.g. URI versioning (/api/v1/...)")
    scheme: str | None = Field(default=None, description="e.g. /api/v{major}/")
    rationale: list[Text] = Field(min_length=1)
    support: SupportPolicy
    breaking_changes: list[Text] = Field(min_length=1, description="Policy for breaking changes.")
    non_breaking_changes: list[Text] = Field(default_factory=list)
    deprecation_process: list[Text] = Field(min_length=1, description="Ordered steps.")
    changelog: list[ChangelogEntry] = Field(default_factory=list, description="Released versions, newest first.")

    @model_validator(mode="after")
    def _notice_covers_sunset(self) -> "Versioning":
        if self.support.deprecation_notice_months < self.support.sunset_months:
            raise ValueError(
                "support.deprecation_notice_months must be >= support.sunset_months "
                "(users must hear of a deprecation before its sunset period starts)"
            )
        return self
