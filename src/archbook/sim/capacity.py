"""The capacity summary a notebook run leaves for the build's index page and grid summary.

`out_dir/capacity.json` is a small, stable contract: the build engineer reads it
without importing the simulator, so every value is plain JSON (no NaN).
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from archbook.atomic import atomic_write_text
from archbook.sim.sweeping import Recommendation

__all__ = ["capacity_record", "write_capacity_json", "write_json_atomic", "CAPACITY_FILE"]

CAPACITY_FILE = "capacity.json"


def _clean(value: Any) -> Any:
    """JSON has no NaN/inf: report them as null, which readers treat as unknown."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def capacity_record(rec: Recommendation, *, system: str, scenario: str, arrival_multiplier: float = 1.0,
                    autoscale: bool | None = None) -> dict:
    """Key figures of a recommendation, in the shape capacity.json promises."""
    overall = rec.summary.loc["overall"]
    return _clean({
        "system": str(system), "scenario": str(scenario),
        "recommended_workers": int(rec.workers), "cost_per_hour": float(rec.cost_per_hour),
        "slo": rec.slo, "slo_met": rec.slo_met, "p95_wait_s": rec.p95_wait_s(),
        "utilization": float(overall["utilization"]), "arrival_multiplier": float(arrival_multiplier),
        "autoscale": bool(rec.autoscale if autoscale is None else autoscale),
        "autoscale_bounds": list(rec.bounds) if rec.bounds else None,
        "confidence": rec.confidence,
    })


def write_json_atomic(path: str | os.PathLike, data: dict) -> Path:
    """Temp file in the same folder, then os.replace: readers never see half a file."""
    text = json.dumps(_clean(data), indent=2, sort_keys=False, allow_nan=False) + "\n"
    return atomic_write_text(path, text)


def write_capacity_json(out_dir: str | os.PathLike, record: dict) -> Path:
    return write_json_atomic(Path(out_dir) / CAPACITY_FILE, record)
