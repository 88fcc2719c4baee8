"""The whole design model of one system: what `archbook.load_system` returns."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from archbook.model.api import Operation, WsChannel, operations, ws_channels
from archbook.model.architecture import Architecture
from archbook.model.base import Strict
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
    files: dict[str, str] = Field(default_factory=dict, description="artefact name -> file path it came from.")

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

    def ws_channels(self) -> list[WsChannel]:
        return ws_channels(self.asyncapi)
