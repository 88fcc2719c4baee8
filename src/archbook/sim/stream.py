"""Streaming replications (`simulate(..., record_jobs="summary")`): memory bounded
independently of the number of jobs, for runs of 1e8 jobs and more.

A full replication draws all its jobs up front (~100 B a job even without records). A
streaming one keeps them in a circular buffer of B slots (engine/buffer.py): it draws
the first B jobs, runs the compiled loop until it needs an arrival not drawn yet, then
tallies the oldest half of the buffer (those jobs have left the system), draws the next
B/2 jobs into it and resumes the loop with its state intact. A job of that half still in
the system (a long backlog) doubles the buffer instead, so memory follows the backlog,
not the run length.

What is kept: the per-group counts and sums of `results._tally`, accumulated chunk by
chunk in arrival order, so means and fractions are exact (the same sums as a full run),
and the log-spaced wait histograms of quantiles.py: a fixed-size mergeable sketch
(7,169 bins a group) whose quantiles have a relative error below 0.54 % (one bin's
width, 2^(1/128) - 1; linear inside the bin, typically < 0.1 %) over waits from the
wait tolerance up to 2^56 times it. Time averages are integrated by the loop as usual.
No per-job table and no timeline.

Random numbers: the same per-purpose generators as `draw_replication`, continued from
block to block (BLOCK jobs each, whatever the buffer size, so a run's numbers do not
depend on the buffer or on its growth). Arrivals, and with one class the services and
patience too, are then the very numbers of the full run, so a streaming run of a
single-class scenario equals the full run (tests/sim/test_summary_mode.py). With several
classes (services drawn class by class per block) or OOM retries (drawn per retry level
per block) the streams are consumed in another order: statistically the same model,
other numbers. The rate limit's per-user history is carried across blocks.

Known differences from a full run: time averages can differ in their last digits (a
freed slot's stale abandonment events are dropped, and the loop integrates up to every
event it pops, stale or not, so an integral is summed in one step fewer);
`wait_tolerance` needs the window's end before it is known, so it uses the planned horizon (`_end_hint`; the same value unless the run ends
in another binade of the float spacing, and only waits within ~1e-6 of a mean service
of zero are affected); and jobs tallied before the warm-up boundary (job `warmup_jobs`) is
drawn count as warm-up: different from a full run only for jobs tied in arrival time with
that boundary, or when a time horizon ends before `warmup_jobs` arrivals (then a full run
measures from `warmup_s`, a streaming one only the jobs still held at the end).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from archbook.sim.arrivals import ArrivalStream
from archbook.sim.engine.admission import rate_limit_state
from archbook.sim.engine.buffer import begin, finished, open_window, recycle, remap, resume
from archbook.sim.engine.codes import INF
from archbook.sim.engine.loop import close_window
from archbook.sim.engine.state import Params, State, make_state, new_jobs, stream_lines
from archbook.sim.policies import Draws, Plan, _rngs, engine_args, job_inputs
from archbook.sim.results import _tally_chunk, metrics_from_tally, new_tally, wait_bins, wait_tolerance

__all__ = ["run_summary", "streamed", "BUFFER", "BLOCK"]

BUFFER = 1 << 20  # job slots to start with (~60 B each): a power of two, at least 2 x BLOCK
BLOCK = 1 << 16  # jobs drawn per block: fixes how the random streams are consumed
_INPUTS = ("arr_t", "lvl", "cls", "svc", "pat", "pre", "retries")
_ENGINE_ARGS = ("arr_t", "lvl", "cls", "svc", "pat", "pre", "n_levels", "n_classes", "w_init", "w_max",
                "autoscale", "a_min", "a_max", "a_target", "a_interval", "a_delay", "a_cooldown", "capacity",
                "crash_mtbf", "restart_s", "crash_seed", "t0", "t1", "tl_cap", "rec")


class ChunkSource:
    """A replication's pre-drawn inputs, produced block by block from its seed."""

    def __init__(self, plan: Plan, seed: np.random.SeedSequence, block: int = BLOCK):
        self.plan, self.block, self.drawn = plan, block, 0
        self.rng = _rngs(seed)
        self.arrivals = ArrivalStream(plan.scenario, self.rng["arrivals"], plan.trace)
        self.crash_seed = int(self.rng["crash"].integers(0, 2**31 - 1))  # its own stream: as draw_replication
        self.history = None  # the rate limiter's per-user state, carried from block to block
        rl = plan.scenario.admission.rate_limit
        if rl is not None:
            users = plan.trace.users if plan.trace is not None else None
            n_users = int(users.max()) + 1 if users is not None and len(users) else rl.users
            self.history = rate_limit_state(n_users, rl.requests)

    @property
    def done(self) -> bool:
        return self.arrivals.done

    def take(self, k: int) -> dict[str, np.ndarray]:
        """The next (at most) k jobs' inputs, as arrays named like `_INPUTS`."""
        parts = []
        while k > 0 and not self.done:
            parts.append(self._block(min(k, self.block)))
            k -= len(parts[-1]["arr_t"])
        if not parts:
            return self._block(0)
        return {name: np.concatenate([p[name] for p in parts]) for name in _INPUTS}

    def _block(self, m: int) -> dict[str, np.ndarray]:
        plan, rng, lo = self.plan, self.rng, self.drawn
        arr = self.arrivals.take(m) if m else np.empty(0)
        n = len(arr)
        cls, svc, pat, pre, retries = job_inputs(plan, arr, rng, lo, self.history)
        lvl = plan.level[cls] if plan.n_levels > 1 else np.zeros(n, np.int32)
        self.drawn += n
        return {"arr_t": arr, "lvl": lvl, "cls": cls, "svc": svc, "pat": pat, "pre": pre, "retries": retries}


