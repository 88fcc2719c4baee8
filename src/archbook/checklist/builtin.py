"""The seed's 14 quality-checklist items, plus cross-artefact rules, evaluated against the model.

Each rule lists every gap it finds (naming the component, pattern, endpoint or flow step and
the missing field), so a failing item tells the author exactly what to add.
"""
from __future__ import annotations

import re

from archbook.checklist.registry import gaps_reason, register
from archbook.model.api import HTTP_METHODS
from archbook.model.flows import Message, iter_steps

__all__ = ["SEED_ITEMS"]

SEED_ITEMS = [
    "High-level architecture diagram included", "All major components documented",
    "Component responsibilities clearly defined", "Data flows visualized with sequence diagrams",
    "Design patterns explained with examples", "Pattern tradeoffs documented", "REST API endpoints fully documented",
    "Request/response schemas provided", "Error codes documented", "Authentication requirements specified",
    "Rate limiting documented", "WebSocket protocols defined (if applicable)", "API versioning strategy documented",
    "Breaking change policy defined",
]
def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _step_path(path: tuple) -> str:
    """('steps', 6, 'steps', 0) -> 'steps[6].steps[0]', the step's place in the YAML."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_CALL = re.compile(r"^\s*(" + "|".join(m.upper() for m in HTTP_METHODS) + r")\s+(/\S*)", re.IGNORECASE)


def _ops(system):
    return system.operations()


def _no_openapi(system):
    return None if _ops(system) else "no REST operations: openapi.yaml is missing or has no paths"


# --- 5.1 System architecture -----------------------------------------------------------------

@register(SEED_ITEMS[0], "5.1")
def architecture_diagram(system):
    arch = system.architecture
    layers = {lay.id for lay in arch.layers}
    gaps = [f"component {c.id} is in unknown layer {c.layer!r}" for c in arch.components if c.layer not in layers]
    if not arch.edges():
        gaps.append("no dependencies between components, so the diagram shows no connections (add depends_on)")
    empty = [lay.id for lay in arch.layers if not any(c.layer == lay.id for c in arch.components)]
    gaps += [f"layer {lid} has no components" for lid in empty]
    return gaps_reason(gaps, f"{len(arch.components)} components in {len(arch.layers)} layers, "
                             f"{len(arch.edges())} dependencies")


@register(SEED_ITEMS[1], "5.1")
def components_documented(system):
    arch = system.architecture
    ids = set(arch.component_ids)
    gaps = []
    for c in arch.components:
        if not c.technology:
            gaps.append(f"component {c.id} has no technology stack")
        gaps += [f"component {c.id} depends on undocumented component {d.target!r}"
                 for d in c.depends_on if d.target not in ids]
    for flow in arch.flows:
        gaps += [f"flow {flow.id} participant {p.id!r} is not a documented component (mark it actor: true)"
                 for p in flow.participants if not p.actor and p.id not in ids]
    return gaps_reason(gaps, f"all {len(ids)} components documented with purpose and technology")


@register(SEED_ITEMS[2], "5.1")
def responsibilities(system):
    comps = system.architecture.components
    gaps = [f"component {c.id} has no responsibilities" for c in comps if not c.responsibilities]
    total = sum(len(c.responsibilities) for c in comps)
    return gaps_reason(gaps, f"{total} responsibilities across {len(comps)} components")


@register(SEED_ITEMS[3], "5.1")
def data_flows(system):
    flows = system.architecture.flows
    if not flows:
        return False, "no data flows: add flows to architecture.yaml"
    gaps = []
    for flow in flows:
        declared = {p.id for p in flow.participants}
        leaves = iter_steps(flow.steps)
        if not any(isinstance(leaf, Message) for _, leaf in leaves):
            gaps.append(f"flow {flow.id} has no messages")
        for _, leaf in leaves:
            named = [leaf.source, leaf.target] if isinstance(leaf, Message) else list(leaf.over)
            gaps += [f"flow {flow.id} uses undeclared participant {n!r}" for n in dict.fromkeys(named) if n not in declared]
    return gaps_reason(list(dict.fromkeys(gaps)), f"{_n(len(flows), 'flow')} drawn as sequence diagrams")


# --- 5.2 Design patterns ---------------------------------------------------------------------

@register(SEED_ITEMS[4], "5.2")
def patterns_explained(system):
    if not system.patterns:
        return False, "no design patterns: add patterns.yaml"
    gaps = []
    for p in system.patterns:
        if not p.usage:
            gaps.append(f"pattern {p.name!r} has no usage in system")
        if not p.benefits:
            gaps.append(f"pattern {p.name!r} has no benefits")
    return gaps_reason(gaps, f"{_n(len(system.patterns), 'pattern')} with structure, implementation example and usage")


@register(SEED_ITEMS[5], "5.2")
def pattern_tradeoffs(system):
    if not system.patterns:
        return False, "no design patterns: add patterns.yaml"
    gaps = [f"pattern {p.name!r} has no tradeoffs" for p in system.patterns if not p.tradeoffs]
    return gaps_reason(gaps, f"tradeoffs documented for all {len(system.patterns)} patterns")


# --- 5.3 API design ---------------------------------------------------------------------------

@register(SEED_ITEMS[6], "5.3")
def endpoints_documented(system):
    if (missing := _no_openapi(system)):
        return False, missing
    gaps = []
    for op in _ops(system):
        if not (op.spec.get("description") or op.spec.get("summary")):
            gaps.append(f"{op.title} has no description")
        if not op.operation_id:
            gaps.append(f"{op.title} has no operationId")
        if not any(s.startswith("2") for s in op.status_codes()):
            gaps.append(f"{op.title} has no success (2xx) response")
    return gaps_reason(gaps, f"all {len(_ops(system))} endpoints documented")


def _content_schema(root, node) -> bool:
    from archbook.model.api import resolve_ref

    node = resolve_ref(root, node or {})
    content = node.get("content") or {}
    return bool(content) and all(isinstance(m, dict) and "schema" in m for m in content.values())


@register(SEED_ITEMS[7], "5.3")
def schemas(system):
    if (missing := _no_openapi(system)):
        return False, missing
    from archbook.model.api import resolve_ref

    root, gaps = system.openapi, []
    for op in _ops(system):
        if "requestBody" in op.spec and not _content_schema(root, op.spec["requestBody"]):
            gaps.append(f"{op.title} request body has no schema")
        for status, resp in (op.spec.get("responses") or {}).items():
            resp = resolve_ref(root, resp)
            if str(status).startswith("2") and str(status) != "204" and not _content_schema(root, resp):
                gaps.append(f"{op.title} response {status} has no schema")
    return gaps_reason(gaps, "request and response schemas given for every endpoint")


@register(SEED_ITEMS[8], "5.3")
def error_codes(system):
    if (missing := _no_openapi(system)):
        return False, missing
    gaps = [f"{op.title} documents no error responses (4xx/5xx)"
            for op in _ops(system) if not any(s[:1] in "45" for s in op.status_codes())]
    n = sum(1 for op in _ops(system) for s in op.status_codes() if s[:1] in "45")
    return gaps_reason(gaps, f"{_n(n, 'error response')} documented")


@register(SEED_ITEMS[9], "5.3")
def authentication(system):
    if (missing := _no_openapi(system)):
        return False, missing
    root = system.openapi
    schemes = (root.get("components") or {}).get("securitySchemes") or {}
    gaps = []
    for op in _ops(system):
        if "security" not in op.spec and "security" not in root:
            gaps.append(f"{op.title} does not state its authentication (add security, or security: [] if public)")
        gaps += [f"{op.title} uses undefined security scheme {name!r}"
                 for req in op.security(root) for name in req if name not in schemes]
    return gaps_reason(gaps, f"authentication stated for all {len(_ops(system))} endpoints")


@register(SEED_ITEMS[10], "5.3")
def rate_limits(system):
    if (missing := _no_openapi(system)):
        return False, missing
    gaps = []
    for op in _ops(system):
        if "x-rate-limit" not in op.spec:
            gaps.append(f"{op.title} has no x-rate-limit")
            continue
        try:
            if op.rate_limit is None:
                raise ValueError("expected a mapping with requests and window_s")
        except ValueError as exc:
            gaps.append(f"{op.title} has an invalid x-rate-limit ({' '.join(str(exc).split())[:160]})")
    return gaps_reason(gaps, f"x-rate-limit on all {len(_ops(system))} endpoints")


def _ws_needed(system) -> list[str]:
    """Why WebSocket docs apply: a WebSocket dependency or a flow step sending an event."""
    why = [f"{c.id} -> {d.target} uses {d.protocol}" for c, d in system.architecture.edges()
           if "websocket" in d.protocol.lower() or d.protocol.lower().startswith("ws")]
    why += [f"flow {f.id} sends event {leaf.event!r}" for f in system.architecture.flows
            for _, leaf in iter_steps(f.steps) if isinstance(leaf, Message) and leaf.event]
    return why


@register(SEED_ITEMS[11], "5.3")
def websocket(system):
    channels = system.ws_channels()
    if not channels:
        why = _ws_needed(system)
        if why:
            return False, f"no asyncapi.yaml channels, but {why[0]}"
        return True, "not applicable: no WebSocket use in the architecture"
    gaps = []
    for ch in channels:
        if ch.server is None:
            gaps.append(f"channel {ch.name} has no server (host)")
        if not ch.messages:
            gaps.append(f"channel {ch.name} defines no messages")
        gaps += [f"channel {ch.name} message {m.key} has no payload schema" for m in ch.messages if m.payload is None]
    known = {n for ch in channels for m in ch.messages for n in (m.key, m.name)}
    gaps += [f"flow {f.id} sends unknown event {leaf.event!r}" for f in system.architecture.flows
             for _, leaf in iter_steps(f.steps) if isinstance(leaf, Message) and leaf.event and leaf.event not in known]
    n = sum(len(ch.messages) for ch in channels)
    return gaps_reason(gaps, f"{_n(len(channels), 'channel')} with {_n(n, 'message type')}")


@register(SEED_ITEMS[12], "5.3")
def versioning(system):
    v = system.versioning
    if v is None:
        return False, "no API versioning strategy: add versioning.yaml"
    return True, (f"{v.approach}; previous version supported {v.support.previous_supported_months} months, "
                  f"{v.support.sunset_months}-month sunset")


@register(SEED_ITEMS[13], "5.3")
def breaking_changes(system):
    v = system.versioning
    if v is None:
        return False, "no breaking change policy: add versioning.yaml with breaking_changes"
    gaps = [] if v.non_breaking_changes else ["versioning.yaml lists no non_breaking_changes"]
    return gaps_reason(gaps, f"{_n(len(v.breaking_changes), 'breaking-change rule')}, "
                             f"{len(v.deprecation_process)}-step deprecation process")


# --- cross-artefact rules ---------------------------------------------------------------------

@register("Flow steps call documented API operations", "5.1", origin="cross")
def flow_operations(system):
    ops = {op.operation_id: op for op in _ops(system) if op.operation_id}
    by_route = {(op.method.upper(), op.path): op for op in _ops(system)}
    gaps = []
    for flow in system.architecture.flows:
        for path, leaf in iter_steps(flow.steps):
            if not isinstance(leaf, Message) or leaf.kind not in ("request", "async"):
                continue
            where = f"flow {flow.id} {_step_path(path)} ({leaf.message!r})"
            if leaf.operation is not None and leaf.operation not in ops:
                gaps.append(f"{where} names unknown operation {leaf.operation!r}")
            elif leaf.operation is None and (m := _CALL.match(leaf.message)):
                known = by_route.get((m.group(1).upper(), m.group(2)))
                hint = f" (add operation: {known.operation_id})" if known and known.operation_id else " (document it in openapi.yaml)"
                gaps.append(f"{where} calls an API but names no operation{hint}")
    calls = sum(1 for f in system.architecture.flows for _, s in iter_steps(f.steps)
                if isinstance(s, Message) and s.operation)
    return gaps_reason(gaps, f"{_n(calls, 'API call')} in flows, all naming documented operations")


@register("Endpoints document 4xx and 5xx responses", "5.3", origin="cross")
def four_and_five(system):
    if (missing := _no_openapi(system)):
        return False, missing
    gaps = []
    for op in _ops(system):
        codes = [s.upper() for s in op.status_codes()]
        for digit, name in (("4", "4xx"), ("5", "5xx")):
            if not any(c.startswith(digit) for c in codes):
                gaps.append(f"{op.title} documents no {name} response")
    return gaps_reason(gaps, f"all {len(_ops(system))} endpoints document 4xx and 5xx responses")


@register("Components have failure modes and a scaling strategy", "5.1", origin="cross")
def failure_and_scaling(system):
    gaps = []
    for c in system.architecture.components:
        if not c.failure_modes:
            gaps.append(f"component {c.id} has no failure_modes")
        if not c.scaling:
            gaps.append(f"component {c.id} has no scaling strategy")
    return gaps_reason(gaps, f"all {len(system.architecture.components)} components have both")


@register("No layer depends upward", "5.1", origin="cross")
def no_upward(system):
    arch = system.architecture
    gaps = [f"{c.id} ({c.layer}) depends on {d.target} ({arch.component(d.target).layer}), a layer above"
            for c, d in arch.upward_dependencies()]
    return gaps_reason(gaps, f"all {len(arch.edges())} dependencies point along or down the layers")
