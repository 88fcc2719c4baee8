"""Architecture views: named selections over the one model (C4/Structurizr filtered views,
LikeC4 predicates, arc42 building-block levels), and the complexity budget every diagram keeps to.

Only the declarations live here; `archbook.model.view_graph` turns them into nodes and edges.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from archbook.model.base import Id, Strict, Text

__all__ = ["Selector", "Collapse", "View", "DiagramBudget", "MERMAID_MAX_EDGES", "MERMAID_MAX_TEXT"]

# Mermaid's default limits (GitHub and JupyterLab use them): beyond these it refuses to draw.
MERMAID_MAX_EDGES = 500
MERMAID_MAX_TEXT = 50_000

_KEYS = ("layer", "group", "tag", "component", "neighbours_of")


class Selector(Strict):
    """One predicate: a layer, a group, a tag, component ids (glob, e.g. `billing-*`), or a neighbourhood."""

    layer: Id | None = None
    group: Id | None = None
    tag: Id | None = None
    component: Text | None = Field(default=None, description="A component id or a glob such as `pay-*`.")
    neighbours_of: Id | None = Field(default=None, description="A component id: it and everything within `depth` hops.")
    depth: int = Field(default=1, ge=0, le=10, description="Hops for `neighbours_of`.")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Selector":
        given = [k for k in _KEYS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(_KEYS)} (got {', '.join(given) or 'none'})")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in _KEYS if getattr(self, k) is not None)

    @property
    def value(self) -> str:
        return getattr(self, self.kind)


class Collapse(Strict):
    """Draw every selected component of a layer, or of a group, as one box."""

    layer: Id | None = None
    group: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Collapse":
        if (self.layer is None) == (self.group is None):
            raise ValueError("give exactly one of layer, group")
        return self


class View(Strict):
    """A named diagram over the model. No `include` means every component; `exclude` wins over `include`."""

    id: Id
    title: Text
    description: str | None = None
    include: list[Selector] = Field(default_factory=list)
    exclude: list[Selector] = Field(default_factory=list)
    collapse: list[Collapse] = Field(default_factory=list)
    neighbours: Literal["hidden", "collapsed"] = Field(
        default="hidden", description="Components outside the view: hidden, or drawn as their layer/group box.")


class DiagramBudget(Strict):
    """How much one diagram may show before it stops being readable (the seed: 'limit complexity')."""

    nodes: int = Field(default=40, ge=2, le=400, description="Boxes per architecture diagram; participants per sequence diagram.")
    edges: int = Field(default=80, ge=1, le=MERMAID_MAX_EDGES, description="Edges per architecture diagram; messages per sequence diagram.")
