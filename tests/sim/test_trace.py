"""Synthetic trace generator: deterministic, shaped like the profile, replayable."""
from __future__ import annotations

import pandas as pd

from archbook.sim import simulate
from archbook.sim.trace import generate_trace, write_trace


def test_trace_is_deterministic_and_follows_profile(tmp_path):
    a = generate_trace("data/video-editor/queue-diurnal.yaml", days=2, seed=5)
    b = generate_trace("data/video-editor/queue-diurnal.yaml", days=2, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == ["timestamp", "user", "class", "width", "height", "duration", "fps"]
    hours = pd.to_datetime(a.timestamp).dt.hour
    assert (hours.between(14, 17)).sum() > 4 * (hours.between(0, 5)).sum() * (4 / 6) / 1.5
    assert set(a["class"]) == {"high", "normal", "low"}
    assert a.width.between(512, 1920).all() and a.fps.between(24, 60).all()
    out = write_trace(a, tmp_path / "t" / "w.csv")
    assert pd.read_csv(out).shape == a.shape


def test_shipped_week_trace_replays_with_429s():
    res = simulate("data/video-editor/queue-trace.yaml", record_timeline=False, **{"horizon.replications": 2})
    j = res.jobs
    assert 20_000 < len(j) / 2 < 40_000
    assert j.arrival_s.max() < 7 * 86400
    assert (j.status == "rejected_429").sum() > 0  # the scripted burst clients hit 10/min
