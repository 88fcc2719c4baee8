"""Parameter sweeps over the simulator, and the SLO-driven worker recommendation.

Each grid point (worker count x any other grid values) is one `simulate` call.
Common random numbers (the default): every point gets the same `SeedSequence(seed)`,
so replication r sees the same arrivals, classes and services at every worker
count; differences between neighbouring points then carry far less noise and the
wait-vs-workers curve is smooth. `crn=False` gives each point its own child, derived
by position in the grid. Either way the table is identical whether points run
serially or in a process pool, in any order. Sweeps skip per-job records: only
summaries cross process borders.
"""
from __future__ import annotations

import itertools
import math
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # t quantile; scipy.stats would add ~1 s of import time

from archbook.errors import ArchbookError
from archbook.sim import crn, stopping
from archbook.sim.guards import for_point
from archbook.sim.pool import worker_pool
from archbook.sim.overrides import as_scenario, point_overrides, scenario_autoscale, scenario_slo
from archbook.sim.seeds import as_seed_sequence, children as seed_children

__all__ = ["sweep", "recommend", "sweep_and_recommend", "Recommendation", "parse_slo", "Target", "SUMMARY_FIELDS"]

SUMMARY_FIELDS = (
    "wait_mean_s", "wait_p50_s", "wait_p95_s", "wait_p99_s", "response_mean_s", "prob_wait",
    "queue_length_mean", "utilization", "throughput_per_s", "rejected_fraction",
    "abandoned_fraction", "failed_fraction", "worker_hours", "cost",
)


# --------------------------------------------------------------------------- sweep
def _grid_points(workers: Iterable[int] | None, grid: Mapping[str, Iterable]) -> list[dict]:
    axes: dict[str, list] = {}
    if workers is not None:
        axes["workers"] = [int(w) for w in workers]
        if not axes["workers"] or min(axes["workers"]) < 1:
            raise ArchbookError("workers must be a non-empty range of counts >= 1, e.g. range(1, 33)")
    for key, values in grid.items():
        vals = list(values) if isinstance(values, Iterable) and not isinstance(values, (str, bytes)) else [values]
        if not vals:
            raise ArchbookError(f"sweep grid {key!r} has no values")
        axes[key] = vals
    keys = list(axes)
    return [dict(zip(keys, combo)) for combo in itertools.product(*axes.values())]


def _run_point(args: tuple) -> tuple[int, pd.DataFrame, list[str]]:
    """Worker-process entry: one grid point -> its summary rows (no per-job records)."""
    index, scenario, point, horizon, seed_seq = args
    from archbook.sim import simulate

    overrides = point_overrides(scenario, point)
    overrides.update(horizon)
    with warnings.catch_warnings():  # unstable points are expected in a sweep; reported once in attrs
        warnings.simplefilter("ignore", RuntimeWarning)
        res = simulate(scenario, seed=seed_seq, record_jobs=False, record_timeline=False, **overrides)
    return index, _rows(res.summary, point), for_point(_label(point), list(getattr(res, "warnings", []) or []))


def _label(point: dict) -> str:
    """`workers=3, autoscale=False`: names the sweep point a warning is about."""
    return ", ".join(f"{k}={v}" for k, v in point.items())


def _horizon(scen, replications: int | None, jobs: int | None) -> dict:
    """Horizon overrides. A new job count keeps the scenario's warm-up *fraction*, so
    `jobs=2000` on a 200 k / 20 k scenario warms up on 200 jobs instead of failing."""
    out = {}
    if replications is not None:
        if int(replications) < 2:
            raise ArchbookError("replications must be >= 2 to give confidence intervals")
        out["horizon.replications"] = int(replications)
    if jobs is not None:
        if int(jobs) < 1:
            raise ArchbookError("jobs must be a positive number of jobs per replication")
        out["horizon.jobs"] = int(jobs)
        hz = scen.horizon
        if hz.warmup_jobs and hz.jobs:
            out["horizon.warmup_jobs"] = int(int(jobs) * hz.warmup_jobs / hz.jobs)
    return out


