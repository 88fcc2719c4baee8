"""Mermaid text generated from the model. This module owns Mermaid escaping.

Two rules keep any user text from breaking or injecting into a diagram:
node and participant ids are generated (`n0`, `p0`), never user text; and every
label goes through `label()`, which turns every character Mermaid could read as
syntax into an entity code (`#quot;`, `#35;`, `#lt;`) that it decodes when drawing.
"""
from __future__ import annotations

from collections.abc import Iterable

from archbook.model.architecture import Architecture, Component, ComponentKind
from archbook.model.flows import Alt, Flow, Loop, Message, Note, Opt, iter_steps

__all__ = ["label", "architecture_diagram", "sequence_diagram", "SHAPES"]

# Characters that mean something to some Mermaid grammar (quotes end labels, `;` ends
# statements, `%%` starts comments, `#...;` is itself entity syntax, `<` opens HTML,
# backticks start markdown strings, brackets/braces/parens open shapes, `-`/`=`/`.`
# build arrows, `:` separates message text, `,` separates note participants).
_ENTITIES = {
    '"': "#quot;", "#": "#35;", "&": "#amp;", "<": "#lt;", ">": "#gt;", ";": "#59;",
    "%": "#37;", "`": "#96;", "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;",
    "(": "#40;", ")": "#41;", "|": "#124;", "\\": "#92;", "-": "#45;", "=": "#61;",
    ":": "#58;", ",": "#44;",
}
_TABLE = str.maketrans(_ENTITIES)


def label(text: object) -> str:
    """Make any text safe inside a Mermaid label or message (one line, entity-coded)."""
    flat = " ".join(str(text).split())
    return flat.translate(_TABLE) or "#32;"


def _q(text: object) -> str:
    return f'"{label(text)}"'


# kind -> (open, close) of the node shape; every shape takes a quoted label.
SHAPES: dict[ComponentKind, tuple[str, str]] = {
    ComponentKind.client: ("(", ")"),
    ComponentKind.service: ("[", "]"),
    ComponentKind.gateway: ("[/", "/]"),
    ComponentKind.worker: ("[[", "]]"),
    ComponentKind.store: ("[(", ")]"),
    ComponentKind.cache: ("[(", ")]"),
    ComponentKind.storage: ("[(", ")]"),
    ComponentKind.queue: (">", "]"),
    ComponentKind.external: ("{{", "}}"),
    ComponentKind.actor: ("((", "))"),
}

_CLASSDEFS = {
    "external": "fill:#f6f0ff,stroke:#7b4fc9,stroke-dasharray:4 2",
    "store": "fill:#eef6ff,stroke:#2f6fb3",
    "queue": "fill:#fff6e6,stroke:#c27c0e",
    "actor": "fill:#f3f3f3,stroke:#555",
}
_CLASS_OF = {
    ComponentKind.external: "external", ComponentKind.store: "store", ComponentKind.cache: "store",
    ComponentKind.storage: "store", ComponentKind.queue: "queue", ComponentKind.actor: "actor",
}


def _select(arch: Architecture, layer: str | None, focus: str | None, depth: int) -> list[Component]:
    """The components to draw: all, one layer's, or the `depth`-hop neighbourhood of `focus`."""
    comps = list(arch.components)
    if layer is not None:
        if layer not in [lay.id for lay in arch.layers]:
            raise KeyError(f"unknown layer {layer!r}; known: {', '.join(lay.id for lay in arch.layers)}")
        comps = [c for c in comps if c.layer == layer]
    if focus is not None:
        arch.component(focus)  # KeyError names an unknown focus
        keep = {focus}
        for _ in range(max(depth, 0)):
            nxt = set(keep)
            for comp, dep in arch.edges():
                if comp.id in keep:
                    nxt.add(dep.target)
                if dep.target in keep:
                    nxt.add(comp.id)
            keep = nxt
        comps = [c for c in comps if c.id in keep]
    return comps


