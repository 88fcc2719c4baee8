"""Resolve views into what a diagram draws: nodes (components or collapsed boxes) and aggregated edges.

Pure functions over an `Architecture`, no I/O and no Mermaid: the renderer, the loader's limit
check, the checklist and the widgets all ask the same question here and get the same answer.
A *unit* is what a component collapses into: its group when it has one, else its layer.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from archbook.model.architecture import Architecture, Component, ComponentKind, Dependency
from archbook.model.views import DiagramBudget, Selector, View

__all__ = ["Node", "Edge", "Graph", "Index", "select", "members", "resolve_view", "build", "unit_key"]


@dataclass(frozen=True)
class Node:
    """A component (`kind` set) or a collapsed box standing for `members` components (`kind` None)."""

    key: str
    label: str
    layer: str | None = None
    kind: ComponentKind | None = None
    members: int = 1
    link: str | None = None

    @property
    def is_box(self) -> bool:
        return self.kind is None


@dataclass(frozen=True)
class Edge:
    """One drawn arrow: `count` dependencies merged, with their protocols in first-seen order."""

    source: str
    target: str
    count: int
    protocols: tuple[str, ...]
    is_async: bool
    label: str | None


@dataclass(frozen=True)
class Graph:
    id: str
    title: str
    level: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    description: str | None = None

    def over_budget(self, budget: DiagramBudget) -> list[str]:
        """Why this diagram breaks the budget (empty when it keeps to it)."""
        out = []
        if len(self.nodes) > budget.nodes:
            out.append(f"{len(self.nodes)} nodes (budget {budget.nodes})")
        if len(self.edges) > budget.edges:
            out.append(f"{len(self.edges)} edges (budget {budget.edges})")
        return out


class Index:
    """Adjacency of one architecture, built once so that hundreds of views stay fast."""

    def __init__(self, arch: Architecture, use_groups: bool | None = None):
        self.arch = arch
        self.by_id = {c.id: c for c in arch.components}
        self.layer_name = {la.id: la.name for la in arch.layers}
        self.order = {c.id: i for i, c in enumerate(arch.components)}
        self.incoming: dict[str, list[tuple[Component, Dependency]]] = {c.id: [] for c in arch.components}
        for comp, dep in arch.edges():
            if dep.target in self.incoming:
                self.incoming[dep.target].append((comp, dep))
        self.outgoing = {c.id: [(c, d) for d in c.depends_on if d.target in self.by_id] for c in arch.components}
        self.use_groups = any(c.group for c in arch.components) if use_groups is None else use_groups
        self.group_layers: dict[str, set[str]] = {}
        for comp in arch.components:
            if comp.group:
                self.group_layers.setdefault(comp.group, set()).add(comp.layer)
        self.unit_size: dict[str, int] = {}
        for comp in arch.components:
            key = unit_key(comp, self.use_groups)
            self.unit_size[key] = self.unit_size.get(key, 0) + 1

    def group_layers_of(self) -> set[str]:
        """Layers that hold at least one grouped component."""
        return set().union(*self.group_layers.values()) if self.use_groups else set()

    def incident(self, cids: list[str]) -> list[tuple[Component, Dependency]]:
        """Every edge touching one of `cids`, each once, outgoing first."""
        inside, out = set(cids), []
        for cid in cids:
            out += self.outgoing[cid]
            out += [(c, d) for c, d in self.incoming[cid] if c.id not in inside]
        return out

    def neighbours(self, cid: str, depth: int) -> set[str]:
        keep = {cid}
        frontier = {cid}
        for _ in range(depth):
            nxt = set()
            for cur in frontier:
                nxt |= {d.target for _, d in self.outgoing[cur]}
                nxt |= {c.id for c, _ in self.incoming[cur]}
            frontier = nxt - keep
            keep |= nxt
        return keep


def unit_key(comp: Component, use_groups: bool) -> str:
    """What `comp` collapses into: `group:<id>` when groups are in use and it has one, else `layer:<id>`."""
    return f"group:{comp.group}" if use_groups and comp.group else f"layer:{comp.layer}"


def select(index: Index, sel: Selector) -> set[str]:
    """The component ids one selector picks (unknown names pick nothing; the loader reports them)."""
    comps = index.arch.components
    if sel.kind == "layer":
        return {c.id for c in comps if c.layer == sel.layer}
    if sel.kind == "group":
        return {c.id for c in comps if c.group == sel.group}
    if sel.kind == "tag":
        return {c.id for c in comps if sel.tag in c.tags}
    if sel.kind == "component":
        return {c.id for c in comps if fnmatchcase(c.id, sel.component)}
    return index.neighbours(sel.neighbours_of, sel.depth) if sel.neighbours_of in index.by_id else set()


def members(index: Index, view: View) -> list[str]:
    """Included (all when `include` is empty) minus excluded, in the model's order."""
    chosen = set(index.by_id) if not view.include else set().union(*(select(index, s) for s in view.include))
    for sel in view.exclude:
        chosen -= select(index, sel)
    return [c.id for c in index.arch.components if c.id in chosen]


