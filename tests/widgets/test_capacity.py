"""The capacity panel, driven programmatically: move a slider, the figures follow."""
from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from archbook.widgets.capacity import CapacityPanel, capacity_panel


def scenario():
    return {
        "arrivals": {"process": "poisson", "rate_per_s": 3.0},
        "classes": [
            {"name": "high", "share": 0.2, "priority": 0, "service": {"dist": "exponential", "mean_s": 1.0}},
            {"name": "normal", "share": 0.6, "priority": 1, "service": {"dist": "exponential", "mean_s": 1.0}},
            {"name": "low", "share": 0.2, "priority": 2, "service": {"dist": "exponential", "mean_s": 1.0}},
        ],
        "discipline": "priority",
        "workers": {"count": 4, "cost_per_hour": 3.0},
        "slo": {"high": {"wait_p95_s": 2}},
        "horizon": {"jobs": 20000, "warmup_jobs": 1000, "replications": 5, "seed": 1},
    }


@pytest.fixture(scope="module")
def panel():
    return capacity_panel(scenario(), jobs=3000, replications=2)


def _span(html, cls, key=None):
    attr = f" id='archbook-{cls}-{key}'" if key else ""
    m = re.search(rf"class='archbook-{cls}'{attr}[^>]*>([^<]+)<", html)
    return m.group(1)


def test_panel_is_a_widget_with_named_controls(panel):
    assert isinstance(panel, widgets.Widget) and isinstance(panel, CapacityPanel)
    assert panel.controls["workers"].description == "workers"
    assert set(panel.controls) == {"arrival_rate", "workers", "share_high", "share_low", "service_mean",
                                   "service_cv", "autoscale"}
    assert all(not w.continuous_update for k, w in panel.controls.items() if k != "autoscale")
    assert panel.image.value[:4] == b"\x89PNG"
    for cls in ("overall", "high", "normal", "low"):
        assert f"id='archbook-p95-{cls}'" in panel.html.value


def test_moving_the_workers_slider_updates_the_figures(panel):
    panel.update_once(workers=4)
    before = dict(panel.figures["p95_wait_s"]), panel.figures["cost_per_hour"], panel.html.value
    panel.controls["workers"].value = 8  # no event loop in tests: the change applies at once
    after = panel.figures
    assert after["p95_wait_s"]["low"] < before[0]["low"]
    assert after["cost_per_hour"] == pytest.approx(8 * 3.0)
    assert before[1] == pytest.approx(4 * 3.0)
    assert _span(panel.html.value, "cost") == "24.00"
    assert panel.html.value != before[2]


def test_rate_mix_service_and_autoscale_controls(panel):
    base = panel.update_once(workers=5, arrival_rate=3.0)["utilization"]
    busier = panel.update_once(arrival_rate=4.0)["utilization"]
    assert busier == pytest.approx(base * 4 / 3, rel=0.1)
    ov = panel.overrides()
    assert ov["workers.count"] == 5 and ov["horizon.jobs"] == 3000
    panel.update_once(share_high=0.5, share_low=0.3)
    shares = {k: v for k, v in panel.overrides().items() if k.startswith("classes.")}
    assert shares == {"classes.high.share": 0.5, "classes.low.share": 0.3,
                      "classes.normal.share": pytest.approx(0.2)}
    panel.update_once(service_cv=0.5)
    assert panel.overrides()["classes.high.service"] == {"dist": "lognormal", "mean_s": 1.0, "cv": 0.5}
    panel.update_once(autoscale=True)
    ov = panel.overrides()
    assert ov["workers.count"] is None and ov["workers.autoscale"]["max"] == 5
    assert panel.figures["cost_per_hour"] <= 5 * 3.0 + 1e-9
    panel.update_once(autoscale=False, service_cv=1.0, share_high=0.2, share_low=0.2)


def test_unknown_control_is_an_error(panel):
    with pytest.raises(KeyError, match="unknown control 'gpus'"):
        panel.update_once(gpus=3)


def test_slider_changes_are_debounced_inside_an_event_loop():
    import asyncio

    panel = capacity_panel(scenario(), jobs=2000, replications=2, debounce_s=0.05)
    calls = []
    panel.update_once = lambda **kw: calls.append(panel.controls["workers"].value)

    async def drag():
        for n in (5, 6, 7):
            panel.controls["workers"].value = n
        await asyncio.sleep(0.2)

    asyncio.run(drag())
    # leading edge: the first change updates at once; the burst after it coalesces into one
    # trailing update with the last value
    assert calls == [5, 7]


def test_unstable_settings_warn_inside_the_panel(recwarn):
    panel = capacity_panel(scenario(), jobs=2000, replications=2)
    panel.update_once(workers=2)  # rho = 1.5
    assert "archbook-warning" in panel.html.value and "UNSTABLE" in panel.html.value
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
