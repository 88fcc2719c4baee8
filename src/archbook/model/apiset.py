"""The API documents of one version of a system: what `archbook diff` compares.

A diff needs only the API documents and the versioning policy, so an old version may be
a bare folder of documents (e.g. `history/0.9.0/`) as well as a whole system folder.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archbook.model.api import HttpApi, Schema
from archbook.model.versioning import Versioning

__all__ = ["ApiSet"]


@dataclass(frozen=True)
class ApiSet:
    label: str  # how the user named this version: a folder, or "folder@REV"
    openapi: dict[str, Any] | None = None
    asyncapi: dict[str, Any] | None = None
    http_api: HttpApi | None = None  # the normalised model of `openapi`
    # AsyncAPI schemas normalised like OpenAPI ones: components by name, plus each message payload
    # under "channel message" (a space cannot occur in a component name)
    async_schemas: dict[str, Schema] = field(default_factory=dict)
    graphql: str | None = None  # SDL text (all *.graphql files of the folder, joined)
    versioning: Versioning | None = None
    files: dict[str, str] = field(default_factory=dict)  # artefact -> file path it came from

    @property
    def empty(self) -> bool:
        return self.openapi is None and self.asyncapi is None and self.graphql is None
