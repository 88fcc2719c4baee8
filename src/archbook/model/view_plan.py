"""Which architecture diagrams a system gets (arc42's building-block levels), each within the budget.

- A system whose whole diagram keeps to the budget gets that one diagram, as it always has.
- A larger one gets level 1 (an overview: groups, else layers, as boxes with merged edges), level 2
  (one view per group or layer, outside neighbours collapsed to their box; split into parts when
  still too big) and level 3 (each component's one-hop neighbourhood, for its card).
- The user's own `views:` come after the defaults. Pure: no I/O, no Mermaid.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from archbook.model.architecture import Architecture, Component
from archbook.model.view_graph import Graph, Index, Node, build, component_node, resolve_view, unit_key, unit_node
from archbook.model.views import DiagramBudget

__all__ = ["ViewPlan", "plan_views", "view_id", "anchor_id"]


def view_id(key: str) -> str:
    """`group:billing` -> `group-billing`: the id of the level-2 view a box opens."""
    return key.replace(":", "-")


def anchor_id(vid: str) -> str:
    """The HTML anchor of a view: generated from ids, only `[A-Za-z0-9_.-]` survive."""
    return "view-" + "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_.-") else "-" for ch in vid)


@dataclass
class ViewPlan:
    """`single`: draw the whole architecture once (`full`). Otherwise `overview`, then `views`."""

    budget: DiagramBudget
    index: Index
    single: bool
    full: Graph | None = None
    overview: Graph | None = None
    views: tuple[Graph, ...] = ()
    _cards: dict[str, Graph] = field(default_factory=dict, repr=False)
    _ids: tuple = field(default=(None, set()), repr=False)

    def card(self, cid: str) -> Graph | None:
        """Level 3 for a component card: its one-hop neighbourhood (None for a small system)."""
        if self.single:
            return None
        if cid not in self._cards:
            self._cards[cid] = neighbourhood(self.index, cid, self.budget, self.link)
        return self._cards[cid]

    def has(self, vid: str) -> bool:
        """Whether the document draws a view with this id (so a link to it leads somewhere)."""
        if vid == "overview":
            return self.overview is not None
        if self._ids[0] is not self.views:
            self._ids = (self.views, {v.id for v in self.views})
        return vid in self._ids[1]

    def link(self, key: str) -> str | None:
        vid = view_id(key)
        return vid if self.has(vid) else None

    def graphs(self) -> list[Graph]:
        """Every architecture diagram the document draws, cards included."""
        head = [self.full] if self.single else [self.overview]
        cards = [] if self.single else [self.card(c.id) for c in self.index.arch.components]
        return [g for g in head if g is not None] + list(self.views) + cards


def _fits_whole(arch: Architecture, budget: DiagramBudget) -> bool:
    return len(arch.components) <= budget.nodes and len(arch.edges()) <= budget.edges


_LAST: list = []  # one (architecture, fingerprint, plan): validate, check and render share one plan


def _fingerprint(arch: Architecture) -> tuple:
    """What a plan depends on, so an architecture edited in place is planned again."""
    comps = tuple((c.id, c.name, c.layer, c.kind, c.group, tuple(c.tags),
                   tuple((d.target, d.protocol, d.label, d.is_async) for d in c.depends_on)) for c in arch.components)
    return (comps, tuple(repr(v) for v in arch.views), repr(arch.diagram_budget),
            tuple((la.id, la.name) for la in arch.layers))


def plan_views(arch: Architecture) -> ViewPlan:
    """The diagrams for `arch`, defaults first, then the user's views (the last plan is reused)."""
    key = _fingerprint(arch)
    if _LAST and _LAST[0] is arch and _LAST[1] == key:
        return _LAST[2]
    plan = _plan(arch)
    _LAST[:] = [arch, key, plan]
    return plan


def _plan(arch: Architecture) -> ViewPlan:
    budget = arch.diagram_budget
    index = Index(arch)
    if len(index.unit_size) > budget.nodes:  # too many groups for one overview: boxes are layers
        index = Index(arch, use_groups=False)
    cids = [c.id for c in arch.components]
    if _fits_whole(arch, budget):
        full = build(index, "architecture", "High-Level Architecture", 1, cids, component_node)
        plan = ViewPlan(budget, index, True, full=full)
    else:
        plan = ViewPlan(budget, index, False)
        plan.views = tuple(g for key, members in _units(index).items() for g in unit_views(index, key, members, budget))
        plan.overview = build(index, "overview", "Overview", 1, cids, lambda c: unit_node(index, c, link=plan.link))
        if plan.overview.over_budget(budget) and index.use_groups:
            _layer_overview(plan)
    plan.views += tuple(resolve_view(index, v, plan.link) for v in arch.views)
    return plan


