"""How much common random numbers buy: the variance of neighbour differences, CRN vs independent.

A sizing decision compares neighbouring pool sizes ("is 6 workers enough, or 7?"), so what
matters is the noise of W(k+1) - W(k), not of W(k) alone. With common random numbers both
points see the same arrivals and services in replication r, their errors move together and
cancel in the difference; with independent streams the variances add. This module measures
both, replication by replication, with the same scenario, horizon and base seed.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from archbook.sim.overrides import as_scenario
from archbook.sim.seeds import as_seed_sequence, child

__all__ = ["neighbour_difference_variance"]


def _per_replication(scen, count: int, horizon: dict, seed, metric: str, cls: str) -> np.ndarray:
    """`metric` of class `cls` in each replication of a fixed pool of `count` workers."""
    from archbook.sim import simulate

    overrides = {"workers.count": int(count), "workers.autoscale": None, **horizon}
    with warnings.catch_warnings():  # an unstable small pool is expected in a sweep
        warnings.simplefilter("ignore", RuntimeWarning)
        res = simulate(scen, seed=seed, record_jobs=False, record_timeline=False, **overrides)
    reps = res.replications
    rows = reps[reps["cls"] == cls].sort_values("replication")
    return rows[metric].to_numpy(dtype=float)


def _matrix(scen, counts: list[int], horizon: dict, base, crn: bool, metric: str, cls: str) -> np.ndarray:
    """Replications x points; CRN gives every point the base seed, else the point's own child."""
    seeds = [base if crn else child(base, i) for i in range(len(counts))]
    return np.column_stack([_per_replication(scen, k, horizon, s, metric, cls) for k, s in zip(counts, seeds)])


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation, NaN when a side does not vary (e.g. no job ever waited)."""
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def neighbour_difference_variance(scenario, workers: Iterable[int], *, replications: int = 10,
                                  jobs: int | None = None, seed=None, metric: str = "wait_mean_s",
                                  cls: str = "overall") -> pd.DataFrame:
    """One row per neighbouring pair (k, k'): the sample variance over replications of
    metric(k') - metric(k) with CRN (`var_crn`) and with separately run independent streams
    (`var_independent`), and the CRN correlation of the two points.

    The reduction is judged against `var_if_independent` = var a + var b, computed from the
    same CRN samples: what the difference's variance would be without the shared streams.
    Comparing with the separately run streams instead mixes in the sampling noise of two
    different sets of replications (a near-saturated point's variance is itself very noisy),
    so that ratio is reported too (`attrs["measured_pooled_ratio"]`) but not used.

    The gain has a ceiling: var(a - b) = var a + var b - 2 rho sd_a sd_b, so when one point
    is much noisier than its neighbour (a pool near saturation) even rho near 1 removes
    little. `attrs["pooled_ratio"]` (sum of CRN over sum of independent variances) and
    `attrs["median_ratio"]` sum it up."""
    from archbook.sim.sweeping import _horizon

    scen = as_scenario(scenario)
    counts = sorted({int(k) for k in workers})
    if len(counts) < 2:
        raise ValueError("give at least two worker counts to compare neighbours")
    horizon = _horizon(scen, replications, jobs)
    base = as_seed_sequence(seed, scen.horizon.seed)
    ind = _matrix(scen, counts, horizon, base, False, metric, cls)
    same = _matrix(scen, counts, horizon, base, True, metric, cls)
    diff_ind, diff_crn = np.diff(ind, axis=1), np.diff(same, axis=1)
    var_sum = same[:, :-1].var(axis=0, ddof=1) + same[:, 1:].var(axis=0, ddof=1)
    table = pd.DataFrame({
        "workers": counts[:-1], "next_workers": counts[1:],
        "var_independent": diff_ind.var(axis=0, ddof=1), "var_if_independent": var_sum,
        "var_crn": diff_crn.var(axis=0, ddof=1),
        "correlation_crn": [_corr(same[:, i], same[:, i + 1]) for i in range(len(counts) - 1)],
    })
    table["variance_ratio"] = table["var_crn"] / table["var_if_independent"]
    table["reduction"] = 1.0 - table["variance_ratio"]
    table.attrs["median_ratio"] = float(table["variance_ratio"].median())
    table.attrs["pooled_ratio"] = float(table["var_crn"].sum() / table["var_if_independent"].sum())
    table.attrs["measured_pooled_ratio"] = float(table["var_crn"].sum() / table["var_independent"].sum())
    table.attrs["metric"], table.attrs["cls"], table.attrs["replications"] = metric, cls, diff_crn.shape[0]
    return table
