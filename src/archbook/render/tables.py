"""The tables a designer works with, as DataFrames: responsibilities, dependencies, fan-in/fan-out,
pattern usage and the endpoint overview. Notebooks display them; nothing here formats text.

A plain DataFrame's HTML escapes its cells, but a pandas `Styler` does not (its default
leaves HTML in cells and labels as it is). `style()` is the only way a notebook styles a
table: it escapes every cell and both axes' labels, so a component named `<img onerror>`
stays text.
"""
from __future__ import annotations

import html

import pandas as pd
from pandas.io.formats.style import Styler

from archbook.model.architecture import Architecture
from archbook.model.system import SystemModel
from archbook.render import http_views
from archbook.render.asyncapi_views import channel_view

__all__ = ["style", "responsibilities", "dependency_matrix", "fan_in_out", "dependencies", "patterns",
           "pattern_usage", "endpoints", "ws_messages"]


def style(frame: pd.DataFrame, formatter=None) -> Styler:
    """`frame.style` with HTML escaping of every cell (after `formatter`), label and axis name."""
    frame = frame.copy(deep=False)
    frame.index = frame.index.set_names(_escaped_names(frame.index))
    frame.columns = frame.columns.set_names(_escaped_names(frame.columns))
    styler = frame.style.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    if formatter is None:
        return styler.format(escape="html")
    return styler.format(lambda v: html.escape(str(formatter(v))))


def _escaped_names(axis: pd.Index) -> list:
    return [None if n is None else html.escape(str(n)) for n in axis.names]


def responsibilities(arch: Architecture) -> pd.DataFrame:
    """Component × responsibility, one row each (so a designer can spot overlaps and gaps)."""
    layer = {lay.id: lay.name for lay in arch.layers}
    rows = [{"layer": layer.get(c.layer, c.layer), "component": c.name, "kind": c.kind.value, "#": i + 1,
             "responsibility": r} for c in arch.components for i, r in enumerate(c.responsibilities or ["—"])]
    return pd.DataFrame(rows, columns=["layer", "component", "kind", "#", "responsibility"])


def dependencies(arch: Architecture) -> pd.DataFrame:
    """Every edge with what flows along it: source, target, data, protocol, async, direction."""
    names = {c.id: c.name for c in arch.components}
    order = {lay.id: i for i, lay in enumerate(arch.layers)}
    layer_of = {c.id: c.layer for c in arch.components}
    rows = []
    for comp, dep in arch.edges():
        delta = order.get(layer_of.get(dep.target), 0) - order.get(comp.layer, 0)
        rows.append({"from": comp.name, "to": names.get(dep.target, dep.target), "data": dep.data,
                     "protocol": dep.protocol, "async": dep.is_async,
                     "direction": "down" if delta > 0 else ("same layer" if delta == 0 else "UP")})
    return pd.DataFrame(rows, columns=["from", "to", "data", "protocol", "async", "direction"])


def dependency_matrix(arch: Architecture, values: str = "protocol") -> pd.DataFrame:
    """Square matrix (row depends on column), in layer order; cells hold the protocol or a count."""
    names = [c.name for c in arch.components]
    by_id = {c.id: c.name for c in arch.components}
    empty = 0 if values == "count" else ""
    matrix = pd.DataFrame(empty, index=pd.Index(names, name="depends on →"), columns=names, dtype=object)
    for comp, dep in arch.edges():
        if dep.target not in by_id:
            continue
        cell = matrix.at[comp.name, by_id[dep.target]]
        if values == "count":
            matrix.at[comp.name, by_id[dep.target]] = cell + 1
        else:
            text = dep.protocol + (" (async)" if dep.is_async else "")
            matrix.at[comp.name, by_id[dep.target]] = f"{cell}, {text}" if cell else text
    return matrix.astype(int) if values == "count" else matrix


def fan_in_out(arch: Architecture) -> pd.DataFrame:
    """Fan-out (what a component needs) and fan-in (who needs it): hubs and single points of failure."""
    rows = [{"component": c.name, "layer": c.layer, "kind": c.kind.value,
             "fan_out": len({d.target for d in c.depends_on}), "fan_in": len(arch.consumed_by(c.id))}
            for c in arch.components]
    frame = pd.DataFrame(rows, columns=["component", "layer", "kind", "fan_out", "fan_in"])
    frame["total"] = frame.fan_out + frame.fan_in
    return frame.sort_values(["total", "fan_in"], ascending=False, kind="stable").reset_index(drop=True)


def patterns(system: SystemModel) -> pd.DataFrame:
    names = {c.id: c.name for c in system.components}
    rows = [{"pattern": p.name, "category": p.category, "benefits": len(p.benefits), "tradeoffs": len(p.tradeoffs),
             "used_by": ", ".join(dict.fromkeys(names.get(c, c) for u in p.usage for c in u.components))}
            for p in system.patterns]
    return pd.DataFrame(rows, columns=["pattern", "category", "benefits", "tradeoffs", "used_by"])


def pattern_usage(system: SystemModel) -> pd.DataFrame:
    """Pattern × component: True where the pattern is used (only components that use some pattern)."""
    names = {c.id: c.name for c in system.components}
    used = list(dict.fromkeys(c for p in system.patterns for u in p.usage for c in u.components))
    frame = pd.DataFrame(False, index=pd.Index([p.name for p in system.patterns], name="pattern"),
                         columns=[names.get(c, c) for c in used])
    for p in system.patterns:
        for u in p.usage:
            for c in u.components:
                frame.at[p.name, names.get(c, c)] = True
    return frame


def endpoints(system: SystemModel) -> pd.DataFrame:
    """One row per REST operation: authentication, rate limit and the status codes it documents."""
    rows = []
    for api, op in ((api, op) for api in system.http_apis for op in api.operations):
        view = http_views.endpoint_view(op, api)
        codes = [r.status for r in op.responses]
        rows.append({"method": view.method, "path": view.path, "operation_id": view.operation_id, "tag": view.tag,
                     "authentication": view.authentication, "rate_limit": view.rate_limit or "—",
                     "success": ", ".join(c for c in codes if c[:1] not in "45" and c != "default"),
                     "errors": ", ".join(c for c in codes if c[:1] in "45" or c == "default")})
    cols = ["method", "path", "operation_id", "tag", "authentication", "rate_limit", "success", "errors"]
    return pd.DataFrame(rows, columns=cols)


def ws_messages(system: SystemModel) -> pd.DataFrame:
    """One row per AsyncAPI message type (any protocol): channel, endpoint, direction, authentication."""
    rows = []
    for ch, root in system.channels_with_documents():
        view = channel_view(ch, root)
        rows += [{"channel": view.title, "endpoint": view.endpoint, "message": m.title, "direction": m.direction,
                  "authentication": view.authentication} for m in view.messages]
    return pd.DataFrame(rows, columns=["channel", "endpoint", "message", "direction", "authentication"])


def graphql_operations(system: SystemModel) -> pd.DataFrame:
    """One row per GraphQL root operation: arguments, return type, examples, deprecation."""
    api = system.graphql
    rows = [{"operation": op.ref, "kind": op.root, "arguments": ", ".join(f"{a.name}: {a.type}" for a in op.field.args),
             "returns": op.field.type, "examples": ", ".join(f"{e.name} ({e.origin})" for e in op.examples) or "—",
             "deprecated": op.field.deprecation or ""} for op in (api.operations if api else ())]
    return pd.DataFrame(rows, columns=["operation", "kind", "arguments", "returns", "examples", "deprecated"])
