"""Translate sweep grid coordinates into `simulate` overrides.

Friendly grid names map onto the scenario model so that a sweep reads like the
question it answers: `workers` is the fixed pool size (also for an autoscaling
scenario), or the autoscaler's maximum when `autoscale=True` is in the grid; `arrival_multiplier` scales the scenario's own
`arrivals.rate_multiplier`; `autoscale` switches the policy off (fixed pool)
or on; `autoscale_min` sets the autoscaler's floor (its start clamped into range).
Any other key is a dotted path passed straight through.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from archbook.errors import ArchbookError

__all__ = ["as_scenario", "point_overrides", "scenario_autoscale", "scenario_slo", "FRIENDLY_KEYS"]

FRIENDLY_KEYS = ("workers", "arrival_multiplier", "autoscale", "autoscale_min")


def as_scenario(scenario):
    """A validated `Scenario` from a Scenario, a dict or a path (loaded once, not per point)."""
    from archbook.model.queue import Scenario
    from archbook.sim import load_scenario

    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, os.PathLike, Mapping)):
        return load_scenario(scenario)
    raise ArchbookError(f"a scenario must be a Scenario, a dict or a path to queue.yaml, not {type(scenario).__name__}")


def scenario_autoscale(scen) -> dict | None:
    """The scenario's autoscale policy as a dict, or None for a fixed pool."""
    policy = scen.workers.autoscale
    return policy.model_dump() if policy is not None else None


def scenario_slo(scen) -> dict | None:
    if not scen.slo:
        return None
    return {cls: s.model_dump(exclude_none=True) for cls, s in scen.slo.items()}


def point_overrides(scen, point: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted overrides for one grid point (validated later by `simulate`)."""
    out: dict[str, Any] = {}
    policy = scenario_autoscale(scen)
    # `workers` means a fixed pool unless autoscale=True is asked for explicitly; without
    # a `workers` axis the scenario's own policy stays in force
    auto = bool(point.get("autoscale", policy is not None and "workers" not in point))
    if auto and policy is None:
        raise ArchbookError("grid autoscale=True, but the scenario has no workers.autoscale policy; "
                            "add workers: {autoscale: {min: 1, max: 8}} to queue.yaml")
    workers = point.get("workers")
    if auto:
        if workers is not None:
            out.update(_autoscale_max(policy, int(workers)))
    else:
        count = workers if workers is not None else scen.workers.max_workers
        out["workers.count"] = int(count)
        if policy is not None:
            out["workers.autoscale"] = None
    if "autoscale_min" in point:
        if not auto:
            raise ArchbookError("autoscale_min needs autoscaling on (autoscale=True)")
        floor = int(point["autoscale_min"])
        out["workers.autoscale.min"] = floor
        if policy.get("initial") is not None:
            out["workers.autoscale.initial"] = max(floor, int(policy["initial"]))
    if "arrival_multiplier" in point:
        m = float(point["arrival_multiplier"])
        if not m > 0:
            raise ArchbookError(f"arrival_multiplier must be > 0, got {point['arrival_multiplier']!r}")
        out["arrivals.rate_multiplier"] = scen.arrivals.rate_multiplier * m
    for key, value in point.items():
        if key not in FRIENDLY_KEYS:
            out[key] = value
    return out


def _autoscale_max(policy: dict, top: int) -> dict[str, Any]:
    """Sweep the autoscaler's ceiling; keep its floor (and start) inside the new range."""
    out = {"workers.autoscale.max": top, "workers.autoscale.min": min(int(policy["min"]), top)}
    if policy.get("initial") is not None:
        out["workers.autoscale.initial"] = max(min(int(policy["initial"]), top), out["workers.autoscale.min"])
    return out
