"""Compile a Scenario into what the engine reads: a `Plan` (fixed per scenario) and, per
replication, the pre-drawn arrays (arrivals, classes, services with OOM retries folded in,
patience, 429 decisions) plus the engine's scalar parameters.

Admission by rate limit and OOM retries do not depend on the queue's state, so they are
decided here, vectorised, before the event loop: a 429 depends only on the user's own
arrival times, and an OOM retry runs on the same worker right away, so a job's total
busy time (failed attempts at `detect_fraction` of their length, then the retry at
`retry_service_factor` of the previous length) is known in advance.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from archbook.errors import Problem, ValidationFailed
from archbook.model.queue import Empirical, Scenario, Video, dist_mean
from archbook.sim.arrivals import MAX_JOBS, Trace, arrival_times, read_trace
from archbook.sim.distributions import empirical_moments, sample, video_cost, video_settings
from archbook.sim.engine import FAILED, REJ_429
from archbook.sim.engine.admission import rate_limit_continue, rate_limit_state
from archbook.load.scenario import scenario_base_dir
from archbook.sim.seeds import children

__all__ = ["Plan", "Draws", "compile_plan", "draw_replication", "engine_args"]

STREAMS = ("arrivals", "classes", "users", "service", "patience", "oom", "crash")


@dataclass(frozen=True)
class Plan:
    """Per-scenario constants. Classes keep file order; `level` is the service-order group
    (FIFO: all 0; priority: rank of the distinct priority values, lower value first)."""

    scenario: Scenario
    base_dir: Path
    names: list[str]
    priority: np.ndarray
    level: np.ndarray
    n_levels: int
    order: list[int]  # class indices in service (priority) order
    trace: Trace | None = None
    trace_class: np.ndarray | None = None
    mean_service: float | None = None
    offered_load: float | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Draws:
    """One replication's pre-drawn inputs (all arrays have one entry per arriving job)."""

    arr_t: np.ndarray
    cls: np.ndarray
    svc: np.ndarray
    pat: np.ndarray
    pre: np.ndarray
    retries: np.ndarray
    t0: float
    t1: float
    crash_seed: int


def compile_plan(sc: Scenario) -> Plan:
    base = scenario_base_dir(sc)
    names = [c.name for c in sc.classes]
    prio = np.array([c.priority for c in sc.classes], dtype=np.int64)
    if sc.discipline == "priority":
        distinct = np.unique(prio)
        level = np.searchsorted(distinct, prio).astype(np.int32)
    else:
        level = np.zeros(len(names), np.int32)
    order = sorted(range(len(names)), key=lambda k: (level[k], k))
    trace = tcls = None
    if sc.arrivals.process == "trace":
        trace = read_trace(sc.arrivals, base)
        tcls = _trace_classes(sc, trace)
    means = []
    for c in sc.classes:
        m = empirical_moments(c.service, base)[0] if isinstance(c.service, Empirical) else dist_mean(c.service)
        means.append(m)
    shares = np.array([c.share for c in sc.classes])
    if tcls is not None:
        shares = np.bincount(tcls, minlength=len(names)) / max(len(tcls), 1)
    mean_s = float(np.dot(shares, means))
    lam = sc.arrivals.mean_rate()
    if lam is None and trace is not None:
        span = trace.times[-1] / (sc.arrivals.trace.time_scale * sc.arrivals.rate_multiplier)
        lam = len(trace.times) / span if span > 0 else None
    rho = lam * mean_s / sc.workers.max_workers if lam else None
    return Plan(sc, base, names, prio, level, int(level.max()) + 1, order, trace, tcls, mean_s, rho,
                _stability_warnings(sc, rho))


def _stability_warnings(sc: Scenario, rho: float | None) -> list[str]:
    if rho is None or rho < 1 or sc.queue.capacity is not None or sc.patience is not None:
        return []
    return [f"UNSTABLE: offered load rho = {rho:.3f} >= 1 with an unlimited queue and no patience "
            f"({sc.workers.max_workers} workers at most): the queue grows without bound, so waits "
            "depend on the run length and are not steady-state figures. Add workers, a queue "
            "capacity or patience."]


