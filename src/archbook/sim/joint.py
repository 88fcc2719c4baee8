"""Both stages of `recommend` in one pass over the process pool, sharing each replication's draw.

Stage 2 (the autoscaler's floor search, floors 0..w*) needs stage 1's answer w* (the smallest
fixed pool meeting the SLO). Run one after the other, the pool drains twice, a second pool
starts, and every replication is drawn twice; the floors' runs are a fifth of the work of
the README's sweep, the draws and the two drains another tenth.

Here the first replications (one per process) run the fixed pools alone. From their point
estimates the floors likely needed, 0..K with K = estimate + 1, join the task of every later
replication, which runs them on the draw it already made; the first replications get their
floors last. If w* ends above K, the missing floors run afterwards (stage 2 as before, for
those floors only); if it ends above the autoscaler's own max, whose ceiling then changes,
stage 2 runs as before. Every number equals the two-stage run's: a point's replication r
always uses child r of the seed, and a point's result does not depend on which other
points share its task (crn.py). tests/sim/test_joint.py compares them.
"""
from __future__ import annotations

from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass

import numpy as np
import pandas as pd

from archbook.sim import crn
from archbook.sim.overrides import point_overrides
from archbook.sim.pool import worker_pool
from archbook.sim.results import COLUMNS, group_labels
from archbook.sim.seeds import as_seed_sequence, child
from archbook.sim.sweeping import _add_cost_per_hour, _point_result, _pool_size, _progress, _warm_up, _work

__all__ = ["fixed_and_floors", "Stages"]


@dataclass
class Stages:
    """What the single pass produced: the fixed-pool sweep and the floor points run so far
    (rows and warnings per floor, at the autoscaler ceiling `top`)."""

    table: pd.DataFrame
    floors: dict[int, pd.DataFrame]
    floor_warnings: dict[int, list]
    top: int


class _Inline:
    """The executor interface, run in this process (a sweep too small for a pool)."""

    def submit(self, fn, task) -> Future:
        future: Future = Future()
        future.set_result(fn(task))
        return future

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


def floor_point(floor: int, top: int) -> dict:
    """A stage-2 grid point, keyed as `sweep(autoscale=[True], autoscale_min=..., workers.autoscale.max=...)`."""
    return {"autoscale": True, "autoscale_min": floor, "workers.autoscale.max": top}


def fixed_and_floors(scen, counts: list[int], policy: dict, targets, horizon: dict, seed, n_jobs: int | None,
                     progress: bool) -> Stages:
    """Run the fixed pools `counts` and, speculatively, floors 0..K at the policy's max (see above)."""
    run = _Pass(scen, counts, int(policy["max"]), targets, horizon, seed)
    size = _pool_size(n_jobs, run.reps, _work(run.plans))
    bar = _progress(run.reps, progress, "task")
    if size > 1:
        _warm_up(scen)  # compiled once in the parent; forked workers inherit it
    try:
        with (worker_pool(size) if size > 1 else _Inline()) as pool:
            run.drive(pool, size, bar)
    finally:
        bar.close()
    return run.result()


class _Pass:
    """The state of one pass: plans, collected replications, the speculation's K."""

    def __init__(self, scen, counts, top, targets, horizon, seed):
        self.scen, self.top, self.targets, self.horizon = scen, top, targets, horizon
        self.fixed = [{"workers": w} for w in counts]  # a fixed pool, keyed as `sweep(scen, counts)`
        self.plans = crn.point_plans(scen, [self._overrides(p) for p in self.fixed])
        self.reps = self.plans[0].scenario.horizon.replications
        self.base = as_seed_sequence(seed, scen.horizon.seed)
        self.parts: dict[int, list] = defaultdict(list)
        self.k = None  # floors 0..k ride along; None until estimated, -1 for none
        self.floor_plans: list = []
        self.todo_floors: list[int] = []  # replications that ran without their floors

    def _overrides(self, point: dict) -> dict:
        return {**point_overrides(self.scen, point), **self.horizon}

    def _task(self, rep: int, fixed: bool, floors: bool) -> tuple:
        n = len(self.plans)
        idx = (list(range(n)) if fixed else []) + ([n + f for f in range(len(self.floor_plans))] if floors else [])
        plans = [self.plans[i] if i < n else self.floor_plans[i - n] for i in idx]
        return idx, plans, child(self.base, rep), rep

    def drive(self, pool, size: int, bar) -> None:
        """Keep `size` tasks in flight: replications in order, then the first ones' floors."""
        pending: set = set()
        next_rep = 0
        while next_rep < min(size, self.reps):
            pending.add(pool.submit(crn.run_task, self._task(next_rep, True, False)))
            self.todo_floors.append(next_rep)
            next_rep += 1
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                self._collect(future.result())
                bar.update(1)
            if self.k is None:
                self._speculate()
            while len(pending) < size and (next_rep < self.reps or self.todo_floors and self.floor_plans):
                if next_rep < self.reps:
                    pending.add(pool.submit(crn.run_task, self._task(next_rep, True, bool(self.floor_plans))))
                    next_rep += 1
                else:
                    pending.add(pool.submit(crn.run_task, self._task(self.todo_floors.pop(0), False, True)))
                    bar.total += 1
                    bar.refresh()

    def _collect(self, out) -> None:
        for i, metrics, hist in out:
            self.parts[i].append((i, metrics, hist))

    def _speculate(self) -> None:
        """K from the replications in so far: the smallest pool whose point estimates (means
        of the replications' values; no summary, the pool's workers are waiting meanwhile)
        meet every target, plus one (the answer is judged on the CI bound, which lies above)."""
        if any(not self.parts[i] for i in range(len(self.plans))):
            return
        estimate = next((p["workers"] for i, p in enumerate(self.fixed) if self._meets(i)), None)
        self.k = -1 if estimate is None else min(estimate + 1, self.top)
        plans = crn.point_plans(self.scen, [self._overrides(floor_point(f, self.top)) for f in range(self.k + 1)])
        if all(crn.same_draw(p, self.plans[0]) for p in plans):  # else they cannot share a task's draw
            self.floor_plans = plans
        if not self.floor_plans:
            self.todo_floors = []

    def _meets(self, i: int) -> bool:
        groups = group_labels(self.plans[i])
        values = np.stack([p[1][1] for p in self.parts[i]])  # replications x groups x COLUMNS
        for t in self.targets:
            if t.cls not in groups or t.field not in COLUMNS:
                continue
            column = values[:, groups.index(t.cls), COLUMNS.index(t.field)]
            if not (np.isfinite(column).any() and t.holds(float(np.nanmean(column)))):
                return False
        return True

    def result(self) -> Stages:
        fixed = [self._point(self.plans[i], self.parts[i], self.fixed[i]) for i in range(len(self.plans))]
        table = _add_cost_per_hour(pd.concat([rows for rows, _ in fixed], ignore_index=True), self.scen)
        table.attrs["warnings"] = sorted({w for _, warns in fixed for w in warns})
        floors, floor_warnings = {}, {}
        for f, plan in enumerate(self.floor_plans):
            floors[f], floor_warnings[f] = self._point(plan, self.parts[len(self.plans) + f], floor_point(f, self.top))
        return Stages(table, floors, floor_warnings, self.top)

    @staticmethod
    def _point(plan, parts: list, point: dict) -> tuple[pd.DataFrame, list[str]]:
        """A point's table rows and warnings, as `sweep` gives them."""
        rows, trust = _point_result(plan, crn.assemble(plan, parts), point)
        return rows, list(plan.warnings) + trust
