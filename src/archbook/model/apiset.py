"""The API documents of one version of a system: what `archbook diff` compares.

A diff needs only the API documents and the versioning policy, so an old version may be
a bare folder of documents (e.g. `history/0.9.0/`) as well as a whole system folder.
Each document is held as its normalised model.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archbook.model.api import HttpApi, Schema
from archbook.model.asyncapi import EventApi
from archbook.model.versioning import Versioning

__all__ = ["ApiSet"]


@dataclass(frozen=True)
class ApiSet:
    label: str  # how the user named this version: a folder, or "folder@REV"
    http_api: HttpApi | None = None
    event_api: EventApi | None = None
    # AsyncAPI payloads normalised like OpenAPI schemas: component schemas by name, and each
    # message payload under "channel message" (a space cannot occur in a component name)
    async_schemas: dict[str, Schema] = field(default_factory=dict)
    graphql: Any = None  # graphql-core's GraphQLSchema (what find_breaking_changes compares)
    versioning: Versioning | None = None
    files: dict[str, str] = field(default_factory=dict)  # artefact -> file path it came from

    @property
    def empty(self) -> bool:
        return self.http_api is None and self.event_api is None and self.graphql is None
