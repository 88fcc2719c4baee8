"""The whole design model of one system: what `archbook.load_system` returns."""
from __future__ import annotations

from typing import Any

from pydantic import Field, PrivateAttr, SkipValidation

from archbook.model.api import Operation, operations
from archbook.model.asyncapi import Channel, EventApi
from archbook.model.architecture import Architecture
from archbook.model.base import Strict
from archbook.model.graphql import GraphQLApi
from archbook.model.patterns import Pattern
from archbook.model.versioning import Versioning

__all__ = ["SystemModel"]


class SystemModel(Strict):
    """Everything archbook knows about a system. Pure data; loading lives in `archbook.load`."""

    root: str = Field(description="The system folder this model was loaded from.")
    architecture: Architecture
    patterns: list[Pattern] = Field(default_factory=list)
    openapi: dict[str, Any] | None = None
    asyncapi: dict[str, Any] | None = None
    asyncapis: list[dict[str, Any]] = Field(default_factory=list, description=(
        "Every AsyncAPI document, raw, in discovery order (`asyncapi` is the first)."))
    versioning: Versioning | None = None
    http_apis: list[Any] = Field(default_factory=list, description=(
        "The normalised OpenAPI documents (`archbook.model.api.HttpApi`, one per document, in discovery order). "
        "Typed Any so pydantic does not re-validate half a million frozen dataclasses."))
    graphql: SkipValidation[GraphQLApi | None] = None  # built and checked by archbook.apis.graphql
    files: dict[str, str] = Field(default_factory=dict, description="artefact name -> file path it came from.")
    _event_api: tuple | None = PrivateAttr(default=None)

    @property
    def name(self) -> str:
        return self.architecture.system.name

    @property
    def slug(self) -> str:
        """A filesystem-safe name for output folders (derived from the folder name)."""
        import re
        from pathlib import PurePath

        base = PurePath(self.root).name or self.name
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", base).strip("-.") or "system"

    @property
    def components(self):
        return self.architecture.components

    @property
    def flows(self):
        return self.architecture.flows

    def operations(self) -> list[Operation]:
        return operations(self.openapi)

    @property
    def http_api(self):
        """The first (usually the only) normalised OpenAPI document, or None."""
        return self.http_apis[0] if self.http_apis else None

    def http_operations(self) -> list:
        """Every operation of every OpenAPI document, in order."""
        return [op for api in self.http_apis for op in api.operations]

    def event_api(self) -> EventApi | None:
        """The first AsyncAPI document as the normalised event-API model (see `event_documents`)."""
        docs = self.event_documents()
        return docs[0][1] if docs else None

    def event_documents(self) -> list[tuple[dict, EventApi]]:
        """(raw document, normalised `EventApi`) of every AsyncAPI document, each built once.

        The one lazy import from `apis` in the model: a SystemModel built in memory from a raw
        document (tests, notebooks) gets the same view as a loaded one.
        """
        raws = self._raw_asyncapis()
        if self._event_api is None or len(self._event_api) != len(raws) or any(
                a is not b for a, (b, _) in zip(raws, self._event_api)):
            from archbook.apis.asyncapi import event_api_for

            self._event_api = tuple((raw, event_api_for(raw)) for raw in raws)
        return list(self._event_api)

    def _raw_asyncapis(self) -> list[dict]:
        """`asyncapis` while its first is `asyncapi`; else `asyncapi` alone (set by hand, or replaced)."""
        if self.asyncapi is None:
            return []
        first = self.asyncapis[0] if self.asyncapis else None
        return self.asyncapis if first is not None and (first is self.asyncapi or first == self.asyncapi) else [self.asyncapi]

    def ws_channels(self) -> list[Channel]:
        """Every AsyncAPI channel of every document, whatever its protocol (the seed's name is kept)."""
        return [ch for _, api in self.event_documents() for ch in api.channels]

    def channels_with_documents(self) -> list[tuple[Channel, dict]]:
        """Each channel with the raw document its `$ref`s resolve in."""
        return [(ch, raw) for raw, api in self.event_documents() for ch in api.channels]