def _layer_overview(plan: ViewPlan) -> None:
    """Groups too tangled for one overview: layers as boxes, then one white box per layer showing its groups."""
    index, layers = plan.index, Index(plan.index.arch, use_groups=False)
    grouped = [la.id for la in index.arch.layers if la.id in index.group_layers_of()]

    def link(key: str) -> str | None:
        lid = key.split(":", 1)[1]
        return f"whitebox-{lid}" if lid in grouped else plan.link(key)

    boxes = [_whitebox(plan, layers, lid, link) for lid in grouped]
    plan.views = tuple(boxes) + plan.views
    cids = [c.id for c in index.arch.components]
    plan.overview = strongest(build(layers, "overview", "Overview", 1, cids, lambda c: unit_node(layers, c, link=link)),
                              plan.budget)


def _whitebox(plan: ViewPlan, layers: Index, lid: str, link) -> Graph:
    """One layer's groups as boxes; the other layers as boxes too unless that breaks the budget."""
    index = plan.index
    name = next(la.name for la in index.arch.layers if la.id == lid)
    inside = [c.id for c in index.arch.components if c.layer == lid]
    graph = None
    for outside in (True, False):
        def node_of(comp: Component, outside=outside) -> Node | None:
            if comp.layer == lid:
                return replace(unit_node(index, comp, link=plan.link), layer=lid)
            return unit_node(layers, comp, link=link) if outside else None

        note = "" if outside else " Edges to other layers are left out to keep it readable."
        graph = build(index, f"whitebox-{lid}", f"{name}: its groups", 2, inside, node_of,
                      f"Layer {name} as a white box: each group in it is one box.{note}")
        if not graph.over_budget(plan.budget):
            break
    return strongest(graph, plan.budget)


def strongest(graph: Graph, budget: DiagramBudget) -> Graph:
    """Keep the edges carrying most dependencies when a box diagram still has too many (said in its text)."""
    if len(graph.edges) <= budget.edges:
        return graph
    keep = set(sorted(range(len(graph.edges)), key=lambda i: -graph.edges[i].count)[: budget.edges])
    edges = tuple(e for i, e in enumerate(graph.edges) if i in keep)
    note = (f" Only the {len(edges)} edges carrying the most dependencies are drawn "
            f"(of {len(graph.edges)}; each weaker one carries {max(e.count for i, e in enumerate(graph.edges) if i not in keep)} or fewer).")
    return replace(graph, edges=edges, description=(graph.description or "") + note)


def _units(index: Index) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for comp in index.arch.components:
        out.setdefault(unit_key(comp, index.use_groups), []).append(comp.id)
    return out


def unit_views(index: Index, key: str, cids: list[str], budget: DiagramBudget) -> list[Graph]:
    """Level 2 for one group or layer, halving its parts until each keeps to the budget."""
    parts = [cids]
    while True:
        graphs = [_part_graph(index, key, parts, i) for i in range(len(parts))]
        bad = {i for i, g in enumerate(graphs) if g.over_budget(budget) and len(parts[i]) > 1}
        if not bad:
            return graphs
        parts = [half for i, p in enumerate(parts) for half in ((p[: len(p) // 2], p[len(p) // 2:]) if i in bad else (p,))]


def _part_id(key: str, i: int) -> str:
    return view_id(key) if i == 0 else f"{view_id(key)}-{i + 1}"


def _part_graph(index: Index, key: str, parts: list[list[str]], i: int) -> Graph:
    """Part `i` of a unit: its components; the unit's other parts and outside units as boxes."""
    where = {cid: j for j, p in enumerate(parts) for cid in p}
    first = index.by_id[parts[0][0]]
    label = unit_node(index, first).label
    n = len(parts)
    title = label if n == 1 else f"{label} (part {i + 1} of {n})"

    def node_of(comp: Component) -> Node | None:
        j = where.get(comp.id)
        if j == i:
            return component_node(comp)
        if j is not None:
            return Node(f"part:{key}:{j}", f"{label} (part {j + 1} of {n})", comp.layer, None,
                        len(parts[j]), _part_id(key, j))
        return unit_node(index, comp, link=view_id)

    kind = "Group" if key.startswith("group:") else "Layer"
    return build(index, _part_id(key, i), title, 2, parts[i], node_of,
                 f"{kind} {label}: its components; everything outside it is collapsed to its group or layer.")


def neighbourhood(index: Index, cid: str, budget: DiagramBudget, link) -> Graph:
    """Level 3: `cid` and its direct neighbours; collapsed by unit (outside its own first) when too big."""
    focus = index.by_id[cid]
    near = index.neighbours(cid, 1)
    ordered = sorted(near, key=index.order.__getitem__)
    own = unit_key(focus, index.use_groups)
    tries = [lambda c: True, lambda c: unit_key(c, index.use_groups) == own, lambda c: c.id == cid]
    graph = None
    for keep in tries:
        def node_of(comp: Component, keep=keep) -> Node | None:
            if comp.id not in near:
                return None
            return component_node(comp) if keep(comp) else unit_node(index, comp, link=link)

        graph = build(index, f"card-{cid}", f"Neighbourhood of {focus.name}", 3, ordered, node_of)
        if not graph.over_budget(budget):
            break
    return graph
