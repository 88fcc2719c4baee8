"""Checks for `views:` in architecture.yaml: every selector names something that exists, every
view selects something, and Mermaid (default configuration) can draw every view.

The Mermaid text is generated to measure it (render reads the model only, so this adds no cycle).
"""
from __future__ import annotations

from archbook.errors import Problem
from archbook.load.crossref import Lines, _duplicates, _hint
from archbook.load.diagnose import dotted
from archbook.model.architecture import Architecture
from archbook.model.view_graph import Index, members

__all__ = ["check_views"]


def _known(arch: Architecture) -> dict[str, list[str]]:
    return {
        "layer": [la.id for la in arch.layers], "neighbours_of": arch.component_ids,
        "group": list(dict.fromkeys(c.group for c in arch.components if c.group)),
        "tag": list(dict.fromkeys(t for c in arch.components for t in c.tags)),
    }


def _names(sel, index: Index, known: dict, path: tuple, file: str, lines: Lines, view: str) -> list[Problem]:
    """One selector (or collapse rule) naming a layer, group, tag or component that is not there."""
    kind = sel.kind if hasattr(sel, "kind") else ("layer" if sel.layer else "group")
    value = getattr(sel, kind)
    here = path + (kind,)
    if kind == "component":
        from fnmatch import fnmatchcase

        if any(fnmatchcase(cid, value) for cid in index.by_id):
            return []
        return [Problem(file, lines(here), dotted(here), f"view `{view}`: `{value}` matches no component",
                        _hint(value, index.by_id, "components") + "; globs such as `billing-*` are allowed")]
    if value in known[kind]:
        return []
    what = {"neighbours_of": "components", "layer": "layers", "group": "groups", "tag": "tags"}[kind]
    return [Problem(file, lines(here), dotted(here), f"view `{view}`: unknown {what[:-1]} `{value}`",
                    _hint(value, known[kind], what))]


def _selectors(arch: Architecture, index: Index, file: str, lines: Lines) -> list[Problem]:
    out, known = [], _known(arch)
    for i, view in enumerate(arch.views):
        for key in ("include", "exclude", "collapse"):
            for j, sel in enumerate(getattr(view, key)):
                out += _names(sel, index, known, ("views", i, key, j), file, lines, view.id)
        if not members(index, view):
            path = ("views", i, "include")
            out.append(Problem(file, lines(path) or lines(("views", i)), dotted(path),
                               f"view `{view.id}` selects no component", "check its include and exclude"))
    return out


def _limits(arch: Architecture, file: str, lines: Lines) -> list[Problem]:
    """A user's view that Mermaid would refuse to draw, or whose id a generated view already has."""
    from archbook.model.view_plan import plan_views
    from archbook.render.views import mermaid_limits, plan_diagram

    plan = plan_views(arch)
    user = plan.views[len(plan.views) - len(arch.views):]
    generated = {v.id for v in plan.views[: len(plan.views) - len(arch.views)]} | {"overview"}
    out = []
    for i, (view, graph) in enumerate(zip(arch.views, user)):
        path = ("views", i, "id")
        if view.id in generated:
            out.append(Problem(file, lines(path), dotted(path), f"view id `{view.id}` is taken by a generated view",
                               "choose another id (generated ids: overview, layer-*, group-*, whitebox-*)"))
        why = mermaid_limits(plan_diagram(plan, graph), len(graph.edges))
        if why:
            out.append(Problem(file, lines(("views", i)), dotted(("views", i)),
                               f"view `{view.id}` is too big for Mermaid to draw: {'; '.join(why)}",
                               "narrow its include, add exclude, or collapse layers or groups into boxes"))
    return out


def check_views(arch: Architecture, file: str, lines: Lines) -> list[Problem]:
    """Every problem with the user's views; nothing when there are none."""
    if not arch.views:
        return []
    index = Index(arch)
    out = _duplicates([v.id for v in arch.views], lambda i: ("views", i, "id"), file, lines, "view id")
    out += _selectors(arch, index, file, lines)
    if any(p.severity == "error" for p in out):
        return out
    return out + _limits(arch, file, lines)
