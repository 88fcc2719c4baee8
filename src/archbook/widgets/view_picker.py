"""Notebook 01's view picker: choose an architecture view (the overview, a level-2 view, one of the
user's `views:`), see its diagram. The same plan as the document (`archbook.model.view_plan`),
shown as Markdown in an Output widget, like the component picker.
"""
from __future__ import annotations

import ipywidgets as widgets

from archbook.model.view_plan import plan_views
from archbook.render import markdown as md
from archbook.render.mermaid import architecture_diagram
from archbook.render.views import plan_diagram
from archbook.widgets.component_picker import _architecture, markdown_output

__all__ = ["view_picker", "view_options", "view_markdown", "ViewPicker"]


def _graphs(plan) -> dict:
    head = {"architecture": None} if plan.single else {"overview": plan.overview}
    return head | {v.id: v for v in plan.views}


def view_options(system) -> list[tuple[str, str]]:
    """(label, view id) for every view the document draws, whole system or overview first."""
    plan = plan_views(_architecture(system))
    first = [("Whole system", "architecture")] if plan.single else [("Overview (level 1)", "overview")]
    return first + [(f"{v.title} ({v.id})", v.id) for v in plan.views]


def view_markdown(system, view: str) -> str:
    """Markdown for one view: its title, its description, its diagram."""
    arch = _architecture(system)
    plan = plan_views(arch)
    graphs = _graphs(plan)
    if view not in graphs:
        raise KeyError(f"unknown view {view!r}; known: {', '.join(graphs)}")
    graph = graphs[view]
    if graph is None:  # the whole system, exactly as the document draws it
        return f"{md.mermaid_block(architecture_diagram(arch))}\n"
    about = f"{md.text(graph.description)}\n\n" if graph.description else ""
    return f"#### {md.text(graph.title)}\n\n{about}{md.mermaid_block(plan_diagram(plan, graph))}\n"


class ViewPicker:
    """A Dropdown of views and an Output showing the chosen one; `.widget` is the panel."""

    def __init__(self, system, view: str | None = None):
        self.system = system
        options = view_options(system)
        self.dropdown = widgets.Dropdown(options=options, value=view or options[0][1], description="View",
                                         layout=widgets.Layout(width="32rem"))
        self.dropdown.add_class("archbook-view-picker")
        self.output = widgets.Output()
        self.output.add_class("archbook-view")
        self.dropdown.observe(lambda change: self.show(change["new"]), names="value")
        self.widget = widgets.VBox([self.dropdown, self.output])
        self.show(self.dropdown.value)

    def show(self, view: str) -> None:
        self.output.outputs = markdown_output(view_markdown(self.system, view))

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def view_picker(system, view: str | None = None) -> ViewPicker:
    """The picker for a loaded system (or its architecture), showing `view` first."""
    return ViewPicker(system, view)