def _point_seeds(scenario, seed, n_points: int, crn: bool) -> list[np.random.SeedSequence]:
    """One SeedSequence per grid point: the base itself for all (CRN) or its i-th child;
    derived without spawning, so a caller's SeedSequence is never mutated."""
    base = as_seed_sequence(seed, getattr(getattr(scenario, "horizon", None), "seed", None))
    return [base] * n_points if crn else seed_children(base, n_points)


MIN_PARALLEL_JOBS = 3_000_000  # below this a pool's start-up (~0.5 s) costs more than it saves


def _pool_size(n_jobs: int | None, n_tasks: int, work: float | None = None) -> int:
    """Processes to use: by default the machine's cores, or one for a sweep too small to pay
    for a pool (`MIN_PARALLEL_JOBS`); never more than the tasks; one inside a daemonic
    worker, which may not start children of its own. An explicit `n_jobs` is obeyed."""
    import multiprocessing

    if multiprocessing.current_process().daemon:
        return 1
    if n_jobs in (None, 0, -1):
        size = 1 if work is not None and work < MIN_PARALLEL_JOBS else (os.cpu_count() or 1)
    else:
        size = int(n_jobs)
    return max(1, min(size, n_tasks))


def _warm_up(scenario) -> None:
    """Compile the engine in the parent so forked workers inherit it instead of each
    loading (or compiling) it again: a measurable share of a 20-second sweep."""
    from archbook.sim import simulate

    simulate(scenario, seed=0, record_jobs=False, record_timeline=False,
             **{"horizon.jobs": 200, "horizon.warmup_jobs": 0, "horizon.replications": 2})


def sweep(scenario, workers: Iterable[int] | None = range(1, 33), *, replications: int | None = None,
          jobs: int | None = None, seed=None, n_jobs: int | None = None, progress: bool = True,
          crn: bool = True, scheduler=None, precision: float | None = None,
          max_replications: int = 200, **grid) -> pd.DataFrame:
    """Simulate every grid point; return one row per point x class (plus "overall").

    Columns: the grid keys (`workers`, then e.g. `arrival_multiplier`, `autoscale`
    or dotted paths such as `queue.capacity`), `cls`, the summary fields with
    their `_ci95` half-widths, and `cost_per_hour` (pool cost per simulated hour).
    `workers` is a fixed pool size, also for an autoscaling scenario, unless the
    grid has `autoscale=[True]` (then it is the autoscaler's maximum). `jobs`
    keeps the scenario's warm-up fraction. `crn` shares random numbers across
    points (see the module docstring). `n_jobs=1` runs serially; the default
    uses os.cpu_count() processes. Unstable points are kept (their waits grow
    with the run length) and listed once in `table.attrs["warnings"]`.
    """
    scen = as_scenario(scenario)
    points = _grid_points(workers, grid)
    horizon = _horizon(scen, replications, jobs)
    stop = _stop_rule(scen, precision, max_replications, crn, horizon)
    if crn:
        results, warnings = _sweep_crn(scen, points, horizon, seed, n_jobs, progress, scheduler, stop)
    else:
        results, warnings = _sweep_independent(scen, points, horizon, seed, n_jobs, progress, scheduler)
    table = pd.concat([results[i] for i in range(len(points))], ignore_index=True)
    table = _add_cost_per_hour(table, scen)
    table.attrs["warnings"] = sorted(set(warnings))
    return table


def _sweep_crn(scen, points, horizon, seed, n_jobs, progress, scheduler=None, stop=None) -> tuple[dict, list[str]]:
    """Common random numbers: one draw per replication shared by the points (crn.py);
    with `stop` (targets, precision, cap) short points get more replications (stopping.py)."""
    overrides = [{**point_overrides(scen, p), **horizon} for p in points]
    plans = crn.point_plans(scen, overrides)
    base = as_seed_sequence(seed, scen.horizon.seed)
    parts: dict[int, list] = {i: [] for i in range(len(points))}
    counts = {i: plans[i].scenario.horizon.replications for i in parts}
    tasks = crn.group_tasks(plans, base)
    size = _pool_size(n_jobs, len(tasks), _work(plans))
    while tasks:
        for out in _map(crn.run_task, tasks, size, scen, _progress(len(tasks), progress, "task"), scheduler):
            for i, metrics, hist in out:
                parts[i].append((i, metrics, hist))
        assembled = {i: crn.assemble(plans[i], parts[i]) for i in parts}
        summaries = {i: a[0] for i, a in assembled.items()}
        tasks = _more_tasks(plans, base, summaries, counts, stop)
    done = {i: _point_result(plans[i], assembled[i], points[i]) for i in parts}
    results = {i: rows for i, (rows, _) in done.items()}
    if stop is not None:
        for i, rows in results.items():
            rows["replications"] = counts[i]
    trust = [w for _, warns in done.values() for w in warns]
    return results, [w for plan in plans for w in plan.warnings] + trust


