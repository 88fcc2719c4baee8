"""How much common random numbers buy: the variance of neighbouring-point differences.

A sweep's curve is read as differences (what does one more worker save?). With CRN the
points of replication r share one draw, so m_r(w+1) - m_r(w) loses the draw's noise;
with independent streams each point's replication has its own seed. Both cases run
the same compiled plans and the same number of replications, so the ratio of the
two variances is the reduction CRN gives at equal cost.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from archbook.sim import crn
from archbook.sim.overrides import as_scenario, point_overrides
from archbook.sim.seeds import as_seed_sequence, child

__all__ = ["neighbour_difference_variance"]


def _per_rep(tasks, n_points: int, n_reps: int, metric: str) -> np.ndarray:
    """metric[point, replication] for the "overall" group, from `crn.run_task` outputs."""
    out = np.full((n_points, n_reps), np.nan)
    for task in tasks:
        for i, metrics, _hist in crn.run_task(task):
            row = metrics[metrics["cls"] == "overall"].iloc[0]
            out[i, int(row["replication"])] = float(row[metric])
    return out


def _independent_tasks(plans, base) -> list[tuple]:
    """One single-point task per (point, replication), each point with its own child stream."""
    reps = plans[0].scenario.horizon.replications
    return [([i], [p], child(child(base, i), r), r) for i, p in enumerate(plans) for r in range(reps)]


def neighbour_difference_variance(scenario, workers, *, replications: int = 20, jobs: int = 2000,
                                  seed: int = 1, metric: str = "wait_mean_s") -> pd.DataFrame:
    """Per neighbour pair (w, w'): Var over replications of m(w') - m(w), CRN and independent.

    Columns: `workers`, `next_workers`, `var_crn`, `var_independent`, `ratio` (crn / independent).
    `table.attrs["ratio"]` is the pooled ratio (sum of CRN variances over sum of independent ones).
    """
    scen = as_scenario(scenario)
    counts = [int(w) for w in workers]
    horizon = {"horizon.replications": int(replications), "horizon.jobs": int(jobs), "horizon.warmup_jobs": int(jobs) // 10}
    plans = crn.point_plans(scen, [{**point_overrides(scen, {"workers": w, "autoscale": False}), **horizon} for w in counts])
    base = as_seed_sequence(seed)
    same = _per_rep(crn.group_tasks(plans, base), len(counts), replications, metric)
    indep = _per_rep(_independent_tasks(plans, base), len(counts), replications, metric)
    v_crn, v_ind = np.diff(same, axis=0).var(axis=1, ddof=1), np.diff(indep, axis=0).var(axis=1, ddof=1)
    table = pd.DataFrame({"workers": counts[:-1], "next_workers": counts[1:], "var_crn": v_crn,
                          "var_independent": v_ind, "ratio": v_crn / v_ind})
    table.attrs["ratio"] = float(v_crn.sum() / v_ind.sum())
    return table
