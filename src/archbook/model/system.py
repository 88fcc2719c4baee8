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
        """The AsyncAPI document as the normalised event-API model, built once per document.

        The one lazy import from `apis` in the model: a SystemModel built in memory from a raw
        document (tests, notebooks) gets the same view as a loaded one.
        """
        if self.asyncapi is None:
            return None
        if self._event_api is None or self._event_api[0] is not self.asyncapi:
            from archbook.apis.asyncapi import build_event_api

            self._event_api = (self.asyncapi, build_event_api(self.asyncapi))
        return self._event_api[1]

    def ws_channels(self) -> list[Channel]:
        """Every AsyncAPI channel, whatever its protocol (the seed's name for them is kept)."""
        api = self.event_api()
        return list(api.channels) if api else []
