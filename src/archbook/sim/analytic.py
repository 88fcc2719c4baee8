"""Exact and approximate queueing formulas to cross-check the simulator and overlay on charts.

All functions are pure (numpy/scipy only). Rates are per second, times in seconds.
Notation: lam = arrival rate, mu = service rate per worker, c = workers,
a = lam / mu (offered load in Erlangs), rho = a / c (utilization).
References: Kleinrock, *Queueing Systems* vol. 1 (1975); Gross & Harris,
*Fundamentals of Queueing Theory* (4th ed.); Cobham (1954); Allen (1990);
Garnett, Mandelbaum & Reiman (2002) for Erlang-A.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "erlang_b",
    "erlang_c",
    "MMc",
    "mmc",
    "mg1_pk",
    "allen_cunneen",
    "MMcK",
    "mmck",
    "cobham",
    "cobham_mg1",
    "ErlangA",
    "erlang_a",
]


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not (value > 0 and math.isfinite(value)):
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def erlang_b(c: int, offered_load_a: float) -> float:
    """Erlang B blocking probability of M/M/c/c, by the stable recursion
    B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)) (avoids factorial overflow)."""
    if c < 0:
        raise ValueError(f"c must be >= 0, got {c}")
    b = 1.0
    for k in range(1, int(c) + 1):
        b = offered_load_a * b / (k + offered_load_a * b)
    return b


def erlang_c(c: int, offered_load_a: float) -> float:
    """Erlang C: probability an arrival waits in M/M/c, C = c B / (c - a (1 - B)),
    with B the Erlang B value. Returns 1.0 when a >= c (unstable: everyone waits)."""
    if c < 1:
        raise ValueError(f"c must be >= 1, got {c}")
    a = float(offered_load_a)
    if a >= c:
        return 1.0
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


@dataclass(frozen=True)
class MMc:
    """Steady-state M/M/c figures (infinite queue, FIFO)."""

    lam: float
    mu: float
    c: int
    prob_wait: float
    wait_mean: float
    response_mean: float
    queue_length_mean: float
    utilization: float

    def wait_quantile(self, q: float) -> float:
        """Exact waiting-time quantile: P(Wq > t) = C exp(-(c mu - lam) t),
        so t_q = ln(C / (1 - q)) / (c mu - lam), and 0 when 1 - q >= C."""
        if not 0 <= q < 1:
            raise ValueError(f"q must be in [0, 1), got {q}")
        if self.utilization >= 1:
            return math.inf
        tail = 1.0 - q
        if tail >= self.prob_wait:
            return 0.0
        return math.log(self.prob_wait / tail) / (self.c * self.mu - self.lam)

    def wait_sf(self, t: float) -> float:
        """P(Wq > t) = C exp(-(c mu - lam) t)."""
        return self.prob_wait * math.exp(-(self.c * self.mu - self.lam) * max(t, 0.0))


def mmc(lam: float, mu: float, c: int) -> MMc:
    """M/M/c (Erlang C): Wq = C / (c mu - lam), Lq = lam Wq, W = Wq + 1/mu.
    An unstable system (lam >= c mu) gets infinite waits."""
    _check_positive(lam=lam, mu=mu)
    a = lam / mu
    rho = a / c
    if rho >= 1:
        return MMc(lam, mu, c, 1.0, math.inf, math.inf, math.inf, rho)
    pw = erlang_c(c, a)
    wq = pw / (c * mu - lam)
    return MMc(lam, mu, c, pw, wq, wq + 1.0 / mu, lam * wq, rho)


def mg1_pk(lam: float, mean_s: float, scv: float) -> float:
    """Pollaczek-Khinchine mean wait of M/G/1: Wq = rho E[S] (1 + scv) / (2 (1 - rho)),
    i.e. lam E[S^2] / (2 (1 - rho)) with E[S^2] = E[S]^2 (1 + scv)."""
    _check_positive(lam=lam, mean_s=mean_s)
    rho = lam * mean_s
    if rho >= 1:
        return math.inf
    return rho * mean_s * (1.0 + scv) / (2.0 * (1.0 - rho))


def allen_cunneen(lam: float, mean_s: float, c: int, scv_arrival: float, scv_service: float) -> float:
    """Allen-Cunneen approximation of the G/G/c mean wait:
    Wq ~ Wq(M/M/c) (ca^2 + cs^2) / 2. Exact for M/M/c; close to P-K for M/G/1."""
    base = mmc(lam, 1.0 / mean_s, c).wait_mean
    return base * (scv_arrival + scv_service) / 2.0


@dataclass(frozen=True)
class MMcK:
    """M/M/c/K figures. K counts every job in the system (waiting + in service)."""

    lam: float
    mu: float
    c: int
    K: int
    blocking: float  # P(arrival rejected) = p_K (PASTA)
    prob_wait: float  # P(admitted job waits)
    wait_mean: float  # mean wait of admitted jobs
    response_mean: float
    queue_length_mean: float
    utilization: float  # busy fraction of the c workers
    throughput: float  # lam (1 - p_K)


def _mmck_probs(lam: float, mu: float, c: int, K: int) -> np.ndarray:
    """Birth-death stationary distribution p_0..p_K in log space (no overflow)."""
    n = np.arange(K + 1)
    death = np.minimum(n[1:], c) * mu
    logp = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death))])
    p = np.exp(logp - logp.max())
    return p / p.sum()


def mmck(lam: float, mu: float, c: int, K: int) -> MMcK:
    """M/M/c/K by its birth-death chain (birth lam, death min(n, c) mu, n <= K).
    archbook's `queue.capacity` counts waiting jobs only, so K = c + capacity."""
    _check_positive(lam=lam, mu=mu)
    if K < c:
        raise ValueError(f"K ({K}) must be >= c ({c})")
    p = _mmck_probs(lam, mu, c, K)
    n = np.arange(K + 1)
    lq = float(np.sum(np.maximum(n - c, 0) * p))
    pk = float(p[K])
    thr = lam * (1.0 - pk)
    wq = lq / thr
    pw = float(p[c:K].sum() / (1.0 - pk)) if K > c else 0.0
    return MMcK(lam, mu, c, K, pk, pw, wq, wq + 1.0 / mu, lq, thr / (c * mu), thr)