class Window:
    """The measured window [t0, t1] of `policies._window`, learnt while the arrivals are drawn:
    t0 once job `warmup_jobs` is drawn, t1 once the last one is. Until t0 is known the loop
    sees the empty window [0, 0] and integrates nothing (engine/buffer.open_window)."""

    def __init__(self, plan: Plan):
        self.hz = plan.scenario.horizon
        self.t0 = self.hz.warmup_s if self.hz.warmup_jobs == 0 else None
        self.t1 = None
        self.last = 0.0

    def see(self, first: int, arr: np.ndarray, done: bool, n: int) -> None:
        """Arrivals first .. first + len(arr) - 1 were drawn; `done`: n is the final count."""
        hz = self.hz
        if len(arr):
            self.last = float(arr[-1])
        if self.t0 is None and first <= hz.warmup_jobs < first + len(arr):
            self.t0 = max(float(arr[hz.warmup_jobs - first]), hz.warmup_s)
        if done:
            if self.t0 is None:
                self.t0 = hz.warmup_s
            cut_by_jobs = hz.jobs is not None and n >= hz.jobs
            t1 = hz.duration_s if hz.duration_s is not None and not cut_by_jobs else self.last
            self.t1 = max(t1, self.t0)

    def bounds(self) -> tuple[float, float]:
        """(t0, t1) for the loop's clock: [0, 0] before t0 is known, t1 open until the end."""
        if self.t0 is None:
            return 0.0, 0.0
        return self.t0, INF if self.t1 is None else self.t1


