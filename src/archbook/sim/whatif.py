"""Named what-if variants of a scenario, run side by side (failures on and off, ...).

Each case is a set of overrides on the same scenario, run with the same seed, so
differences between rows come from the feature switched, not from the random
streams (common random numbers where the engine allows it).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from archbook.sim.guards import for_point
from archbook.sim.overrides import as_scenario

__all__ = ["failure_cases", "compare_cases", "day_cases", "day_scenario", "day_window", "arrival_profile",
           "DEFAULT_OOM", "DEFAULT_CRASH"]

DEFAULT_OOM = {"probability": 0.05, "max_retries": 2, "retry_service_factor": 0.6}
DEFAULT_CRASH = {"mtbf_s": 4 * 3600.0, "restart_s": 120.0}


def failure_cases(scenario) -> dict[str, dict]:
    """none / OOM / crash / both. The scenario's own failure settings are used when it has
    them; otherwise illustrative defaults (5 % OOM, a crash every 4 worker-hours)."""
    scen = as_scenario(scenario)
    oom = scen.failures.oom.model_dump(exclude_none=True) if scen.failures.oom else DEFAULT_OOM
    crash = scen.failures.crash.model_dump() if scen.failures.crash else DEFAULT_CRASH
    return {
        "no failures": {"failures": {"oom": None, "crash": None}},
        "GPU OOM": {"failures": {"oom": oom, "crash": None}},
        "worker crash": {"failures": {"oom": None, "crash": crash}},
        "OOM + crash": {"failures": {"oom": oom, "crash": crash}},
    }


def compare_cases(scenario, cases: dict[str, dict], *, seed=None, **overrides) -> pd.DataFrame:
    """One simulate() per case; tidy rows (case, cls, summary fields...)."""
    from archbook.sim import simulate

    scen = as_scenario(scenario)
    parts, warns = [], []
    for name, case in cases.items():
        res = simulate(scen, seed=seed, record_jobs=False, record_timeline=False, **{**overrides, **case})
        warns += for_point(name, res.warnings)
        s = res.summary.copy()
        s.index.name = "cls"
        parts.append(s.reset_index().assign(case=name))
    out = pd.concat(parts, ignore_index=True)
    out = out[["case"] + [c for c in out.columns if c != "case"]]
    out.attrs["warnings"] = list(dict.fromkeys(warns))  # as sweep tables: shown by the notebook and CLI
    return out


def day_cases(scenario, autoscale: bool = True) -> dict[str, dict]:
    """A fixed pool sized for the peak (the autoscaler's max) against the autoscaler itself;
    with autoscale=False only the fixed pool. Without a policy: the scenario as given."""
    scen = as_scenario(scenario)
    policy = scen.workers.autoscale
    if policy is None:
        return {f"fixed pool ({scen.workers.count})": {}}
    cases = {f"fixed pool ({policy.max})": {"workers": {"count": policy.max, "autoscale": None}}}
    if autoscale:
        cases[f"autoscaling ({policy.min}-{policy.max})"] = {}
    return cases


def arrival_profile(scenario, days: float = 1.0) -> pd.DataFrame | None:
    """Piecewise-constant arrival rate (t_s, rate_per_s) over `days`, for charts; None unless
    the arrivals are a profile."""
    scen = as_scenario(scenario)
    arr = scen.arrivals
    if arr.process != "profile":
        return None
    periods = int(np.ceil(days * 86400.0 / arr.period_s))
    rows = [{"t_s": k * arr.period_s + p.start, "rate_per_s": p.rate_per_s * arr.rate_multiplier}
            for k in range(periods) for p in arr.profile]
    rows.append({"t_s": periods * arr.period_s, "rate_per_s": rows[-1]["rate_per_s"]})
    return pd.DataFrame(rows)


def day_scenario(system_dir, day_file: str, fallback: str, overrides: dict | None = None):
    """The system's day scenario (e.g. queue-diurnal.yaml), or its main scenario when it has
    none: a system whose queue.yaml already follows a daily profile needs no second file."""
    from archbook.sim import load_scenario

    path = Path(system_dir) / day_file
    return load_scenario(path if path.is_file() else Path(system_dir) / fallback, overrides)


def day_window(timeline: pd.DataFrame) -> tuple[float, float]:
    """Hours to draw: the second day (the first is usually warm-up), or the whole run if shorter."""
    end_h = float(timeline["t_s"].max()) / 3600.0
    return (24.0, 48.0) if end_h >= 48.0 else (0.0, end_h)