def _point_result(plan, assembled: tuple, point: dict) -> tuple[pd.DataFrame, list[str]]:
    """A point's table rows and trust warnings from `crn.assemble`'s (summary, replications)."""
    summary, reps = assembled
    return _rows(summary, point), for_point(_label(point), crn.point_trust(plan, reps, summary))


def _more_tasks(plans, base, summaries, counts, stop) -> list[tuple]:
    """The next round's tasks for the points still short of the precision (none without `stop`)."""
    if stop is None:
        return []
    targets, precision, cap = stop
    short = stopping.short_points(summaries, targets, precision, counts, cap)
    if not short:
        return []
    have = counts[short[0]]  # every point still going has had the same rounds
    new = stopping.next_count(have, cap)
    for i in short:
        counts[i] = new
    return crn.group_tasks(plans, base, short, range(have, new))


def _stop_rule(scen, precision, cap, crn: bool, horizon: dict):
    """(targets as (cls, field), precision, cap) for sequential stopping, or None."""
    if precision is None:
        return None
    if not crn:
        raise ArchbookError("precision= needs common random numbers (crn=True)")
    if not 0 < float(precision) < 1:
        raise ArchbookError(f"precision {precision!r} must be a fraction between 0 and 1, e.g. 0.05")
    start = horizon.get("horizon.replications", scen.horizon.replications)
    if int(cap) < start:
        raise ArchbookError(f"max replications {cap} is below the starting {start} replications")
    slo = scenario_slo(scen)
    targets = [(t.cls, t.field) for t in parse_slo(slo)] if slo else [("overall", "wait_mean_s")]
    return targets, float(precision), int(cap)


def _sweep_independent(scen, points, horizon, seed, n_jobs, progress, scheduler=None) -> tuple[dict, list[str]]:
    """Each point its own seed stream: one `simulate` per point."""
    seeds = _point_seeds(scen, seed, len(points), False)
    tasks = [(i, scen, p, horizon, seeds[i]) for i, p in enumerate(points)]
    results: dict[int, pd.DataFrame] = {}
    warnings: list[str] = []
    for i, rows, w in _map(_run_point, tasks, _pool_size(n_jobs, len(points)), scen,
                           _progress(len(points), progress), scheduler):
        results[i] = rows
        warnings += w
    return results, warnings


