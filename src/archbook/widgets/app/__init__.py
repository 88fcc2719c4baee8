"""The stakeholder app that `archbook serve` shows with Voilà: the capacity panel, no code.

The app notebook (`capacity_app.ipynb`, package data) holds one call to
`capacity_app()`; the system to show comes from the `ARCHBOOK_SYSTEM`
environment variable, which `archbook serve` sets to an absolute path because
Voilà runs the kernel inside this package folder, not in the user's project.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["capacity_app", "APP_NOTEBOOK", "JUPYTER_DIR", "SYSTEM_ENV", "TEMPLATE", "DEFAULT_SYSTEM"]

SYSTEM_ENV = "ARCHBOOK_SYSTEM"
DEFAULT_SYSTEM = "data/video-editor"
HERE = Path(__file__).resolve().parent
APP_NOTEBOOK = HERE / "capacity_app.ipynb"
# Prepended to JUPYTER_PATH so that Voilà finds the offline `archbook` template.
JUPYTER_DIR = HERE / "jupyter"
TEMPLATE = "archbook"


def capacity_app(system: str | os.PathLike | None = None, **panel_options):
    """The capacity panel, under a heading naming the system.

    `system` is a system folder or its queue.yaml (default: $ARCHBOOK_SYSTEM, else
    the example system); `panel_options` go to `capacity_panel` (jobs, replications, ...).
    """
    import html

    import ipywidgets as widgets

    from archbook.sim import load_scenario
    from archbook.load.scenario import resolve_scenario_path
    from archbook.widgets.capacity import capacity_panel

    path = resolve_scenario_path(system or os.environ.get(SYSTEM_ENV) or DEFAULT_SYSTEM)
    heading = widgets.HTML(f"<h2 class='archbook-app-title'>Capacity: {html.escape(path.parent.name)}</h2>")
    return widgets.VBox([heading, capacity_panel(load_scenario(path), **panel_options)])
