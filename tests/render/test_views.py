"""Views over the model: selection semantics, default levels 1-3, budgets, flow phases, and the
video editor's document staying as it was."""
from __future__ import annotations

import re

import pytest

from archbook.model import Architecture
from archbook.model.flow_parts import flow_parts
from archbook.model.view_graph import Index, members, resolve_view
from archbook.model.view_plan import plan_views
from archbook.model.views import MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, DiagramBudget, View
from archbook.render import architecture_diagram, render_section, sequence_diagram
from archbook.render.views import plan_diagram

import large_system


def _arch(mini, **extra) -> Architecture:
    data = mini.architecture.model_dump(by_alias=True)
    data.update(extra)
    return Architecture.model_validate(data)


def _view(**kw) -> View:
    return View.model_validate({"id": "v", "title": "V", **kw})


@pytest.fixture(scope="module")
def large():
    return large_system.model(300, 900)


# --- selection ------------------------------------------------------------------------------

def test_include_exclude_glob_tag_and_neighbourhood(mini):
    data = mini.architecture.model_dump(by_alias=True)
    for c in data["components"]:
        c["tags"] = ["core"] if c["id"] in ("Api", "Worker") else []
    index = Index(Architecture.model_validate(data))
    assert members(index, _view()) == index.arch.component_ids  # no include: everything
    assert members(index, _view(include=[{"layer": "data"}])) == ["Db", "Cache", "Blob"]
    assert members(index, _view(include=[{"tag": "core"}])) == ["Api", "Worker"]
    assert members(index, _view(include=[{"component": "W*"}, {"layer": "data"}],
                                exclude=[{"component": "Ca*"}])) == ["Web", "Worker", "Db", "Blob"]
    assert members(index, _view(include=[{"neighbours_of": "Queue", "depth": 1}])) == ["Api", "Queue", "Worker", "Cache"]
    assert set(members(index, _view(include=[{"neighbours_of": "Queue", "depth": 2}]))) == \
        {"Web", "Api", "Queue", "Worker", "Cache", "Db", "Llm", "Blob"}


def test_selector_needs_exactly_one_predicate():
    with pytest.raises(ValueError, match="exactly one of layer, group, tag, component, neighbours_of"):
        _view(include=[{"layer": "data", "tag": "x"}])
    with pytest.raises(ValueError, match="exactly one of layer, group"):
        _view(collapse=[{}])


def test_collapse_merges_edges_with_counts_and_protocols(mini):
    index = Index(mini.architecture)
    graph = resolve_view(index, _view(collapse=[{"layer": "data"}]))
    box = next(n for n in graph.nodes if n.key == "layer:data")
    assert box.is_box and box.members == 3 and box.label == "Data Layer"
    assert not any(n.key in ("Db", "Cache", "Blob") for n in graph.nodes)
    api_to_data = next(e for e in graph.edges if (e.source, e.target) == ("Api", "layer:data"))
    assert (api_to_data.count, api_to_data.protocols, api_to_data.label) == (1, ("HTTPS",), None)
    queue = next(e for e in graph.edges if e.target == "layer:data" and e.source == "Queue")
    assert queue.protocols == ("Redis protocol",)


def test_outside_neighbours_hidden_or_collapsed(mini):
    index = Index(mini.architecture)
    hidden = resolve_view(index, _view(include=[{"layer": "backend"}]))
    assert [n.key for n in hidden.nodes] == ["Queue", "Worker"]
    assert [(e.source, e.target) for e in hidden.edges] == [("Worker", "Queue")]
    shown = resolve_view(index, _view(include=[{"layer": "backend"}], neighbours="collapsed"))
    assert [n.key for n in shown.nodes] == ["layer:api", "Queue", "Worker", "layer:data"]
    data_in = [e for e in shown.edges if e.target == "layer:data"]
    assert {(e.source, e.count) for e in data_in} == {("Queue", 1), ("Worker", 1)}
    api = next(n for n in shown.nodes if n.key == "layer:api")
    assert api.members == 1  # the whole API layer, which has one component


def test_group_boxes_aggregate_many_edges():
    arch = large_system.model(120, 400)
    index = Index(arch)
    view = _view(include=[{"group": "billing"}], neighbours="collapsed")
    graph = resolve_view(index, view)
    total = sum(e.count for e in graph.edges)
    touching = sum(1 for c, d in arch.edges() if "billing" in (c.group, arch.component(d.target).group))
    assert total == touching
    merged = [e for e in graph.edges if e.count > 1]
    assert merged and all(e.label.startswith(f"{e.count} deps: ") for e in merged)


# --- defaults -------------------------------------------------------------------------------

def test_small_system_keeps_its_single_diagram(video_editor):
    plan = plan_views(video_editor.architecture)
    assert plan.single and plan.views == () and plan.overview is None
    assert plan.card(video_editor.components[0].id) is None


def test_video_editor_section_is_unchanged(video_editor):
    """Exactly today's diagram and flows: one graph, one sequence diagram per flow, no views, no card diagrams."""
    arch = video_editor.architecture
    text = render_section(video_editor, "5.1")
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.S)
    assert blocks == [architecture_diagram(arch)] + [sequence_diagram(f, arch) for f in arch.flows]
    for absent in ("Architecture Views", "Neighbourhood (one hop)", "<a id=", "click ", "Phase:"):
        assert absent not in text