class Buffer:
    """The circular job buffer, the loop's state, and the tally of the jobs already gone."""

    def __init__(self, plan: Plan, src: ChunkSource, size: int):
        self.plan, self.src, self.size = plan, src, size
        self.window = Window(plan)
        self.lo = self.hi = 0  # arrival indices held: [lo, hi)
        self.tally, self.hist = new_tally(len(plan.names))
        self.tol = wait_tolerance(plan.mean_service, _end_hint(plan))
        self.base = wait_bins(plan)
        sc = plan.scenario
        self.inputs = _empty_inputs(size, sc.patience is not None)
        self.P, w_init = _params(plan, self.inputs, src.crash_seed, size)
        self.S = make_state(self.P, 0, stream_lines(plan.n_levels, size + 1), _heap_size(self.P, size))
        for _ in range(2):  # in halves: the draw's temporaries stay at half a buffer
            self._fill(src.take(size // 2))
        begin(self.P, self.S, w_init, src.crash_seed)

    def run(self, helper: ThreadPoolExecutor) -> None:
        """Run the loop to the end, drawing each next half of the buffer while the loop runs."""
        while True:
            ahead = None if self.src.done else helper.submit(self.src.take, self.size // 2)
            resume(self.P, self.S)
            if not self.P.more:
                return
            chunk = ahead.result()
            while self.lo + self.size - self.hi < len(chunk["arr_t"]):  # not enough free slots
                if not self._recycle_half():
                    self._grow()  # a backlog of more than half the buffer: make room, keep the chunk
            self._fill(chunk)

    def _recycle_half(self) -> bool:
        """Tally and free the oldest half of the buffer; False if one of its jobs is still in the system."""
        half = self.size // 2
        spans = _spans(self.lo, self.lo + half, self.size - 1)
        if not all(finished(self.S, a, b) for a, b, _ in spans):
            return False
        for a, b, _ in spans:
            self._tally(a, b)
            recycle(self.P, self.S, a, b)
        self.lo += half
        return True

    def _grow(self) -> None:
        """Double the buffer; every held job moves to its slot under the new mask."""
        size = 2 * self.size
        inputs = _empty_inputs(size, self.P.has_pat)
        P1 = self.P._replace(mask=np.int64(size - 1), **{k: inputs[k] for k in _INPUTS if k != "retries"})
        S0 = self.S
        S1 = State(new_jobs(size, False), stream_lines(self.plan.n_levels, size + 1), S0.workers, S0.areas,
                   *_heap_arrays(_heap_size(P1, size)), S0.wt, S0.wk, S0.count, S0.time, S0.tl)
        remap(self.P, S0, P1, S1, self.lo, self.hi)
        g = np.arange(self.lo, self.hi)
        inputs["retries"][g & (size - 1)] = self.inputs["retries"][g & (self.size - 1)]
        self.inputs, self.P, self.S, self.size = inputs, P1, S1, size

    def _fill(self, chunk: dict[str, np.ndarray]) -> None:
        """Write newly drawn jobs after the last one held and let the loop see them."""
        n = len(chunk["arr_t"])
        for a, b, k in _spans(self.hi, self.hi + n, self.size - 1):
            for name in _INPUTS:
                if len(self.inputs[name]):
                    self.inputs[name][a:b] = chunk[name][k:k + b - a]
        self.window.see(self.hi, chunk["arr_t"], self.src.done, self.hi + n)
        known = self.window.t0 is not None and self.P.t0 != self.window.t0
        self.hi += n
        t0, t1 = self.window.bounds()
        self.P = self.P._replace(avail=self.hi, more=not self.src.done, t0=t0, t1=t1)
        if known:
            open_window(self.P, self.S)

    def _tally(self, a: int, b: int) -> None:
        P, J = self.P, self.S.jobs
        t0 = self.window.t0 if self.window.t0 is not None else INF
        _tally_chunk(self.tally, self.hist, P.arr_t[a:b], P.cls[a:b], J.status[a:b], J.wait[a:b], J.end[a:b],
                     P.svc[a:b], J.restarts[a:b], self.inputs["retries"][a:b], t0, self.tol, self.base)

    def finish(self, rep: int):
        """Tally the jobs still held, close the window: the replication's metrics and histograms."""
        for a, b, _ in _spans(self.lo, self.hi, self.size - 1):
            self._tally(a, b)
        totals, cq_area, cb_area = close_window(self.P, self.S)
        w = self.window
        return metrics_from_tally(self.plan, self.tally, self.hist, totals, cq_area, cb_area, w.t1 - w.t0, rep)


def run_summary(plan: Plan, seed: np.random.SeedSequence, rep: int, *, buffer: int | None = None,
                block: int | None = None) -> tuple:
    """One streaming replication: (metrics rows, wait histograms) as `replication_metrics` gives."""
    return streamed(plan, seed, buffer, block).finish(rep)


def streamed(plan: Plan, seed: np.random.SeedSequence, buffer: int | None = None,
             block: int | None = None) -> Buffer:
    """Run one streaming replication to its end; its `Buffer` (tallies, final size) is returned.
    `buffer` and `block` default to the module's BUFFER and BLOCK, read at call time."""
    buffer, block = buffer or BUFFER, block or BLOCK
    if buffer & (buffer - 1) or buffer < 2 * block:
        raise ValueError(f"buffer ({buffer}) must be a power of two and at least 2 x block ({block})")
    buf = Buffer(plan, ChunkSource(plan, seed, block), buffer)
    with ThreadPoolExecutor(max_workers=1) as helper:
        buf.run(helper)
    return buf


def _spans(g0: int, g1: int, mask: int) -> list[tuple[int, int, int]]:
    """Arrival indices [g0, g1) as contiguous slot ranges (a, b) and their offset from g0."""
    out, g = [], g0
    while g < g1:
        a = g & mask
        b = min(mask + 1, a + (g1 - g))
        out.append((a, b, g - g0))
        g += b - a
    return out


def _empty_inputs(size: int, has_pat: bool) -> dict[str, np.ndarray]:
    return {"arr_t": np.zeros(size), "lvl": np.zeros(size, np.int32), "cls": np.zeros(size, np.int32),
            "svc": np.zeros(size), "pat": np.zeros(size if has_pat else 0), "pre": np.zeros(size, np.int8),
            "retries": np.zeros(size, np.int32)}


def _draws_of(inputs: dict, crash_seed: int) -> Draws:
    return Draws(inputs["arr_t"], inputs["cls"], inputs["svc"], inputs["pat"], inputs["pre"], inputs["retries"],
                 0.0, 0.0, crash_seed)


def _params(plan: Plan, inputs: dict, crash_seed: int, size: int) -> tuple[Params, int]:
    """The loop's parameters over the buffer, from the same scalars `engine_args` gives a full
    run, and the initial number of workers."""
    a = dict(zip(_ENGINE_ARGS, engine_args(plan, _draws_of(inputs, crash_seed), 0, False)))
    a["lvl"] = inputs["lvl"]  # engine_args computes a copy; the buffer's own array is filled in place
    a.update(multi=a["n_classes"] > 1, has_pat=inputs["pat"].shape[0] > 0, avail=0, mask=np.int64(size - 1),
             more=True, t0=0.0, t1=0.0)
    return Params(**{k: a[k] for k in Params._fields}), a["w_init"]


def _heap_size(P: Params, size: int) -> int:
    """Room in the job-event heap (state.schedule) for every live event: a completion per
    worker, an abandonment per impatient job held. (The workers' own heap keeps its size.)"""
    return 64 + P.w_max + (size if P.has_pat else 0)


def _heap_arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.empty(n, np.float64), np.empty(n, np.int64)


def _end_hint(plan: Plan) -> float:
    """The window's end as planned (for the wait tolerance, needed before the end is drawn)."""
    sc = plan.scenario
    hz, arr = sc.horizon, sc.arrivals
    if hz.duration_s is not None:
        return float(hz.duration_s)
    if plan.trace is not None:
        t = plan.trace.times / (arr.trace.time_scale * arr.rate_multiplier)
        return float(t[min(len(t), hz.jobs or len(t)) - 1]) if len(t) else 0.0
    rate = arr.mean_rate()
    return float(hz.jobs / rate) if rate else 0.0
