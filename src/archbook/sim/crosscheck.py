"""Analytic cross-checks for a scenario: the equivalent M/M/c curve for charts, and a
table putting simulated waits next to Erlang C, Allen-Cunneen and Cobham.

The formulas are exact only for their own models; the table lists which of the
scenario's features (profiles, failures, admission limits, patience) each one
ignores, so a reader knows whether a gap is a bug or a modelling difference.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from archbook.model.queue import dist_mean, dist_scv
from archbook.sim import analytic
from archbook.sim.overrides import as_scenario

__all__ = ["equivalent_load", "erlang_curve", "crosscheck_table", "caveats", "class_table"]


def equivalent_load(scenario) -> dict | None:
    """Long-run arrival rate, mixed service mean and SCV, and per-class rates/means/SCVs.
    None when they are only known after reading a CSV (trace or empirical service)."""
    scen = as_scenario(scenario)
    lam = scen.arrivals.mean_rate()
    means = [dist_mean(c.service) for c in scen.classes]
    scvs = [dist_scv(c.service) for c in scen.classes]
    if lam is None or any(m is None for m in means):
        return None
    shares = np.array([c.share for c in scen.classes])
    m1 = np.array(means)
    m2 = m1**2 * (1 + np.array(scvs))
    mean = float(shares @ m1)
    scv = float(shares @ m2 / mean**2 - 1)
    order = np.argsort([c.priority for c in scen.classes], kind="stable")
    return {"lam": lam, "mean_s": mean, "scv": scv, "names": [scen.classes[i].name for i in order],
            "lams": lam * shares[order], "means": m1[order], "scvs": np.array(scvs)[order]}


def erlang_curve(scenario, workers: Iterable[int]) -> pd.DataFrame:
    """Erlang C (M/M/c with the scenario's mean rate and mean service) per worker count:
    mean wait, p95/p99 wait, P(wait), plus Allen-Cunneen's G/G/c mean with the real SCV."""
    eq = equivalent_load(scenario)
    rows = []
    for c in workers:
        if eq is None:
            rows.append({"workers": int(c)})
            continue
        m = analytic.mmc(eq["lam"], 1.0 / eq["mean_s"], int(c))
        stable = m.utilization < 1
        rows.append({
            "workers": int(c), "utilization": m.utilization, "prob_wait": m.prob_wait,
            "wait_mean_s": m.wait_mean,
            "wait_p95_s": m.wait_quantile(0.95) if stable else math.inf,
            "wait_p99_s": m.wait_quantile(0.99) if stable else math.inf,
            "wait_mean_allen_cunneen_s": analytic.allen_cunneen(eq["lam"], eq["mean_s"], int(c), 1.0, eq["scv"])
            if stable else math.inf,
        })
    return pd.DataFrame(rows)


def caveats(scenario) -> list[str]:
    """Features of the scenario that the closed forms leave out."""
    scen = as_scenario(scenario)
    out = []
    if scen.arrivals.process != "poisson":
        out.append(f"{scen.arrivals.process} arrivals: formulas use the long-run mean rate")
    if scen.workers.autoscale is not None:
        out.append("autoscaling: formulas use a fixed pool")
    if scen.failures.oom is not None or scen.failures.crash is not None:
        out.append("failures (OOM retries, crashes) add work the formulas ignore")
    if scen.admission.rate_limit is not None or scen.queue.capacity is not None:
        out.append("admission limits (429/503) remove load the formulas keep")
    if scen.patience is not None:
        out.append("patience: abandonment lowers waits (Erlang-A covers the exponential case)")
    return out


def crosscheck_table(scenario, summary: pd.DataFrame, workers: int) -> pd.DataFrame:
    """Simulated mean wait (with CI) per class against the closed forms at `workers`.

    `summary` is a SimResult.summary (index overall + classes) or the sweep rows of
    one point (a `cls` column). Cobham is given for priority discipline only.
    """
    eq = equivalent_load(scenario)
    scen = as_scenario(scenario)
    s = summary.set_index("cls") if "cls" in summary.columns else summary
    rows = []
    mm = analytic.mmc(eq["lam"], 1 / eq["mean_s"], workers) if eq else None
    ac = (analytic.allen_cunneen(eq["lam"], eq["mean_s"], workers, 1.0, eq["scv"])
          if eq and mm.utilization < 1 else math.inf)
    cob = {}
    if eq and scen.discipline == "priority":
        cob = dict(zip(eq["names"], analytic.cobham(eq["lams"], 1 / eq["mean_s"], workers)))
    for cls in s.index:
        row = {"cls": cls, "simulated_wait_mean_s": s.loc[cls, "wait_mean_s"],
               "ci95_s": s.loc[cls, "wait_mean_s_ci95"] if "wait_mean_s_ci95" in s else np.nan}
        if mm is not None:
            row["erlang_c_s"] = mm.wait_mean
            row["allen_cunneen_s"] = ac
            if cob:
                row["cobham_s"] = cob.get(cls, mm.wait_mean if cls == "overall" else np.nan)
        rows.append(row)
    out = pd.DataFrame(rows).set_index("cls")
    out.attrs["caveats"] = caveats(scen)
    return out


def class_table(scenario) -> pd.DataFrame:
    """The scenario at a glance, one row per class in service order: share, priority,
    arrival rate, mean service and its CV, offered load in workers (Erlangs)."""
    scen = as_scenario(scenario)
    lam = scen.arrivals.mean_rate()
    rows = []
    for c in scen.classes_by_priority():
        mean, scv = dist_mean(c.service), dist_scv(c.service)
        rate = lam * c.share if lam is not None else np.nan
        rows.append({"cls": c.name, "priority": c.priority, "share": c.share, "arrival_rate_per_s": rate,
                     "service": c.service.dist, "service_mean_s": mean if mean is not None else np.nan,
                     "service_cv": math.sqrt(scv) if scv is not None else np.nan,
                     "offered_load_erlangs": rate * mean if mean is not None else np.nan})
    out = pd.DataFrame(rows).set_index("cls")
    out.loc["overall"] = {"share": out["share"].sum(), "arrival_rate_per_s": lam if lam is not None else np.nan,
                          "offered_load_erlangs": out["offered_load_erlangs"].sum()}
    out["priority"] = out["priority"].astype("Int64")
    return out