def architecture_diagram(arch: Architecture, *, layer: str | None = None, focus: str | None = None,
                         depth: int = 1, edge_labels: bool = True) -> str:
    """A `graph TB` with one subgraph per layer, node shapes by kind, edges from dependencies.

    `layer` draws a single layer (edges inside it only); `focus` draws only the components
    within `depth` dependency hops of one component. Async dependencies are dashed.
    """
    comps = _select(arch, layer, focus, depth)
    ids = {c.id: f"n{i}" for i, c in enumerate(arch.components)}
    shown = {c.id for c in comps}
    lines = ["graph TB"]
    for li, lay in enumerate(arch.layers):
        members = [c for c in comps if c.layer == lay.id]
        if not members:
            continue
        lines.append(f"    subgraph L{li}[{_q(lay.name)}]")
        for comp in members:
            opening, closing = SHAPES[comp.kind]
            lines.append(f"        {ids[comp.id]}{opening}{_q(comp.name)}{closing}")
        lines.append("    end")
    known = {lay.id for lay in arch.layers}
    for comp in comps:  # a component in an undeclared layer is still drawn (the checklist names it)
        if comp.layer not in known:
            opening, closing = SHAPES[comp.kind]
            lines.append(f"    {ids[comp.id]}{opening}{_q(comp.name)}{closing}")
    for comp, dep in arch.edges():
        if comp.id not in shown or dep.target not in shown:
            continue
        arrow = "-.->" if dep.is_async else "-->"
        text = dep.label if dep.label else None
        mid = f"|{_q(text)}|" if (edge_labels and text) else ""
        lines.append(f"    {ids[comp.id]} {arrow}{mid} {ids[dep.target]}")
    used = {_CLASS_OF[c.kind] for c in comps if c.kind in _CLASS_OF}
    for cls in sorted(used):
        lines.append(f"    classDef {cls} {_CLASSDEFS[cls]}")
        members = ",".join(ids[c.id] for c in comps if _CLASS_OF.get(c.kind) == cls)
        lines.append(f"    class {members} {cls}")
    return "\n".join(lines) + "\n"


_ARROWS = {"request": "->>", "response": "-->>", "self": "->>", "async": "-)"}


def _participant_name(part, arch: Architecture | None) -> str:
    if part.label:
        return part.label
    if arch is not None:
        try:
            return arch.component(part.id).name
        except KeyError:
            pass
    return part.id


def _mentioned(steps) -> list[str]:
    out: list[str] = []
    for _, leaf in iter_steps(steps):
        out += [leaf.source, leaf.target] if isinstance(leaf, Message) else list(leaf.over)
    return out


def sequence_diagram(flow: Flow, arch: Architecture | None = None) -> str:
    """A `sequenceDiagram` for one flow: participants with labels, arrows by kind, notes and blocks.

    Participants are aliased (`p0`, `p1`...) so ids such as `end` or `loop` cannot clash with
    keywords; their display names come from the flow label, else the component's name.
    """
    alias = {p.id: f"p{i}" for i, p in enumerate(flow.participants)}
    lines = ["sequenceDiagram"]
    for part in flow.participants:
        keyword = "actor" if part.actor else "participant"
        lines.append(f"    {keyword} {alias[part.id]} as {label(_participant_name(part, arch))}")

    for pid in _mentioned(flow.steps):  # tolerate steps naming an undeclared participant
        if pid not in alias:
            alias[pid] = f"p{len(alias)}"
            lines.append(f"    participant {alias[pid]} as {label(pid)}")

    def ref(pid: str) -> str:
        return alias[pid]

    def emit(steps: Iterable, indent: str) -> None:
        for step in steps:
            if isinstance(step, Message):
                src, dst = ref(step.source), ref(step.target)
                lines.append(f"{indent}{src}{_ARROWS[step.kind]}{dst}: {label(step.message)}")
            elif isinstance(step, Note):
                over = ",".join(ref(p) for p in step.over)
                lines.append(f"{indent}Note over {over}: {label(step.message)}")
            elif isinstance(step, (Loop, Opt)):
                word, title = ("loop", step.loop) if isinstance(step, Loop) else ("opt", step.opt)
                lines.append(f"{indent}{word} {label(title)}")
                emit(step.steps, indent + "    ")
                lines.append(f"{indent}end")
            elif isinstance(step, Alt):
                for j, branch in enumerate(step.alt):
                    lines.append(f"{indent}{'alt' if j == 0 else 'else'} {label(branch.when)}")
                    emit(branch.steps, indent + "    ")
                lines.append(f"{indent}end")

    emit(flow.steps, "    ")
    return "\n".join(lines) + "\n"
