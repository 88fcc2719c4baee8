"""The seed's first best practice as a checklist item: architecture diagrams limit complexity.

Every diagram the document draws is measured against `diagram_budget` (architecture.yaml):
the whole-system diagram or the overview, each view, each card's neighbourhood, each flow part.
"""
from __future__ import annotations

from archbook.checklist.registry import gaps_reason, register

__all__ = ["ITEM", "diagram_complexity"]

ITEM = "Architecture diagrams limit complexity"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _flow_gaps(arch) -> tuple[list[str], int]:
    from archbook.model.flow_parts import flow_parts

    gaps, count = [], 0
    for flow in arch.flows:
        for part in flow_parts(flow, arch.diagram_budget):
            count += 1
            why = part.over_budget(arch.diagram_budget)
            if why:
                name = f"flow {flow.id}" + (f" phase {part.title!r}" if part.title else "")
                gaps.append(f"{name}: {', '.join(why)} (split it with `phase:` markers)")
    return gaps, count


@register(ITEM, "5.1")
def diagram_complexity(system):
    from archbook.model.view_plan import plan_views

    arch = system.architecture
    budget = arch.diagram_budget
    graphs = plan_views(arch).graphs()
    gaps = [f"{'view' if g.level < 3 else 'card neighbourhood'} {g.id}: {', '.join(why)}"
            for g in graphs if (why := g.over_budget(budget))]
    flow_gaps, parts = _flow_gaps(arch)
    largest = max(graphs, key=lambda g: (len(g.nodes), len(g.edges)))
    return gaps_reason(gaps + flow_gaps,
                       f"{_n(len(graphs), 'architecture diagram')} and {_n(parts, 'sequence diagram')} within "
                       f"{budget.nodes} nodes and {budget.edges} edges each (largest: {largest.id}, "
                       f"{len(largest.nodes)} nodes, {len(largest.edges)} edges)")