@pytest.mark.parametrize("groups", [True, False])
def test_large_system_diagrams_keep_to_budget_and_mermaid_limits(groups):
    arch = large_system.model(300, 900, groups=groups)
    plan = plan_views(arch)
    graphs = plan.graphs()
    assert not plan.single and len(graphs) == 1 + len(plan.views) + len(arch.components)
    for g in graphs:
        assert g.over_budget(arch.diagram_budget) == [], g.id
        text = plan_diagram(plan, g)
        assert len(g.nodes) <= 80 and len(g.edges) < MERMAID_MAX_EDGES and len(text) <= MERMAID_MAX_TEXT
    # every component is drawn individually in exactly one level-2 part (no user views here)
    drawn = [n.key for v in plan.views if not v.id.startswith("whitebox-") for n in v.nodes if not n.is_box]
    assert sorted(drawn) == sorted(arch.component_ids)


def test_overview_boxes_link_to_views_that_exist(large):
    plan = plan_views(large)
    links = [n.link for n in plan.overview.nodes]
    assert all(n.is_box for n in plan.overview.nodes) and None not in links
    assert all(plan.has(vid) for vid in links)
    text = plan_diagram(plan, plan.overview)
    assert len(re.findall(r'^    click n\d+ href "#view-[A-Za-z0-9_.-]+"$', text, re.M)) == len(plan.overview.nodes)


def test_layers_overview_when_groups_are_tangled(large):
    plan = plan_views(large)
    assert [n.key for n in plan.overview.nodes] == [f"layer:{lid}" for lid, _ in large_system.LAYERS]
    services = next(v for v in plan.views if v.id == "whitebox-services")
    assert {n.key for n in services.nodes if n.layer == "services"} == \
        {f"group:{c.group}" for c in large.components if c.layer == "services"}


def test_oversized_layer_is_split_into_linked_parts():
    arch = large_system.model(300, 900, groups=False)
    plan = plan_views(arch)
    parts = [v for v in plan.views if v.id.startswith("layer-services")]
    assert len(parts) >= 4 and parts[0].title == f"Domain Services (part 1 of {len(parts)})"
    others = [n for n in parts[0].nodes if n.key.startswith("part:")]
    assert {n.link for n in others} == {p.id for p in parts[1:]}


def test_card_neighbourhood_is_one_hop_and_collapses_when_too_big(large):
    plan = plan_views(large)
    hub = max(large.components, key=lambda c: len(c.depends_on) + len(large.consumed_by(c.id)))
    small = min(large.components, key=lambda c: len(c.depends_on) + len(large.consumed_by(c.id)))
    g = plan.card(small.id)
    near = {small.id} | {d.target for d in small.depends_on} | {c.id for c in large.consumed_by(small.id)}
    assert {n.key for n in g.nodes} == near
    big = plan.card(hub.id)
    assert big.over_budget(large.diagram_budget) == [] and any(n.key == hub.id for n in big.nodes)


def test_budget_is_configurable(mini):
    arch = _arch(mini, diagram_budget={"nodes": 4, "edges": 5})
    plan = plan_views(arch)
    assert not plan.single and plan.overview is not None
    assert [n.key for n in plan.overview.nodes] == [f"layer:{la.id}" for la in arch.layers]
    with pytest.raises(ValueError):
        DiagramBudget(edges=MERMAID_MAX_EDGES + 1)


# --- flows ----------------------------------------------------------------------------------

def test_flow_without_phases_stays_whole(video_editor):
    for flow in video_editor.flows:
        assert [(p.title, p.flow) for p in flow_parts(flow, DiagramBudget())] == [(None, flow)]


def test_phases_and_long_flows_are_split_within_budget(large):
    budget = large.diagram_budget
    long_flow = next(f for f in large.flows if f.id == "long")
    parts = flow_parts(long_flow, budget)
    # 45 participants in turn: each part stops before its 41st participant
    assert [p.title for p in parts] == [f"A long flow (part {i} of 4)" for i in (1, 2, 3, 4)]
    assert [len(p.flow.steps) for p in parts] == [39, 39, 39, 3]
    assert all(p.over_budget(budget) == [] and len(p.flow.participants) == 40 for p in parts[:3])
    assert sum(len(p.flow.steps) for p in parts) == 120
    phased = flow_parts(next(f for f in large.flows if f.id == "phased"), budget)
    assert [p.title for p in phased] == ["Prepare", "Execute"]
    assert len(phased[0].flow.participants) == 31 and "participant" in sequence_diagram(phased[0].flow, large)


def test_phase_marker_only_at_top_level():
    from archbook.model import Flow

    with pytest.raises(ValueError, match="phase:. marker belongs at the top level"):
        Flow.model_validate({"id": "f", "title": "F", "participants": ["A", "B"],
                             "steps": [{"opt": "maybe", "steps": [{"phase": "X"}]}]})
