"""Cross-reference checks: every id is unique and every reference leads somewhere.

Pydantic checks one file's shape; these rules span files (a flow step naming an OpenAPI
operationId, a pattern naming components) and report the line of the reference.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from archbook.errors import Problem
from archbook.load.diagnose import dotted
from archbook.model.architecture import Architecture
from archbook.model.flows import Message, Note, iter_steps
from archbook.model.patterns import Pattern

__all__ = ["check_architecture", "check_patterns", "check_api_refs", "check_graphql_refs"]

Lines = Callable[[tuple], "int | None"]


def _hint(name: str, choices: Iterable[str], what: str) -> str:
    choices = sorted(set(choices))
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    head = f"did you mean `{close[0]}`? " if close else ""
    shown = ", ".join(choices[:20]) + (" ..." if len(choices) > 20 else "")
    return f"{head}known {what}: {shown}" if choices else f"{head}no {what} are defined"


def _duplicates(items: list[str], path_of: Callable[[int], tuple], file: str, lines: Lines, what: str) -> list[Problem]:
    first: dict[str, int] = {}
    out = []
    for i, item in enumerate(items):
        if item in first:
            where = lines(path_of(first[item]))
            out.append(Problem(file, lines(path_of(i)), dotted(path_of(i)), f"duplicate {what} `{item}`",
                               f"{what}s must be unique; the first `{item}` is at line {where}"))
        else:
            first[item] = i
    return out


def check_architecture(arch: Architecture, file: str, lines: Lines) -> list[Problem]:
    """Ids unique; layers, dependency targets and flow participants exist; upward edges warned."""
    out: list[Problem] = []
    out += _duplicates([l.id for l in arch.layers], lambda i: ("layers", i, "id"), file, lines, "layer id")
    out += _duplicates(arch.component_ids, lambda i: ("components", i, "id"), file, lines, "component id")
    out += _duplicates([f.id for f in arch.flows], lambda i: ("flows", i, "id"), file, lines, "flow id")
    layer_ids = [l.id for l in arch.layers]
    comp_ids = arch.component_ids
    for i, comp in enumerate(arch.components):
        if comp.layer not in layer_ids:
            path = ("components", i, "layer")
            out.append(Problem(file, lines(path), dotted(path), f"component `{comp.id}` is in unknown layer `{comp.layer}`",
                               _hint(comp.layer, layer_ids, "layers")))
        for j, dep in enumerate(comp.depends_on):
            path = ("components", i, "depends_on", j, "target")
            if dep.target not in comp_ids:
                out.append(Problem(file, lines(path), dotted(path),
                                   f"`{comp.id}` depends on `{dep.target}`, which is not a component",
                                   _hint(dep.target, comp_ids, "components")))
            elif dep.target == comp.id:
                out.append(Problem(file, lines(path), dotted(path), f"`{comp.id}` depends on itself",
                                   "remove this dependency"))
        out += _duplicates([d.target for d in comp.depends_on], lambda j, i=i: ("components", i, "depends_on", j, "target"),
                           file, lines, "dependency target")
    out += _upward(arch, file, lines)
    for i, flow in enumerate(arch.flows):
        out += _check_flow(arch, i, file, lines)
    return out


def _upward(arch: Architecture, file: str, lines: Lines) -> list[Problem]:
    layer_ids = [l.id for l in arch.layers]
    index = {c.id: i for i, c in enumerate(arch.components)}
    out = []
    for comp in arch.components:
        for j, dep in enumerate(comp.depends_on):
            target = arch.components[index[dep.target]] if dep.target in index else None
            if target is None or comp.layer not in layer_ids or target.layer not in layer_ids:
                continue
            if layer_ids.index(target.layer) < layer_ids.index(comp.layer):
                path = ("components", index[comp.id], "depends_on", j, "target")
                out.append(Problem(
                    file, lines(path), dotted(path),
                    f"`{comp.id}` (layer `{comp.layer}`) depends on `{dep.target}` in the higher layer `{target.layer}`",
                    "dependencies should point down the layer list; invert it (e.g. an event or callback) "
                    "or move one of the components", severity="warning"))
    return out


def _check_flow(arch: Architecture, fi: int, file: str, lines: Lines) -> list[Problem]:
    flow = arch.flows[fi]
    base = ("flows", fi)
    comp_ids = set(arch.component_ids)
    out = _duplicates([p.id for p in flow.participants], lambda k: base + ("participants", k, "id"), file, lines,
                      "participant")
    for k, part in enumerate(flow.participants):
        if not part.actor and part.id not in comp_ids:
            path = base + ("participants", k)
            out.append(Problem(file, lines(path), dotted(path + ("id",)),
                               f"flow `{flow.id}`: participant `{part.id}` is not a component",
                               _hint(part.id, comp_ids, "components")
                               + f"; for a person or outside system write `{{id: {part.id}, actor: true}}`"))
    names = [p.id for p in flow.participants]
    for path, step in iter_steps(flow.steps):
        full = base + path
        if isinstance(step, Message):
            for key, who in (("from", step.source), ("to", step.target)):
                if who not in names:
                    p = full + (key,)
                    out.append(Problem(file, lines(p), dotted(p),
                                       f"flow `{flow.id}`: step {key} `{who}`, which is not a participant of this flow",
                                       _hint(who, names, "participants") + "; add it to `participants`"))
        elif isinstance(step, Note):
            for k, who in enumerate(step.over):
                if who not in names:
                    p = full + ("over", k)
                    out.append(Problem(file, lines(p), dotted(p),
                                       f"flow `{flow.id}`: note over `{who}`, which is not a participant of this flow",
                                       _hint(who, names, "participants")))
    return out


def check_patterns(patterns: list[Pattern], comp_ids: list[str], file: str, lines: Lines) -> list[Problem]:
    out = _duplicates([p.name for p in patterns], lambda i: ("patterns", i, "name"), file, lines, "pattern name")
    for i, pattern in enumerate(patterns):
        for j, use in enumerate(pattern.usage):
            for k, comp in enumerate(use.components):
                if comp not in comp_ids:
                    path = ("patterns", i, "usage", j, "components", k)
                    out.append(Problem(file, lines(path), dotted(path),
                                       f"pattern `{pattern.name}` is used by `{comp}`, which is not a component",
                                       _hint(comp, comp_ids, "components") + " (ids from architecture.yaml)"))
    return out


def check_api_refs(arch: Architecture, file: str, lines: Lines,
                   operation_ids: set[str] | None, message_names: set[str] | None) -> list[Problem]:
    """Flow steps naming an OpenAPI operationId or AsyncAPI message that does not exist.

    `None` means the document is absent or unreadable; its own problem is reported elsewhere.
    """
    out = []
    for fi, flow in enumerate(arch.flows):
        for path, step in iter_steps(flow.steps):
            if not isinstance(step, Message):
                continue
            full = ("flows", fi) + path
            if step.operation is not None and operation_ids is not None and step.operation not in operation_ids:
                p = full + ("operation",)
                out.append(Problem(file, lines(p), dotted(p),
                                   f"flow `{flow.id}`: operation `{step.operation}` is not an operationId in openapi.yaml",
                                   _hint(step.operation, operation_ids, "operationIds")))
            if step.event is not None and message_names is not None and step.event not in message_names:
                p = full + ("event",)
                out.append(Problem(file, lines(p), dotted(p),
                                   f"flow `{flow.id}`: event `{step.event}` is not a message in asyncapi.yaml",
                                   _hint(step.event, message_names, "messages")))
    return out


def check_graphql_refs(arch: Architecture, file: str, lines: Lines, refs: set[str] | None) -> list[Problem]:
    """Flow steps naming a GraphQL root operation (`graphql: Query.job`) the schema lacks.

    `None` means the schema is unreadable (its own problems are reported); an empty set, that there is none.
    """
    out = []
    for fi, flow in enumerate(arch.flows):
        for path, step in iter_steps(flow.steps):
            if isinstance(step, Message) and step.graphql is not None and refs is not None and step.graphql not in refs:
                p = ("flows", fi) + path + ("graphql",)
                where = "the GraphQL schema" if refs else "any GraphQL schema (the system has none)"
                out.append(Problem(file, lines(p), dotted(p), f"flow `{flow.id}`: `{step.graphql}` is not a root "
                                   f"operation of {where}", _hint(step.graphql, refs, "root operations")))
    return out
