"""Notebook 01's component picker: choose a component, see its card and its neighbourhood.

The view is Markdown (the card, then a Mermaid fence of the component's
one-hop neighbourhood), which JupyterLab renders natively, diagram included.
It is written into the Output widget as one display bundle, replacing the old
one at once, so nothing flickers and it works without a running kernel too.
"""
from __future__ import annotations

import ipywidgets as widgets

from archbook.render import markdown as md
from archbook.render.cards import component_card
from archbook.render.mermaid import architecture_diagram

__all__ = ["component_picker", "component_view", "ComponentPicker"]


def _architecture(system):
    """Accept a loaded system or a bare architecture (both are public entry points)."""
    return getattr(system, "architecture", system)


def component_view(system, component_id: str, depth: int = 1) -> str:
    """Markdown for one component: its card, then its `depth`-hop neighbourhood diagram."""
    arch = _architecture(system)
    comp = arch.component(component_id)
    diagram = architecture_diagram(arch, focus=comp.id, depth=depth)
    heading = f"#### Neighbourhood of {md.text(comp.name)}"
    return f"{component_card(comp, arch)}\n\n{heading}\n\n{md.mermaid_block(diagram)}\n"


def markdown_output(text: str) -> tuple[dict, ...]:
    """One display_data bundle for an Output widget's `outputs`."""
    return ({"output_type": "display_data", "metadata": {},
             "data": {"text/markdown": text, "text/plain": text}},)


class ComponentPicker:
    """A Dropdown of components and an Output showing the chosen one; `.widget` is the panel."""

    def __init__(self, system, component: str | None = None, depth: int = 1):
        self.system, self.depth = system, depth
        arch = _architecture(system)
        options = [(f"{c.name} ({c.id})", c.id) for c in arch.components]
        self.dropdown = widgets.Dropdown(options=options, value=component or options[0][1],
                                         description="Component", layout=widgets.Layout(width="28rem"))
        self.dropdown.add_class("archbook-component-picker")
        self.output = widgets.Output()
        self.output.add_class("archbook-component-view")
        self.dropdown.observe(self._on_change, names="value")
        self.widget = widgets.VBox([self.dropdown, self.output])
        self.show(self.dropdown.value)

    def show(self, component_id: str) -> None:
        self.output.outputs = markdown_output(component_view(self.system, component_id, self.depth))

    def _on_change(self, change) -> None:
        self.show(change["new"])

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def component_picker(system, component: str | None = None, depth: int = 1) -> ComponentPicker:
    """The picker for a loaded system (or its architecture), showing `component` first."""
    return ComponentPicker(system, component, depth)
