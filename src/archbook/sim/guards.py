"""Bounds and trust checks for a simulation, before and after it runs.

Before: a scenario that cannot finish in reasonable time or memory (a million workers, a
billion jobs) is refused when it is validated, before any arrival is drawn, and one that will
merely take long gets a warning. After: a result that should not be trusted says so and says
what to change -- a load so close to saturation that the horizon is short against the queue's
relaxation time, replications whose means disagree beyond their confidence interval, or a
tail quantile estimated from too few waits.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from archbook.errors import Problem
from archbook.model.queue import Scenario

if TYPE_CHECKING:  # annotations only: validating a scenario does not need pandas' start-up
    import pandas as pd

__all__ = ["MAX_WORKERS", "MAX_JOBS_PER_REPLICATION", "SLOW_TOTAL_JOBS", "expected_jobs", "scenario_problems",
           "saturation_warning", "replication_warnings", "quantile_warnings", "trust_warnings", "MIN_TAIL_WAITS", "RELAXATION_FACTOR",
           "TRUST_PREFIXES", "for_point"]

MAX_WORKERS = 10_000                  # the engine keeps per-worker state and scans it per event
MAX_JOBS_PER_REPLICATION = 50_000_000  # ~1 GB of per-job arrays (the engine's own limit)
SLOW_TOTAL_JOBS = 20_000_000          # about a minute or more on one core: warn
RELAXATION_FACTOR = 100               # the horizon should span this many relaxation times
MIN_TAIL_WAITS = 20                   # waits beyond a quantile needed to estimate it (p99: 2,000 waits)
TRUST_PREFIXES = ("NEAR SATURATION", "REPLICATIONS DISAGREE", "FEW WAITS")  # how trust warnings begin


def expected_jobs(sc: Scenario) -> float | None:
    """Jobs per replication the horizon asks for (None when only a trace file could tell)."""
    hz = sc.horizon
    if hz.jobs is not None:
        return float(hz.jobs)
    rate = sc.arrivals.mean_rate()
    return rate * hz.duration_s if rate is not None and hz.duration_s is not None else None


def _workers_line(lines, sc: Scenario) -> tuple[tuple, int | None]:
    path = ("workers", "count") if sc.workers.count is not None else ("workers", "autoscale", "max")
    return path, lines.nearest(path)


def scenario_problems(sc: Scenario, file: str, lines, streaming: bool = False) -> list[Problem]:
    """Errors for what cannot finish, warnings for what will take long; checked before any draw.
    A streaming run (`streaming`) holds a bounded buffer of jobs: no per-replication limit."""
    out = []
    path, line = _workers_line(lines, sc)
    if sc.workers.max_workers > MAX_WORKERS:
        out.append(Problem(file, line, ".".join(path), f"{sc.workers.max_workers:,} workers is more than the "
                           f"{MAX_WORKERS:,} the simulator handles", "model a smaller pool, or scale the arrival "
                           "rate and the pool down by the same factor"))
    jobs = expected_jobs(sc)
    where = ("horizon", "jobs") if sc.horizon.jobs is not None else ("horizon", "duration_s")
    if jobs is not None and jobs > MAX_JOBS_PER_REPLICATION and not streaming:
        out.append(Problem(file, lines.nearest(where), ".".join(where), f"the horizon asks for about {jobs:,.0f} jobs per "
                           f"replication, more than the {MAX_JOBS_PER_REPLICATION:,} that fit in memory",
                           "shorten the horizon, or stream it with simulate(..., record_jobs=\"summary\") (summary "
                           "only, memory independent of the jobs); more replications give tighter intervals"))
    elif jobs is not None and jobs * sc.horizon.replications > SLOW_TOTAL_JOBS:
        out.append(Problem(file, lines.nearest(where), ".".join(where), f"{jobs * sc.horizon.replications:,.0f} jobs in all "
                           f"({sc.horizon.replications} replications): the run will take minutes",
                           "fewer jobs or replications make a quicker first look", severity="warning"))
    return out


def saturation_warning(rho: float | None, mean_service_s: float, horizon_s: float | None) -> str | None:
    """Warn when the load is so close to 1 that the horizon is short against the queue's relaxation time,
    about mean_service / (1 - rho)^2: the waits are then biased low and their CIs too narrow."""
    if rho is None or not 0 < rho < 1 or not horizon_s or mean_service_s <= 0:
        return None
    relax = mean_service_s / (1 - rho) ** 2
    if horizon_s >= RELAXATION_FACTOR * relax:
        return None
    need = RELAXATION_FACTOR * relax
    return (f"NEAR SATURATION: rho = {rho:.3f}; the queue takes about {relax:,.0f} s (1/(1-rho)^2 mean service times) "
            f"to settle, but the horizon is {horizon_s:,.0f} s, so waits are biased low and their CIs too narrow. "
            f"Lengthen the horizon to about {need:,.0f} s ({need / horizon_s:,.0f}x) or add workers.")


def replication_warnings(reps: pd.DataFrame, summary: pd.DataFrame, column: str = "wait_mean_s") -> list[str]:
    """Replications whose means disagree beyond what their CI allows (a sign of non-stationarity or too short runs)."""
    overall = reps[reps["cls"] == "overall"][column].dropna() if "cls" in reps else reps[column].dropna()
    if len(overall) < 3 or "overall" not in summary.index:
        return []
    mean, half = summary.at["overall", column], summary.at["overall", f"{column}_ci95"]
    if not (isinstance(half, float) and math.isfinite(half)) or half <= 0:
        return []
    spread = (overall.max() - overall.min()) / 2
    if spread <= 3 * half * math.sqrt(len(overall)):  # the range of R normal means is ~ +-3 sd
        return []
    return [f"REPLICATIONS DISAGREE: {column} ranges {overall.min():,.3g} to {overall.max():,.3g} across "
            f"{len(overall)} replications, far beyond the CI {mean:,.3g} ± {half:,.2g}. The runs are too short "
            "or the load changes over the horizon: lengthen the horizon (horizon.jobs) or add a warm-up."]


def quantile_warnings(waits_per_class: dict[str, int], quantile: float = 0.99) -> list[str]:
    """A tail quantile from too few waits is noise: about MIN_TAIL_WAITS waits per (1 - q) are needed."""
    need = math.ceil(MIN_TAIL_WAITS / (1 - quantile))
    out = []
    for name, count in waits_per_class.items():
        if 0 < count < need:
            out.append(f"FEW WAITS: the p{quantile * 100:g} wait of `{name}` rests on {count:,} waits (fewer than "
                       f"{need:,}); raise horizon.jobs or horizon.replications before trusting it.")
    return out


def trust_warnings(rho: float | None, mean_service_s: float, reps: pd.DataFrame, summary: pd.DataFrame) -> list[str]:
    """Every warning about a finished run's trustworthiness (what `simulate` attaches to its result)."""
    if reps.empty or "jobs" not in reps:
        return []
    overall = reps[reps["cls"] == "overall"]
    rate = overall["arrival_rate_per_s"].replace(0, math.nan)
    horizon_s = float((overall["jobs"] / rate).mean()) if len(overall) else None
    out = [w for w in [saturation_warning(rho, mean_service_s, horizon_s if horizon_s == horizon_s else None)] if w]
    out += replication_warnings(reps, summary)
    per_class = reps[reps["cls"] != "overall"].groupby("cls", observed=True)["jobs"].min()
    return out + quantile_warnings({str(k): int(v) for k, v in per_class.items() if v == v})


def for_point(label: str, warnings: list[str]) -> list[str]:
    """Trust warnings of one sweep point or case, prefixed with it (`workers=3: NEAR SATURATION ...`):
    a sweep lists them once for the whole table, so each must say which point it is about."""
    return [f"{label}: {w}" if w.startswith(TRUST_PREFIXES) else w for w in warnings]
