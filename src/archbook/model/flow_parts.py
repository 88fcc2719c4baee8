"""Split a flow into the sequence diagrams it is drawn as: one per `phase:`, long phases in parts.

A flow without phase markers that keeps to the budget stays one diagram with every declared
participant, exactly as before. Otherwise each part declares only the participants it uses, so
a 45-participant flow becomes diagrams that each show a handful. Pure: no I/O, no Mermaid.
"""
from __future__ import annotations

from dataclasses import dataclass

from archbook.model.flows import Flow, Message, Phase, iter_steps
from archbook.model.views import DiagramBudget

__all__ = ["FlowPart", "flow_parts", "step_count", "mentioned"]


@dataclass(frozen=True)
class FlowPart:
    """`title` is None when the flow is drawn whole; `flow` is the part as a flow of its own."""

    title: str | None
    flow: Flow

    def over_budget(self, budget: DiagramBudget) -> list[str]:
        out = []
        if len(self.flow.participants) > budget.nodes:
            out.append(f"{len(self.flow.participants)} participants (budget {budget.nodes})")
        if (n := step_count(self.flow.steps)) > budget.edges:
            out.append(f"{n} steps (budget {budget.edges})")
        return out


def step_count(steps: list) -> int:
    """Arrows and notes: what a sequence diagram draws one line for."""
    return len(iter_steps(steps))


def mentioned(steps: list) -> list[str]:
    out: list[str] = []
    for _, leaf in iter_steps(steps):
        out += [leaf.source, leaf.target] if isinstance(leaf, Message) else list(leaf.over)
    return list(dict.fromkeys(out))


def _phases(flow: Flow) -> list[tuple[str | None, list]]:
    out: list[tuple[str | None, list]] = [(None, [])]
    for step in flow.steps:
        if isinstance(step, Phase):
            out.append((step.phase, []))
        else:
            out[-1][1].append(step)
    return [(title, steps) for title, steps in out if steps]


def _chunks(steps: list, budget: DiagramBudget) -> list[list]:
    """Top-level steps in runs within the budget's arrows and participants (a bigger block stays whole)."""
    out: list[list] = [[]]
    for step in steps:
        trial = out[-1] + [step]
        if out[-1] and (step_count(trial) > budget.edges or len(mentioned(trial)) > budget.nodes):
            out.append([])
        out[-1].append(step)
    return out


def _part(flow: Flow, title: str | None, steps: list) -> FlowPart:
    used = set(mentioned(steps))
    cast = [p for p in flow.participants if p.id in used]
    return FlowPart(title, flow.model_copy(update={"participants": cast, "steps": steps}))


def flow_parts(flow: Flow, budget: DiagramBudget) -> list[FlowPart]:
    """The diagrams for `flow`: whole when it fits and has no phases; else per phase, long ones in parts."""
    phases = _phases(flow)
    whole = FlowPart(None, flow)
    if not any(isinstance(s, Phase) for s in flow.steps) and not whole.over_budget(budget):
        return [whole]
    out = []
    for title, steps in phases:
        chunks = _chunks(steps, budget)
        name = title or ("Start" if len(phases) > 1 else flow.title)
        for i, chunk in enumerate(chunks):
            label = name if len(chunks) == 1 else f"{name} (part {i + 1} of {len(chunks)})"
            out.append(_part(flow, label, chunk))
    return out