def _trace_classes(sc: Scenario, trace: Trace) -> np.ndarray | None:
    """Class index per trace row from its class column (a class name or a priority)."""
    if trace.labels is None:
        return None
    lookup = {c.name: k for k, c in enumerate(sc.classes)}
    for k, c in enumerate(sc.classes):
        lookup.setdefault(str(c.priority), k)
    uniq, inv = np.unique(trace.labels, return_inverse=True)
    unknown = [u for u in uniq if u not in lookup]
    if unknown:
        raise ValidationFailed([Problem(sc.arrivals.trace.path, None, sc.arrivals.trace.class_column,
                                        f"trace classes not in the scenario: {', '.join(unknown[:5])}",
                                        f"use class names ({', '.join(lookup)}) in the trace")])
    return np.array([lookup[u] for u in uniq], dtype=np.int32)[inv]


def _rngs(seed: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One independent stream per purpose, so switching a feature on (say, patience) does not
    shift the arrivals or services: comparisons between scenarios use common random numbers."""
    return {name: np.random.Generator(np.random.PCG64(s)) for name, s in zip(STREAMS, children(seed, len(STREAMS)))}


def draw_replication(plan: Plan, seed: np.random.SeedSequence) -> Draws:
    sc = plan.scenario
    rng = _rngs(seed)
    arr_t = arrival_times(sc, rng["arrivals"], plan.trace)
    n = len(arr_t)
    if n > MAX_JOBS:
        raise ValidationFailed([Problem("<scenario>", None, "horizon", f"{n} jobs exceed the {MAX_JOBS} limit",
                                        "shorten horizon.duration_s or horizon.jobs")])
    cls, svc, pat, pre, retries = job_inputs(plan, arr_t, rng)
    t0, t1 = _window(sc, arr_t)
    crash_seed = int(rng["crash"].integers(0, 2**31 - 1))
    return Draws(arr_t, cls, svc, pat, pre, retries, t0, t1, crash_seed)


def job_inputs(plan: Plan, arr_t: np.ndarray, rng: dict, lo: int = 0, history: tuple | None = None) -> tuple:
    """(class, service, patience, pre-decision, OOM retries) of jobs lo .. lo + n - 1 that
    arrive at `arr_t`: one draw for a whole replication, or block by block for a streaming
    run (stream.py), which passes its rate limiter's per-user `history` (engine.admission
    `rate_limit_state`) to carry it across blocks; None starts it empty."""
    sc, n = plan.scenario, len(arr_t)
    cls = _classes(plan, n, rng["classes"], lo)
    svc, pixels = _services(plan, cls, n, rng["service"], lo)
    pat = _patience(sc, n, rng["patience"])
    pre = np.zeros(n, np.int8)
    retries = np.zeros(n, np.int32)
    if sc.failures.oom is not None:
        svc, retries, failed = _oom(sc, svc, pixels, rng["oom"])
        pre[failed] = FAILED
    rl = sc.admission.rate_limit
    if rl is not None:
        users = _users(plan, rl, n, rng["users"], lo)
        if history is None:
            history = rate_limit_state(int(users.max()) + 1 if n else 1, rl.requests)
        pre[rate_limit_continue(arr_t, users, rl.requests, float(rl.window_s), rl.kind == "sliding",
                                *history)] = REJ_429
    return cls, svc, pat, pre, retries


def _window(sc: Scenario, arr_t: np.ndarray) -> tuple[float, float]:
    """Measured window [t0, t1]: after warm-up, to the horizon's end (or the last arrival)."""
    hz = sc.horizon
    n = len(arr_t)
    t0 = float(arr_t[hz.warmup_jobs]) if 0 < hz.warmup_jobs < n else 0.0
    t0 = max(t0, hz.warmup_s)
    cut_by_jobs = hz.jobs is not None and n >= hz.jobs
    t1 = hz.duration_s if hz.duration_s is not None and not cut_by_jobs else (float(arr_t[-1]) if n else 0.0)
    return t0, max(t1, t0)


def _classes(plan: Plan, n: int, rng: np.random.Generator, lo: int = 0) -> np.ndarray:
    """Classes of jobs lo .. lo + n - 1 (a streaming run draws them chunk by chunk)."""
    if plan.trace_class is not None:
        return plan.trace_class[lo:lo + n]
    k = len(plan.names)
    if k == 1:
        return np.zeros(n, np.int32)
    shares = np.array([c.share for c in plan.scenario.classes])
    return rng.choice(k, size=n, p=shares / shares.sum()).astype(np.int32)


