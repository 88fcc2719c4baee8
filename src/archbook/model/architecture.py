"""architecture.yaml: the system, its ordered layers, its components and how they depend on each other.

Only dependencies are typed by the user; "Consumed By" is derived (see `Architecture.consumed_by`)
so the two can never disagree.
"""
from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import Field

from archbook.model.base import Id, Strict, Text
from archbook.model.flows import Flow
from archbook.model.graphql import GraphQLConfig
from archbook.model.views import DiagramBudget, View

__all__ = [
    "ApiFiles", "ComponentKind", "SystemInfo", "Release", "Layer", "Dependency", "FailureMode", "Component", "Architecture",
]


class ComponentKind(str, Enum):
    """What a component is; drives its node shape in the architecture diagram."""

    client = "client"
    service = "service"
    gateway = "gateway"
    worker = "worker"
    store = "store"
    queue = "queue"
    cache = "cache"
    storage = "storage"
    external = "external"
    actor = "actor"


class Release(Strict):
    """One entry of the document's version history."""

    version: Text
    date: dt.date
    notes: Text


class SystemInfo(Strict):
    name: Text
    version: Text
    description: Text
    owner: str | None = None
    history: list[Release] = Field(default_factory=list, description="Version history of this design document.")


class Layer(Strict):
    """A horizontal tier. Layers are listed top (closest to the user) to bottom."""

    id: Id
    name: Text
    description: str | None = None


class Dependency(Strict):
    """`component --> target`: what flows along the edge and over which protocol."""

    target: Id = Field(description="Id of the component depended on.")
    data: Text = Field(description="The data exchanged, e.g. 'JSON job requests'.")
    protocol: Text = Field(description="e.g. HTTPS, WebSocket, Redis protocol, in-process.")
    label: str | None = Field(default=None, description="Optional edge label in the diagram.")
    is_async: bool = Field(default=False, alias="async", description="Asynchronous (drawn dashed).")


class FailureMode(Strict):
    """failure -> effect -> mitigation, as the seed's component template asks."""

    failure: Text
    effect: Text
    mitigation: Text


class Component(Strict):
    id: Id
    name: Text
    layer: Id
    kind: ComponentKind
    purpose: Text
    technology: list[Text] = Field(default_factory=list, description="Technology stack.")
    responsibilities: list[Text] = Field(default_factory=list)
    depends_on: list[Dependency] = Field(default_factory=list)
    scaling: list[Text] = Field(default_factory=list, description="Scaling strategy, one point per item.")
    failure_modes: list[FailureMode] = Field(default_factory=list)
    group: Id | None = Field(default=None, description="Subsystem this component belongs to (e.g. billing).")
    tags: list[Id] = Field(default_factory=list, description="Free labels that views can select by.")


class ApiFiles(Strict):
    """API documents named explicitly (paths relative to the system folder), e.g. one per service.

    When absent, archbook looks for `openapi.{yaml,yml,json}` and `asyncapi.{yaml,yml,json}`.
    """

    openapi: list[str] = Field(default_factory=list)
    asyncapi: list[str] = Field(default_factory=list)


class Architecture(Strict):
    system: SystemInfo
    layers: list[Layer] = Field(min_length=1)
    components: list[Component] = Field(min_length=1)
    flows: list[Flow] = Field(default_factory=list)
    apis: ApiFiles | None = Field(default=None, description="API documents, when not found by their conventional names.")
    graphql: GraphQLConfig | None = Field(default=None, description="The GraphQL API: schema files, endpoint, "
                                                                     "authentication, rate limit, error codes.")
    views: list[View] = Field(default_factory=list, description="Named diagrams over the model (see README: views).")
    diagram_budget: DiagramBudget = Field(default_factory=DiagramBudget,
                                          description="Complexity budget of every generated diagram.")

    # --- derived views (pure, no I/O) -------------------------------------------------
    def component(self, component_id: str) -> Component:
        for comp in self.components:
            if comp.id == component_id:
                return comp
        raise KeyError(component_id)

    @property
    def component_ids(self) -> list[str]:
        return [c.id for c in self.components]

    def layer_index(self, layer_id: str) -> int:
        return [layer.id for layer in self.layers].index(layer_id)

    def consumed_by(self, component_id: str) -> list[Component]:
        """Components that depend on `component_id`: derived, never typed twice."""
        return [c for c in self.components if any(d.target == component_id for d in c.depends_on)]

    def edges(self) -> list[tuple[Component, Dependency]]:
        return [(c, d) for c in self.components for d in c.depends_on]

    def upward_dependencies(self) -> list[tuple[Component, Dependency]]:
        """Edges pointing to a layer listed above the source's layer (a layering smell)."""
        by_id = {c.id: c for c in self.components}
        order = {layer.id: i for i, layer in enumerate(self.layers)}
        out = []
        for comp, dep in self.edges():
            target = by_id.get(dep.target)
            if target is not None and order.get(target.layer, -1) < order.get(comp.layer, -1):
                out.append((comp, dep))
        return out
