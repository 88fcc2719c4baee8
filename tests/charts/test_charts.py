"""Chart functions: DataFrame in, Figure out, with the data actually drawn."""
from __future__ import annotations

import pathlib
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from archbook import charts

CLASSES = ["overall", "high", "normal", "low"]


def _sweep_table(counts=range(2, 9)):
    rows = []
    for w in counts:
        for i, cls in enumerate(CLASSES):
            wait = 100.0 / w**2 * (1 + i)
            rows.append({"workers": w, "cls": cls, "wait_mean_s": wait, "wait_mean_s_ci95": wait * 0.1,
                         "wait_p95_s": 3 * wait, "wait_p95_s_ci95": 0.3 * wait, "utilization": 1.6 / w,
                         "utilization_ci95": 0.01, "cost_per_hour": 2.5 * w})
    return pd.DataFrame(rows)


def _line(ax, label):
    return next(line for line in ax.get_lines() if line.get_label() == label)


def test_wait_vs_workers_draws_classes_erlang_and_slo():
    t = _sweep_table()
    erl = pd.DataFrame({"workers": [2, 3, 4], "wait_mean_s": [9.0, 2.0, 0.5], "wait_p95_s": [30.0, 8.0, 1.0]})
    fig = charts.wait_vs_workers(t, analytic=erl, slo={"high": {"wait_p95_s": 30}}, recommended=5)
    assert isinstance(fig, Figure)
    ax_mean, ax_p95 = fig.axes
    np.testing.assert_allclose(_line(ax_mean, "high").get_ydata(), t[t.cls == "high"]["wait_mean_s"])
    np.testing.assert_allclose(_line(ax_p95, "Erlang C (M/M/c)").get_ydata(), [30.0, 8.0, 1.0])
    assert _line(ax_p95, "SLO high").get_ydata()[0] == 30
    assert len(ax_mean.collections) == len(CLASSES)  # one CI band per class


def test_wait_vs_workers_rejects_multi_point_tables():
    t = pd.concat([_sweep_table().assign(arrival_multiplier=m) for m in (1.0, 2.0)])
    with pytest.raises(ValueError, match="filter the sweep"):
        charts.wait_vs_workers(t)
    with pytest.raises(ValueError, match="wait_p95_s"):
        charts.wait_vs_workers(_sweep_table().drop(columns=["wait_p95_s"]))


def test_utilization_cost_and_cost_latency():
    t = _sweep_table()
    fig = charts.utilization_cost(t, recommended=4)
    np.testing.assert_allclose(fig.axes[1].get_lines()[0].get_ydata(), 2.5 * np.arange(2, 9))
    fig = charts.cost_latency(t, recommended=4, slo={"high": {"wait_p95_s": 30}})
    star = _line(fig.axes[0], "recommended (4 workers)")
    assert star.get_xdata()[0] == 10.0
    assert star.get_ydata()[0] == pytest.approx(3 * 100 / 16 * 2)


def test_day_timeline_picks_one_replication():
    tl = pd.DataFrame({"replication": [0, 0, 0, 1], "t_s": [0, 3600, 7200, 0], "queue_length": [0, 5, 1, 99],
                       "busy": [1, 2, 2, 9], "workers": [2, 3, 3, 9]})
    prof = pd.DataFrame({"t_s": [0, 3600], "rate_per_s": [0.1, 0.3]})
    fig = charts.day_timeline(tl, profile=prof)
    q = fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(q.get_xdata(), [0, 1, 2])
    assert 99 not in q.get_ydata()
    with pytest.raises(ValueError, match="replication 5"):
        charts.day_timeline(tl, replication=5)


def test_failure_effect_and_polling_and_estimators():
    rows = []
    for case, f in [("none", 0.0), ("oom", 0.02), ("crash", 0.01)]:
        for cls in ["overall", "high", "normal"]:
            rows.append({"case": case, "cls": cls, "wait_p95_s": 10 + 100 * f, "failed_fraction": f,
                         "utilization": 0.7 + f})
    fig = charts.failure_effect(pd.DataFrame(rows))
    assert [p.get_height() for p in fig.axes[0].patches][:3] == pytest.approx([10, 12, 11])

    poll = pd.DataFrame({"interval_s": [1.0, 5.0], "jobs_per_user": [2, 2], "get_rate_per_s": [10.0, 2.0],
                         "ws_messages_per_s": [0.6, 0.6], "per_user_get_per_min": [120.0, 24.0],
                         "limit_per_min": [60.0, 60.0], "breaks_limit": [True, False]})
    fig = charts.polling_chart(poll)
    red = [ln for ln in fig.axes[1].get_lines() if ln.get_marker() == "o"][0]
    assert list(red.get_xdata()) == [1.0]

    err = pd.DataFrame({"estimator": ["naive"] * 3 + ["priority"] * 3, "cls": "normal",
                        "actual_s": [2.0, 4.0, 0.0] * 2, "estimate_s": [3.0, 1.0, 0.0, 2.0, 4.5, 0.0]})
    scores = pd.DataFrame({"estimator": ["naive", "priority"], "cls": "overall", "mape_waited": [0.5, 0.1],
                           "p90_abs_error_waited_s": [3.0, 0.5]}).set_index(["estimator", "cls"])
    fig = charts.estimator_accuracy(err, scores, recommended="priority")
    naive = _line(fig.axes[0], "naive")
    np.testing.assert_allclose(naive.get_xdata(), [1.0, 3.0])  # sorted |error| of jobs that waited >= 1 s
    assert [p.get_height() for p in fig.axes[1].patches] == pytest.approx([50.0, 10.0])


def test_save_png_is_atomic(tmp_path):
    fig = charts.utilization_cost(_sweep_table())
    out = charts.save_png(fig, tmp_path / "charts" / "u.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in out.parent.iterdir()] == ["u.png"]


def test_library_code_never_touches_pyplot():
    src = pathlib.Path(charts.__file__).parent
    pattern = re.compile(r"matplotlib\.pyplot|from matplotlib import .*pyplot|import pylab")
    offenders = [p.name for p in src.glob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_day_timeline_window_clips_data_and_profile():
    tl = pd.DataFrame({"t_s": [0, 20 * 3600, 30 * 3600, 50 * 3600], "queue_length": [1, 2, 3, 4],
                       "busy": 1, "workers": 2})
    prof = pd.DataFrame({"t_s": [0, 12 * 3600, 86400, 36 * 3600], "rate_per_s": [0.1, 0.2, 0.1, 0.2]})
    fig = charts.day_timeline(tl, profile=prof, hours=(24, 48))
    assert list(fig.axes[0].get_lines()[0].get_ydata()) == [3]
    twin = fig.axes[-1].get_lines()[0]
    assert list(twin.get_xdata()) == [24, 36, 48] and list(twin.get_ydata()) == [0.1, 0.2, 0.2]