def _services(plan: Plan, cls: np.ndarray, n: int, rng: np.random.Generator, lo: int = 0):
    """Base service times per job (class by class, in file order) and frame pixels (video),
    for jobs lo .. lo + n - 1."""
    one = plan.scenario.classes[0].service
    if len(plan.names) == 1 and not isinstance(one, Video):  # no gather/scatter copy
        return sample(one, n, rng, plan.base_dir), None
    svc = np.empty(n)
    pixels = np.full(n, np.nan)
    for k, c in enumerate(plan.scenario.classes):
        idx = np.flatnonzero(cls == k) if len(plan.names) > 1 else slice(None)
        m = n if isinstance(idx, slice) else len(idx)
        if isinstance(c.service, Video):
            given = None
            if plan.trace is not None and plan.trace.settings:
                given = {key: col[lo:lo + n][idx] for key, col in plan.trace.settings.items()}
            s = video_settings(c.service, m, rng, given)
            svc[idx] = video_cost(c.service, s, rng)
            pixels[idx] = s["width"] * s["height"]
        else:
            svc[idx] = sample(c.service, m, rng, plan.base_dir)
    return svc, pixels


def _patience(sc: Scenario, n: int, rng: np.random.Generator) -> np.ndarray:
    """Patience per job; empty when nobody abandons (the engine reads it as infinite)."""
    if sc.patience is None:
        return np.empty(0)
    return sample(sc.patience, n, rng)


def _oom(sc: Scenario, svc: np.ndarray, pixels: np.ndarray, rng: np.random.Generator):
    """Fold OOM retries into each job's busy time; returns (busy time, retries, failed mask)."""
    oom = sc.failures.oom
    n = len(svc)
    if oom.probability is not None:
        p = np.full(n, oom.probability)
    else:
        ups = np.array([x.up_to_pixels for x in oom.probability_by_pixels])
        probs = np.array([x.probability for x in oom.probability_by_pixels])
        if pixels is None:  # not a video service: no frame size, the largest bucket applies
            pixels = np.full(n, np.nan)
        p = probs[np.minimum(np.searchsorted(ups, pixels, side="left"), len(ups) - 1)]
    busy = np.zeros(n)
    retries = np.zeros(n, np.int32)
    alive = np.ones(n, bool)  # still OOM-ing: the next attempt will run
    for k in range(oom.max_retries + 1):
        s_k = svc * oom.retry_service_factor**k
        hit = alive & (rng.random(n) < p * oom.retry_probability_factor**k)
        busy += np.where(alive, np.where(hit, oom.detect_fraction * s_k, s_k), 0.0)
        if k < oom.max_retries:
            retries += hit
        alive = hit
    return busy, retries, alive


def _users(plan: Plan, rl, n: int, rng: np.random.Generator, lo: int = 0) -> np.ndarray:
    if plan.trace is not None and plan.trace.users is not None:
        return plan.trace.users[lo:lo + n]
    if rl.user_skew <= 0:
        return rng.integers(0, rl.users, n)
    weights = 1.0 / np.arange(1, rl.users + 1) ** rl.user_skew  # Zipf: user k has weight k^-s
    return rng.choice(rl.users, size=n, p=weights / weights.sum())


def engine_args(plan: Plan, d: Draws, timeline_points: int, record_jobs: bool = True) -> tuple:
    """The positional arguments of `engine.run_replication` for one replication."""
    sc = plan.scenario
    wk = sc.workers
    a = wk.autoscale
    crash = sc.failures.crash
    lvl = plan.level[d.cls] if plan.n_levels > 1 else np.zeros(len(d.cls), np.int32)
    w_init = wk.count if a is None else (a.initial if a.initial is not None else a.min)
    return (d.arr_t, lvl, d.cls, d.svc, d.pat, d.pre, plan.n_levels, len(plan.names),
            int(w_init), int(wk.max_workers), a is not None,
            int(a.min if a else 0), int(a.max if a else 0), float(a.target_queue_per_worker if a else 0.0),
            float(a.check_interval_s if a else 1.0), float(a.scale_up_delay_s if a else 0.0),
            float(a.scale_down_cooldown_s if a else 0.0),
            int(-1 if sc.queue.capacity is None else sc.queue.capacity),
            float(crash.mtbf_s if crash else 0.0), float(crash.restart_s if crash else 0.0), int(d.crash_seed),
            float(d.t0), float(d.t1), int(timeline_points), bool(record_jobs))