def component_node(comp: Component) -> Node:
    return Node(comp.id, comp.name, comp.layer, comp.kind)


def _edge_label(count: int, protocols: list[str], labels: list[str | None]) -> str | None:
    if count == 1:
        return labels[0]
    shown = ", ".join(protocols[:3]) + (f" +{len(protocols) - 3}" if len(protocols) > 3 else "")
    return f"{count} deps: {shown}"


def build(index: Index, vid: str, title: str, level: int, cids: list[str],
          node_of: Callable[[Component], Node | None], description: str | None = None) -> Graph:
    """The graph of `cids` (each drawn as `node_of` says) and the edges touching them, merged per node pair.

    Components outside `cids` appear only when an edge reaches them and `node_of` gives them a node.
    """
    mapped = {cid: node_of(index.by_id[cid]) for cid in cids}
    merged: dict[tuple[str, str], list] = {}
    for comp, dep in index.incident(cids):
        for cid in (comp.id, dep.target):
            if cid not in mapped:
                mapped[cid] = node_of(index.by_id[cid])
        src, dst = mapped[comp.id], mapped[dep.target]
        if src is None or dst is None or src.key == dst.key:
            continue
        merged.setdefault((src.key, dst.key), []).append(dep)
    shown = {key for pair in merged for key in pair} | {n.key for n in (mapped[c] for c in cids) if n}
    counts: dict[str, int] = {}
    for node in mapped.values():
        if node is not None:
            counts[node.key] = counts.get(node.key, 0) + 1
    nodes: dict[str, Node] = {}
    for cid in sorted(mapped, key=index.order.__getitem__):
        node = mapped[cid]
        if node is not None and node.key in shown and node.key not in nodes:
            nodes[node.key] = node if not node.is_box else _with_members(node, counts[node.key])
    return Graph(vid, title, level, tuple(nodes.values()), tuple(_edges(merged)), description)


def _with_members(node: Node, count: int) -> Node:
    return Node(node.key, node.label, node.layer, None, max(node.members, count), node.link)


def _edges(merged: dict[tuple[str, str], list]) -> list[Edge]:
    out = []
    for (src, dst), deps in merged.items():
        protocols = list(dict.fromkeys(d.protocol for d in deps))
        label = _edge_label(len(deps), protocols, [d.label for d in deps])
        out.append(Edge(src, dst, len(deps), tuple(protocols), all(d.is_async for d in deps), label))
    return out


def unit_node(index: Index, comp: Component, *, link: Callable[[str], str | None] = lambda key: None) -> Node:
    """The box `comp` collapses into (its group, else its layer), drawn inside its layer when it is a group."""
    key = unit_key(comp, index.use_groups)
    kind, name = key.split(":", 1)
    if kind == "group":
        return Node(key, name, comp.layer if _one_layer(index, name) else None, None,
                    index.unit_size[key], link(key))
    return Node(key, index.layer_name.get(name, name), None, None, index.unit_size[key], link(key))


def _one_layer(index: Index, group: str) -> bool:
    return len(index.group_layers.get(group, ())) == 1


def resolve_view(index: Index, view: View, link: Callable[[str], str | None] = lambda key: None) -> Graph:
    """A user's view: its members, collapsed where it says, outside neighbours hidden or boxed."""
    chosen = members(index, view)
    inside = set(chosen)
    layers = {c.layer for c in view.collapse if c.layer}
    groups = {c.group for c in view.collapse if c.group}
    lay_name = {la.id: la.name for la in index.arch.layers}

    def node_of(comp: Component) -> Node | None:
        if comp.id not in inside:
            return unit_node(index, comp, link=link) if view.neighbours == "collapsed" else None
        if comp.layer in layers:
            return Node(f"layer:{comp.layer}", lay_name.get(comp.layer, comp.layer), None, None, 1, link(f"layer:{comp.layer}"))
        if comp.group in groups:
            return Node(f"group:{comp.group}", comp.group, comp.layer, None, 1, link(f"group:{comp.group}"))
        return component_node(comp)

    return build(index, view.id, view.title, 2, chosen, node_of, view.description)
