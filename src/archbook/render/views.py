"""Mermaid for resolved views (`archbook.model.view_graph.Graph`), and the size Mermaid will see.

Node ids are generated (`n0`...), labels go through `mermaid.label`, and a collapsed box that
opens another view gets `click nX href "#view-..."` whose anchor is built from ids only, so no
user text reaches the link. Mermaid keeps `href` links under `securityLevel: 'strict'`.
"""
from __future__ import annotations

from collections.abc import Callable

from archbook.model.architecture import Architecture
from archbook.model.view_graph import Graph, Node
from archbook.model.view_plan import anchor_id
from archbook.model.views import MERMAID_MAX_EDGES, MERMAID_MAX_TEXT
from archbook.render.mermaid import _CLASS_OF, _CLASSDEFS, SHAPES, _q

__all__ = ["view_diagram", "mermaid_limits", "box_label", "plan_diagram", "view_links", "view_anchor"]

_COLLAPSED = "fill:#fafafa,stroke:#333,stroke-width:2px"


def box_label(node: Node) -> str:
    """What a box says: its name and how many components it stands for."""
    if not node.is_box:
        return node.label
    return f"{node.label} · {node.members} component{'' if node.members == 1 else 's'}"


def _node_line(nid: str, node: Node) -> str:
    opening, closing = ("[", "]") if node.is_box else SHAPES[node.kind]
    return f"{nid}{opening}{_q(box_label(node))}{closing}"


def view_diagram(graph: Graph, arch: Architecture, *, links: bool = True, edge_labels: bool = True,
                 exists: Callable[[str], bool] = lambda vid: True) -> str:
    """A `graph TB` of the view: nodes in their layer's subgraph, merged edges labelled with counts."""
    ids = {node.key: f"n{i}" for i, node in enumerate(graph.nodes)}
    lines = ["graph TB"]
    for li, lay in enumerate(arch.layers):
        inside = [n for n in graph.nodes if n.layer == lay.id]
        if inside:
            lines.append(f"    subgraph L{li}[{_q(lay.name)}]")
            lines += [f"        {_node_line(ids[n.key], n)}" for n in inside]
            lines.append("    end")
    known = {lay.id for lay in arch.layers}
    lines += [f"    {_node_line(ids[n.key], n)}" for n in graph.nodes if n.layer not in known]
    for edge in graph.edges:
        arrow = "-.->" if edge.is_async else "-->"
        mid = f"|{_q(edge.label)}|" if (edge_labels and edge.label) else ""
        lines.append(f"    {ids[edge.source]} {arrow}{mid} {ids[edge.target]}")
    lines += _classes(graph, ids)
    if links:
        lines += [f'    click {ids[n.key]} href "#{anchor_id(n.link)}"'
                  for n in graph.nodes if n.is_box and n.link and exists(n.link)]
    text = "\n".join(lines) + "\n"
    if len(text) > MERMAID_MAX_TEXT and edge_labels:  # keep within Mermaid's limit: drop edge labels first
        return view_diagram(graph, arch, links=links, edge_labels=False, exists=exists)
    return text


def _classes(graph: Graph, ids: dict[str, str]) -> list[str]:
    out = []
    used = {_CLASS_OF[n.kind] for n in graph.nodes if n.kind in _CLASS_OF}
    for cls in sorted(used):
        out.append(f"    classDef {cls} {_CLASSDEFS[cls]}")
        out.append(f"    class {','.join(ids[n.key] for n in graph.nodes if _CLASS_OF.get(n.kind) == cls)} {cls}")
    boxes = [ids[n.key] for n in graph.nodes if n.is_box]
    if boxes:
        out += [f"    classDef collapsed {_COLLAPSED}", f"    class {','.join(boxes)} collapsed"]
    return out


def mermaid_limits(text: str, edges: int) -> list[str]:
    """Why Mermaid (default configuration) would refuse to draw this diagram; empty when it draws it."""
    out = []
    if edges >= MERMAID_MAX_EDGES:
        out.append(f"{edges} edges (Mermaid draws at most {MERMAID_MAX_EDGES - 1})")
    if len(text) > MERMAID_MAX_TEXT:
        out.append(f"{len(text):,} characters of diagram text (Mermaid's limit is {MERMAID_MAX_TEXT:,})")
    return out


def plan_diagram(plan, graph: Graph) -> str:
    """A view of `plan` as Mermaid, its boxes linked only to views that `plan` draws."""
    return view_diagram(graph, plan.index.arch, exists=plan.has)


def view_links(plan, graph: Graph) -> str:
    """Markdown links from a view to the views its boxes open, and back to the overview."""
    from archbook.render import markdown as md

    opens = [f"[{md.text(box_label(n))}](#{anchor_id(n.link)})" for n in graph.nodes
             if n.is_box and n.link and plan.has(n.link) and n.link != graph.id]
    parts = [f"Opens: {', '.join(opens)}."] if opens else []
    if plan.has("overview") and graph.id != "overview":
        parts.append(f"[Back to the overview](#{anchor_id('overview')})")
    return " ".join(parts)


def view_anchor(vid: str) -> str:
    """An HTML anchor the links (and Mermaid `click`) jump to; generated from ids only."""
    return f'<a id="{anchor_id(vid)}"></a>'


def views_context(arch: Architecture) -> dict:
    """What section 5.1's template needs for views: the plan, and Markup helpers over it."""
    from markupsafe import Markup

    from archbook.model.flow_parts import flow_parts
    from archbook.model.view_plan import plan_views
    from archbook.render import markdown as md

    plan = plan_views(arch)

    def card(cid: str):
        graph = plan.card(cid)
        return None if graph is None else md.mermaid_block(plan_diagram(plan, graph))

    return {
        "view_plan": plan, "view_diagram": lambda g: Markup(plan_diagram(plan, g)),
        "view_links": lambda g: Markup(view_links(plan, g)), "view_anchor": lambda v: Markup(view_anchor(v)),
        "card_diagram": card, "flow_parts": lambda f: flow_parts(f, arch.diagram_budget),
    }
