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


def capacity_app(system: str | os.PathLike | None = None):
    """The capacity panel for `system` (default: $ARCHBOOK_SYSTEM, else the example system)."""
    from archbook.load.find import find_system
    from archbook.widgets.capacity import capacity_panel

    path = find_system(system or os.environ.get(SYSTEM_ENV) or DEFAULT_SYSTEM)
    return capacity_panel(_scenario(path))


def _scenario(system_path: Path):
    """The queue scenario of a system folder, through the public loader."""
    from archbook import load_system

    return load_system(system_path).scenario