def _map(fn, tasks: list, size: int, scen, bar, scheduler=None):
    """fn over tasks, serially, in a pool of `size` processes or on Dask; yields in task order."""
    try:
        if scheduler is not None:
            yield from _dask_map(fn, tasks, scheduler, bar)
            return
        if size == 1:
            for t in tasks:
                yield fn(t)
                bar.update(1)
            return
        _warm_up(scen)  # compiled once in the parent; forked workers inherit it
        with worker_pool(size) as pool:
            for out in pool.map(fn, tasks, chunksize=max(1, len(tasks) // (4 * size))):
                yield out
                bar.update(1)
    finally:
        bar.close()


def _dask_map(fn, tasks: list, scheduler, bar):
    """fn over tasks on a Dask cluster (a Client, or an address to connect to), in task order.
    `pure=False`: equal tasks are still separate replications' work, never deduplicated."""
    from dask.distributed import Client

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        for future in client.map(fn, tasks, pure=False):
            yield future.result()
            bar.update(1)
    finally:
        if client is not scheduler:
            client.close()


def _rows(summary: pd.DataFrame, point: dict) -> pd.DataFrame:
    summary = summary.copy()
    summary.index.name = "cls"
    rows = summary.reset_index()
    for key, value in reversed(list(point.items())):
        rows.insert(0, key, value)
    return rows


def _work(plans: list) -> float:
    """Jobs simulated in total (a duration horizon counts its expected arrivals)."""
    total = 0.0
    for plan in plans:
        hz = plan.scenario.horizon
        lam = plan.scenario.arrivals.mean_rate() or 1.0
        n = hz.jobs if hz.jobs is not None else (hz.duration_s or 0) * lam
        total += n * hz.replications
    return total


def _progress(total: int, enabled: bool, unit: str = "point"):
    """The sweep's bar; with common random numbers a task is one replication of a group of points."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="sweep", unit=unit, disable=not enabled, leave=False)


def _add_cost_per_hour(table: pd.DataFrame, scen) -> pd.DataFrame:
    """Cost per hour of operation: the run's cost over its simulated hours, so fixed and
    autoscaled pools compare on the same footing."""
    if "cost_per_hour" in table:
        return table
    rate = _worker_cost_rate(scen)
    if "sim_hours" in table and table["sim_hours"].gt(0).all():
        table["cost_per_hour"] = table["cost"] / table["sim_hours"]
    elif "workers_mean" in table:
        table["cost_per_hour"] = table["workers_mean"] * rate
    elif "workers" in table:
        table["cost_per_hour"] = table["workers"] * rate
    return table


def _worker_cost_rate(scen) -> float:
    workers = getattr(scen, "workers", None)
    return float(getattr(workers, "cost_per_hour", 0.0) or 0.0)


# --------------------------------------------------------------------------- SLO
@dataclass(frozen=True)
class Target:
    """One SLO clause: `cls.field op value`, e.g. high.wait_p95_s <= 30."""

    cls: str
    field: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.cls}.{self.field}{self.op}{self.value:g}"

    def holds(self, bound: float) -> bool:
        ops = {"<=": bound <= self.value, "<": bound < self.value,
               ">=": bound >= self.value, ">": bound > self.value}
        return bool(ops[self.op])

    @property
    def upper(self) -> bool:
        """`<=` targets are judged on the upper CI bound, `>=` on the lower one."""
        return self.op in ("<=", "<")


_CLAUSE = re.compile(r"^\s*([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*s?\s*$")


def parse_slo(slo) -> list[Target]:
    """Accept {"high": {"wait_p95_s": 30}} (a number means <=), {"high": {"wait_p95_s": {"<=": 30}}},
    a string "high.wait_p95_s<=30, normal.wait_p95_s<=120", or a list of Targets."""
    if slo is None:
        raise ArchbookError("no SLO given and the scenario has no `slo:` section; "
                            "pass slo='high.wait_p95_s<=30, normal.wait_p95_s<=120'")
    if isinstance(slo, str):
        return [_parse_clause(c) for c in re.split(r",|\band\b|;", slo) if c.strip()]
    if isinstance(slo, Target):
        return [slo]
    if isinstance(slo, Mapping):
        out = []
        for cls, fields in slo.items():
            if not isinstance(fields, Mapping):
                raise ArchbookError(f"slo[{cls!r}] must map field names to limits, e.g. {{'wait_p95_s': 30}}")
            for name, limit in fields.items():
                out += _targets_from(cls, name, limit)
        return _checked(out)
    if isinstance(slo, Iterable):
        return _checked([t if isinstance(t, Target) else _parse_clause(str(t)) for t in slo])
    raise ArchbookError(f"cannot read an SLO from {type(slo).__name__}; use a dict or a string")


def _targets_from(cls: str, name: str, limit) -> list[Target]:
    if isinstance(limit, Mapping):
        return [Target(str(cls), str(name), str(op), _number(v, f"slo.{cls}.{name}")) for op, v in limit.items()]
    return [Target(str(cls), str(name), "<=", _number(limit, f"slo.{cls}.{name}"))]


def _number(v, where: str) -> float:
    try:
        out = float(v)
    except (TypeError, ValueError):
        raise ArchbookError(f"{where}: limit must be a number, got {v!r}") from None
    if not math.isfinite(out):
        raise ArchbookError(f"{where}: limit must be finite, got {v!r}")
    return out


def _parse_clause(text: str) -> Target:
    m = _CLAUSE.match(text)
    if not m:
        raise ArchbookError(f"cannot read SLO clause {text.strip()!r}; write it as class.field<=value, "
                            "e.g. 'high.wait_p95_s<=30'")
    return _checked([Target(m[1], m[2], m[3], _number(m[4], text.strip()))])[0]


def _checked(targets: list[Target]) -> list[Target]:
    for t in targets:
        if t.op not in ("<=", "<", ">=", ">"):
            raise ArchbookError(f"SLO {t.cls}.{t.field}: unknown comparison {t.op!r}; use <=, <, >= or >")
        if t.field not in SUMMARY_FIELDS:
            raise ArchbookError(f"SLO {t.cls}.{t.field}: unknown field {t.field!r}; "
                                f"choose from {', '.join(SUMMARY_FIELDS)}")
    if not targets:
        raise ArchbookError("the SLO is empty; give at least one target such as high.wait_p95_s<=30")
    return targets


def slo_to_dict(targets: list[Target]) -> dict:
    """Back to the scenario's YAML shape; non-<= targets keep their operator."""
    out: dict[str, dict] = {}
    for t in targets:
        out.setdefault(t.cls, {})[t.field] = t.value if t.op == "<=" else {t.op: t.value}
    return out


# --------------------------------------------------------------------------- recommend
@dataclass
class Recommendation:
    """The cheapest configuration whose confidence bound meets every SLO target.

    `workers` is always the fixed-pool answer (smallest count meeting the SLO);
    `table` is that sweep with each target's bound and `meets_slo`. For an
    autoscaling recommendation, `bounds` = (min, max) of the autoscaler, and
    `summary` / `cost_per_hour` describe that autoscaled configuration, with the
    floor search in `autoscale_table`; `fixed_cost_per_hour` keeps the pool's cost.
    """

    workers: int
    cost_per_hour: float
    summary: pd.DataFrame
    table: pd.DataFrame
    slo: dict
    confidence: float = 0.95
    autoscale: bool = False
    bounds: tuple[int, int] | None = None
    targets: list[Target] = field(default_factory=list)
    fixed_cost_per_hour: float = float("nan")
    autoscale_table: pd.DataFrame | None = None
    slo_met: bool = True

    def p95_wait_s(self) -> dict[str, float]:
        return {str(k): float(v) for k, v in self.summary["wait_p95_s"].items()}

    def describe(self) -> str:
        what = (f"autoscaling between {self.bounds[0]} and {self.bounds[1]} workers" if self.bounds
                else f"{self.workers} workers")
        clauses = ", ".join(str(t) for t in self.targets)
        if not self.slo_met:
            return (f"no count tried meets {clauses} at {self.confidence:.0%} confidence; the largest, "
                    f"{what}, costs {self.cost_per_hour:,.2f} per hour")
        text = (f"{what} meet {clauses} at the upper {self.confidence:.0%} confidence bound, "
                f"for {self.cost_per_hour:,.2f} per hour")
        if self.bounds:
            text += f" (a fixed pool needs {self.workers} workers: {self.fixed_cost_per_hour:,.2f} per hour)"
        return text


def _z_scale(confidence: float, dof: int | None) -> float:
    """ci95 half-widths are t-based at 95 %; rescale them to the requested confidence."""
    if not 0 < confidence < 1:
        raise ArchbookError(f"confidence must be in (0, 1), got {confidence}")
    dof = max(int(dof or 30), 1)
    return float(stdtrit(dof, (1 + confidence) / 2) / stdtrit(dof, 0.975))


def evaluate_slo(table: pd.DataFrame, targets: list[Target], *, confidence: float = 0.95,
                 replications: int | None = None) -> pd.DataFrame:
    """One row per grid point: each target's CI bound, whether it holds, and `meets_slo`."""
    keys = grid_keys(table)
    classes = set(table["cls"])
    for t in targets:
        if t.cls not in classes:
            raise ArchbookError(f"SLO names class {t.cls!r}, but the scenario has {sorted(classes - {'overall'})}"
                                " (or 'overall')")
    scale = _z_scale(confidence, (replications or 30) - 1)
    points = table[table["cls"] == "overall"][keys].reset_index(drop=True)
    meets = np.ones(len(points), bool)
    for t in targets:
        sub = table[table["cls"] == t.cls].set_index(keys).reindex(pd.MultiIndex.from_frame(points)
                                                                   if len(keys) > 1 else points[keys[0]])
        mean = sub[t.field].to_numpy(float)
        half = sub.get(f"{t.field}_ci95", pd.Series(0.0, index=sub.index)).fillna(0.0).to_numpy(float)
        bound = mean + scale * half if t.upper else mean - scale * half
        ok = np.array([t.holds(b) if np.isfinite(b) else False for b in bound])
        points[f"{t}_bound"] = bound
        meets &= ok
    points["meets_slo"] = meets
    return points


def grid_keys(table: pd.DataFrame) -> list[str]:
    """The grid coordinates are the columns before `cls` (sweep puts them first)."""
    if "cls" not in table:
        raise ArchbookError("not a sweep table: it has no `cls` column")
    return list(table.columns[: table.columns.get_loc("cls")])


def recommend(scenario, slo=None, *, workers: Iterable[int] | None = None, confidence: float = 0.95,
              replications: int | None = None, jobs: int | None = None, seed=None,
              n_jobs: int | None = None, progress: bool = False, table: pd.DataFrame | None = None,
              autoscale: bool | None = None, strict: bool = True, **grid) -> Recommendation:
    """Smallest fixed worker count whose confidence bound meets every SLO target; then,
    for an autoscaling scenario (unless autoscale=False), the cheapest autoscaler floor.

    Stage 1 sweeps fixed pools over `workers` (pass a `sweep` table to reuse it).
    Stage 2 keeps the autoscaler's ceiling at max(policy max, that count) and sweeps
    its floor from 0 up to the count: the floor is what an idle hour costs, and a
    floor equal to the fixed answer always qualifies, so the search is safe.
    `strict=False` turns an unreachable SLO into `slo_met=False` with the largest
    count tried, so batch runs over many arrival multipliers still summarise.
    `sweep_and_recommend` runs both stages in one pass, with the same numbers.
    """
    scen = as_scenario(scenario)
    targets = parse_slo(slo if slo is not None else scenario_slo(scen))
    policy = scenario_autoscale(scen)
    use_auto = bool(policy) if autoscale is None else bool(autoscale)
    if use_auto and not policy:
        raise ArchbookError("autoscale=True, but the scenario has no workers.autoscale policy to scale")
    run = dict(replications=replications, jobs=jobs, seed=seed, n_jobs=n_jobs, progress=progress)
    if table is None:
        fixed = {"autoscale": [False]} if policy else {}
        table = sweep(scen, list(workers) if workers is not None else range(1, 33), **run, **fixed, **grid)
    elif "autoscale" in table:
        table = table[~table["autoscale"].astype(bool)]
    reps = replications or scen.horizon.replications
    points = evaluate_slo(table, targets, confidence=confidence, replications=reps)
    best, met = _smallest(points, "workers", targets, confidence, strict)
    rows = table[table["workers"] == best].set_index("cls")
    cost = _cost(rows)
    rec = Recommendation(best, cost, rows, table.merge(points, how="left"), slo_to_dict(targets), confidence,
                         False, None, targets, cost, None, met)
    if use_auto and met:
        rec = _autoscale_floor(scen, rec, policy, reps, run)
    return rec


def sweep_and_recommend(scenario, workers: Iterable[int] = range(1, 33), slo=None, *, confidence: float = 0.95,
                        replications: int | None = None, jobs: int | None = None, seed=None,
                        n_jobs: int | None = None, progress: bool = True
                        ) -> tuple[pd.DataFrame, Recommendation | ArchbookError]:
    """`sweep(scenario, workers)` and `recommend(scenario, slo, table=that)`, with the same
    numbers; for an autoscaling scenario both stages run in one pass over the process pool
    (joint.py). The recommendation is an `ArchbookError` when the SLO cannot be met or
    names an unknown class, so the sweep's table is never lost to it."""
    scen = as_scenario(scenario)
    counts = [int(w) for w in workers]
    policy = scenario_autoscale(scen)
    targets = parse_slo(slo if slo is not None else scenario_slo(scen))
    run = dict(replications=replications, jobs=jobs, seed=seed, n_jobs=n_jobs)
    stages = None
    if policy and targets:
        from archbook.sim import joint

        _grid_points(counts, {})  # the same checks of the counts as `sweep`
        stages = joint.fixed_and_floors(scen, counts, policy, targets, _horizon(scen, replications, jobs), seed,
                                        n_jobs, progress)
        table = stages.table
    else:
        table = sweep(scen, counts, progress=progress, **run)
    try:
        rec = recommend(scen, slo, table=table, confidence=confidence, autoscale=False, **run)
    except ArchbookError as exc:
        return table, exc
    if policy and rec.slo_met:  # stage 2, on the floors the pass ran already
        rec = _autoscale_floor(scen, rec, policy, replications or scen.horizon.replications, run, stages)
    return table, rec


def _cost(rows: pd.DataFrame) -> float:
    return float(rows.loc["overall", "cost_per_hour"]) if "cost_per_hour" in rows else float("nan")


def _smallest(points: pd.DataFrame, key: str, targets, confidence: float, strict: bool) -> tuple[int, bool]:
    if len(points) != points[key].nunique():
        raise ArchbookError(f"recommend needs one grid point per {key}; fix the other grid keys "
                            f"(got columns {[c for c in points.columns if not c.endswith('_bound')]})")
    ok = points[points["meets_slo"]].sort_values(key)
    if ok.empty and strict:
        raise ArchbookError(_no_count_message(points, targets, confidence))
    return (int(ok[key].iloc[0]), True) if not ok.empty else (int(points[key].max()), False)


def _autoscale_floor(scen, rec: Recommendation, policy: Mapping, reps, run: dict, stages=None) -> Recommendation:
    """Stage 2: the cheapest autoscaler floor (min) that still meets the SLO."""
    top = max(int(policy["max"]), rec.workers)
    t2 = _floor_table(scen, rec.workers, top, run, stages)
    pts = evaluate_slo(t2, rec.targets, confidence=rec.confidence, replications=reps)
    ok = pts[pts["meets_slo"]].sort_values("autoscale_min")
    auto_table = t2.merge(pts, how="left")
    if ok.empty:  # noise at the boundary: keep the fixed pool, say so through autoscale=False
        rec.autoscale_table = auto_table
        return rec
    floor = int(ok["autoscale_min"].iloc[0])
    rows = t2[t2["autoscale_min"] == floor].set_index("cls")
    rec.autoscale, rec.bounds, rec.autoscale_table = True, (floor, top), auto_table
    rec.summary, rec.cost_per_hour = rows, _cost(rows)
    return rec


def _floor_table(scen, upto: int, top: int, run: dict, stages=None) -> pd.DataFrame:
    """The floor search's sweep (floors 0..upto at ceiling `top`); floors a joint pass ran
    already (`stages`, at the same ceiling) are reused, the others are simulated now."""
    have = stages.floors if stages is not None and stages.top == top else {}
    missing = [f for f in range(upto + 1) if f not in have]
    frames = {f: have[f] for f in range(upto + 1) if f in have}
    warns = [w for f in frames for w in stages.floor_warnings[f]] if frames else []
    if missing:
        more = sweep(scen, None, autoscale=[True], autoscale_min=missing, **{"workers.autoscale.max": [top]}, **run)
        warns += more.attrs.get("warnings", [])
        for f in missing:
            frames[f] = more[more["autoscale_min"] == f].drop(columns="cost_per_hour")
    table = _add_cost_per_hour(pd.concat([frames[f] for f in range(upto + 1)], ignore_index=True), scen)
    table.attrs["warnings"] = sorted(set(warns))
    return table


def _no_count_message(points: pd.DataFrame, targets: list[Target], confidence: float) -> str:
    top = points.sort_values("workers").iloc[-1]
    worst = [f"{t} (bound {top[f'{t}_bound']:.3g})" for t in targets if not t.holds(top[f"{t}_bound"])]
    lo, hi = int(points["workers"].min()), int(points["workers"].max())
    return (f"no worker count in {lo}..{hi} meets the SLO at {confidence:.0%} confidence; at {hi} workers "
            f"still failing: {'; '.join(worst) or 'CI too wide'}. Widen the range (workers=range(1, 65)), "
            "add replications, or relax the SLO")
