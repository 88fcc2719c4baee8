"""Analytic formulas against hand-checked values and identities."""
from __future__ import annotations

import math

import numpy as np
import pytest

from archbook.sim import analytic as A


def test_erlang_b_c_known_values():
    assert A.erlang_b(1, 1.0) == pytest.approx(0.5)
    assert A.erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert A.erlang_c(1, 0.9) == pytest.approx(0.9)  # M/M/1: P(wait) = rho
    assert A.erlang_c(4, 5.0) == 1.0


def test_mmc_mm1_closed_forms():
    m = A.mmc(0.9, 1.0, 1)
    assert m.wait_mean == pytest.approx(9.0) and m.queue_length_mean == pytest.approx(8.1)
    # P(Wq > t) = rho exp(-(mu - lam) t)
    assert m.wait_quantile(0.95) == pytest.approx(math.log(0.9 / 0.05) / 0.1)
    assert m.wait_quantile(0.05) == 0.0
    assert A.mmc(5.0, 1.0, 4).wait_mean == math.inf


def test_pk_and_allen_cunneen():
    assert A.mg1_pk(0.5, 1.0, 1.0) == pytest.approx(A.mmc(0.5, 1.0, 1).wait_mean)
    assert A.mg1_pk(0.5, 1.0, 0.0) == pytest.approx(0.5)
    assert A.allen_cunneen(3.0, 1.0, 4, 1.0, 1.0) == pytest.approx(A.mmc(3.0, 1.0, 4).wait_mean)
    assert A.allen_cunneen(0.5, 1.0, 1, 1.0, 0.0) == pytest.approx(A.mg1_pk(0.5, 1.0, 0.0))


def test_mmck():
    k = A.mmck(0.8, 1.0, 1, 1)  # M/M/1/1: Erlang B
    assert k.blocking == pytest.approx(A.erlang_b(1, 0.8)) and k.wait_mean == 0
    big = A.mmck(3.0, 1.0, 4, 400)
    assert big.wait_mean == pytest.approx(A.mmc(3.0, 1.0, 4).wait_mean, rel=1e-9)


def test_cobham_conservation():
    lams = np.array([0.6, 0.9, 0.9])
    w = A.cobham(lams, 1.0, 4)
    assert np.dot(lams, w) / lams.sum() == pytest.approx(A.mmc(2.4, 1.0, 4).wait_mean)
    assert w[0] < w[1] < w[2]
    g = A.cobham_mg1([0.2, 0.2], [1.0, 1.0], [1.0, 1.0])
    assert g == pytest.approx([0.5, 0.4 / (0.8 * 0.6)])


def test_erlang_a_limits():
    e = A.erlang_a(3.0, 1.0, 4, 1e-9)  # almost no abandonment: Erlang C
    assert e.wait_mean == pytest.approx(A.mmc(3.0, 1.0, 4).wait_mean, rel=1e-5)
    f = A.erlang_a(3.0, 1.0, 4, 1.0)  # theta = mu: M/M/inf in disguise
    assert f.prob_abandon == pytest.approx(f.wait_mean)  # P(ab) = theta Wq with theta = 1
    assert f.utilization == pytest.approx(3.0 * (1 - f.prob_abandon) / 4)
    assert 0 < f.wait_mean_served < f.wait_mean
