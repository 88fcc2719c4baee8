"""Discrete-event simulation of the job queue: `simulate`, `load_scenario`, `SimResult`,
plus `sweep` and `recommend` (from `archbook.sim.sweep`). Imports are lazy so that
`import archbook.sim` stays cheap (numba compiles on first use, then loads from cache)."""
from __future__ import annotations

__all__ = ["simulate", "load_scenario", "SimResult", "sweep", "recommend"]

_LAZY = {
    "simulate": "archbook.sim.run",
    "SimResult": "archbook.sim.results",
    "load_scenario": "archbook.sim.scenario_io",
    "sweep": "archbook.sim.sweep",
    "recommend": "archbook.sim.sweep",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'archbook.sim' has no attribute {name!r}")
