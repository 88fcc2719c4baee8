"""Polling versus WebSocket request load, and the 60-per-minute GET limit."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from archbook.errors import ArchbookError
from archbook.sim.polling import polling_load


def _jobs(waits, services, statuses=None, span=100.0):
    n = len(waits)
    return pd.DataFrame({
        "replication": 0, "arrival_s": np.linspace(0, span, n), "wait_s": waits,
        "service_s": services, "status": statuses or ["done"] * n,
    })


def test_polls_per_job_and_rates_by_hand():
    # response times 10 s and 25 s; 2 accepted jobs + 1 rejected over 100 s
    jobs = _jobs([4.0, 5.0, np.nan], [6.0, 20.0, np.nan], ["done", "done", "rejected_429"])
    df = polling_load(jobs, [5, 30], progress_updates=3).set_index("interval_s")
    assert df.loc[5, "polls_per_job_mean"] == pytest.approx((2 + 5) / 2)
    assert df.loc[30, "polls_per_job_mean"] == 1.0  # at least one poll fetches the result
    assert df.loc[5, "get_rate_per_s"] == pytest.approx(2 / 100 * 3.5)
    assert df.loc[5, "ws_messages_per_s"] == pytest.approx(2 / 100 * 5)  # status + 3 progress + complete
    assert df.loc[5, "ws_connections_open_mean"] == pytest.approx(2 / 100 * 17.5)  # Little: lam * T


def test_poll_only_while_waiting():
    jobs = _jobs([4.0, 0.0], [6.0, 20.0])
    df = polling_load(jobs, [2], poll_while="wait")
    assert df["polls_per_job_mean"].iloc[0] == pytest.approx((2 + 1) / 2)


def test_limit_flags_per_user_concurrency():
    jobs = _jobs([1.0] * 10, [1.0] * 10)
    df = polling_load(jobs, [1, 2, 5], jobs_per_user=[1, 3])
    assert len(df) == 6
    flagged = df[df["breaks_limit"]][["interval_s", "jobs_per_user"]].apply(tuple, axis=1).tolist()
    # n * 60 / k > 60  <=>  n > k
    assert flagged == [(1.0, 3), (2.0, 3)]
    assert df.set_index(["interval_s", "jobs_per_user"]).loc[(5.0, 1), "max_jobs_within_limit"] == 5


def test_explicit_arrival_rate_scales_by_accepted_share():
    jobs = _jobs([0.0, 0.0, np.nan, np.nan], [1.0, 1.0, np.nan, np.nan],
                 ["done", "done", "rejected_503", "rejected_503"])
    df = polling_load(jobs, [1], arrival_rate_per_s=2.0, progress_updates=0)
    assert df["ws_messages_per_s"].iloc[0] == pytest.approx(1.0 * 2)


def test_bad_input():
    jobs = _jobs([1.0], [1.0])
    with pytest.raises(ArchbookError, match="positive"):
        polling_load(jobs, [0, 5])
    with pytest.raises(ArchbookError, match="jobs_per_user"):
        polling_load(jobs, [5], jobs_per_user=0)
    with pytest.raises(ArchbookError, match="no accepted jobs"):
        polling_load(_jobs([np.nan], [np.nan], ["rejected_429"]), [5])
    with pytest.raises(ArchbookError, match="service_s"):
        polling_load(jobs.drop(columns=["service_s"]), [5])
