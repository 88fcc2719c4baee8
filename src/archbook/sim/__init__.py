"""Discrete-event simulation of the job queue.

Public API (stable; notebooks, widgets and the CLI use only this):

- ``simulate(scenario, *, seed=None, record_jobs=True, record_timeline=True, n_jobs=1, **overrides)``
  (``record_jobs``: True, False or "summary", a streaming run in O(1) memory; see run.py)
  -> ``SimResult``. ``scenario`` is a ``Scenario``, a dict, a queue.yaml path or a system folder.
  ``overrides`` are dotted keys (``**{"workers.count": 8}``, ``**{"classes.high.share": 0.3}``)
  or nested dicts merged deeply (``workers={"count": 8}``), validated after applying; setting
  ``workers.count`` replaces ``workers.autoscale`` and vice versa. Replication r uses
  the r-th child of ``SeedSequence(seed)`` (derived, the caller's SeedSequence is never mutated),
  so serial and parallel (``n_jobs``) runs agree. ``res.jobs`` / ``res.timeline`` are built lazily.
- ``SimResult``: ``summary`` (index overall + classes in service order; the contract fields and
  ``<field>_ci95``), ``replications``, ``jobs``, ``timeline``, ``scenario``, ``warnings``, ``to_dict()``.
  Field definitions: ``archbook.sim.results``.
- ``load_scenario(path | dict | Scenario, overrides=None)`` -> ``Scenario`` (errors carry file/line/field).
- ``sweep``, ``recommend`` and ``sweep_and_recommend`` (both in one pass, joint.py) from ``archbook.sim.sweeping``; exact formulas in ``archbook.sim.analytic``.

Imports are lazy so that ``import archbook.sim`` stays cheap; the numba kernels compile on
first use and are cached on disk (``cache=True``).
"""
from __future__ import annotations

from archbook.lazy import lazy_attributes

__all__ = ["simulate", "load_scenario", "SimResult", "sweep", "recommend"]

_LAZY = {
    "simulate": "archbook.sim.run",
    "SimResult": "archbook.sim.results",
    "load_scenario": "archbook.load.scenario",
    "sweep": "archbook.sim.sweeping",
    "recommend": "archbook.sim.sweeping",
}

__getattr__ = lazy_attributes(__name__, _LAZY)