def cobham(lams, mu: float, c: int) -> np.ndarray:
    """Per-class mean waits of non-preemptive priority M/M/c with a common service rate
    (Cobham 1954): W_k = W0 / ((1 - s_{k-1}) (1 - s_k)), W0 = C(c, a) / (c mu),
    s_k = sum_{i<=k} lam_i / (c mu). Classes in priority order (first = served first)."""
    lams = np.asarray(lams, dtype=float)
    _check_positive(mu=mu)
    a = lams.sum() / mu
    w0 = erlang_c(c, a) / (c * mu)
    return _priority_waits(w0, lams / (c * mu))


def cobham_mg1(lams, means_s, scvs) -> np.ndarray:
    """Non-preemptive priority M/G/1 with per-class moments (Cobham 1954):
    W_k = W0 / ((1 - s_{k-1}) (1 - s_k)), W0 = sum_i lam_i E[S_i^2] / 2."""
    lams, means, scvs = (np.asarray(x, dtype=float) for x in (lams, means_s, scvs))
    w0 = float(np.sum(lams * means**2 * (1.0 + scvs)) / 2.0)
    return _priority_waits(w0, lams * means)


def _priority_waits(w0: float, rhos: np.ndarray) -> np.ndarray:
    sigma = np.cumsum(rhos)
    prev = np.concatenate([[0.0], sigma[:-1]])
    with np.errstate(divide="ignore"):
        w = w0 / ((1.0 - prev) * (1.0 - sigma))
    w[(sigma >= 1) | (prev >= 1)] = math.inf
    return w


@dataclass(frozen=True)
class ErlangA:
    """M/M/c+M (Erlang-A / Palm) figures; waits count time until service or abandonment."""

    lam: float
    mu: float
    c: int
    theta: float
    prob_abandon: float  # theta Lq / lam
    prob_wait: float  # P(all c busy at arrival) by PASTA
    wait_mean: float  # mean time in queue of all arrivals = Lq / lam
    wait_mean_served: float  # mean wait of jobs that get served
    queue_length_mean: float
    utilization: float


def erlang_a(lam: float, mu: float, c: int, theta: float, tol: float = 1e-16) -> ErlangA:
    """Erlang-A via the birth-death chain with death rate min(n, c) mu + max(n - c, 0) theta,
    truncated where the tail probability falls below `tol` (exact to machine precision).
    Abandonment P(ab) = theta Lq / lam; mean wait (all) = Lq / lam (Little)."""
    _check_positive(lam=lam, mu=mu, theta=theta)
    n_max = c + 64
    while True:
        n = np.arange(n_max + 1)
        death = np.minimum(n[1:], c) * mu + np.maximum(n[1:] - c, 0) * theta
        logp = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death))])
        p = np.exp(logp - logp.max())
        p /= p.sum()
        if p[-1] < tol or n_max > 10_000_000:
            break
        n_max *= 2
    lq = float(np.sum(np.maximum(n - c, 0) * p))
    p_ab = theta * lq / lam
    busy = float(np.sum(np.minimum(n, c) * p))
    # Little's law gives only the mean over all arrivals; the served jobs' mean needs
    # the stage argument of _erlang_a_served_wait.
    ws = _erlang_a_served_wait(p, lam, mu, c, theta)
    return ErlangA(lam, mu, c, theta, p_ab, float(p[c:].sum()), lq / lam, ws, lq, busy / c)


def _erlang_a_served_wait(p: np.ndarray, lam: float, mu: float, c: int, theta: float) -> float:
    """Mean wait of served jobs. An arrival finding n >= c in system is at position
    k = n - c + 1; it advances each time someone ahead leaves (service c mu or
    abandonment theta per job ahead) and it itself abandons at rate theta. Stage j
    (j jobs ahead) ends at rate c mu + j theta; survival per stage is
    (c mu + j theta) / (c mu + (j + 1) theta). Computed by a forward recursion."""
    total_w = 0.0
    total_served = p[:c].sum()  # arrivals who start at once, wait 0
    cm = c * mu
    wsum = 0.0
    # With k waiting ahead there are k + 1 stages; stage j (j ahead) lasts Exp(cm + (j+1) th)
    # and is survived with prob (cm + j th) / (cm + (j+1) th). The product telescopes to
    # cm / (cm + (k+1) th); given survival, E[W] = sum_{j=0..k} 1 / (cm + (j+1) th).
    for k in range(0, len(p) - c):
        ps = cm / (cm + (k + 1) * theta)
        wsum += 1.0 / (cm + (k + 1) * theta)
        total_w += p[c + k] * ps * wsum
        total_served += p[c + k] * ps
    return float(total_w / total_served) if total_served > 0 else 0.0
