"""Notebook 04's capacity panel: sliders re-simulate a short horizon and redraw at once.

Why short: a slider is for direction ("what if high-priority traffic doubles?"),
the sweep cells are for the numbers. 20 k jobs x 2 replications keep an update
well under 0.3 s, so the panel feels live. Sliders use `continuous_update=False`
and a short debounce, so one drag costs one simulation, not fifty.

Key figures go into an HTML widget with stable classes and ids
(`archbook-p95`, `archbook-util`, `archbook-cost`, ...), so browser tests and
style sheets can find them; the chart is a PNG in an Image widget, which
survives static HTML export.
"""
from __future__ import annotations

import asyncio
import html
import math
import time
import warnings

import ipywidgets as widgets
import numpy as np

from archbook.charts._base import class_color, new_figure, png_bytes
from archbook.sim.crosscheck import equivalent_load
from archbook.sim.overrides import as_scenario

__all__ = ["capacity_panel", "CapacityPanel", "DEFAULT_AUTOSCALE"]

DEFAULT_AUTOSCALE = {"min": 1, "target_queue_per_worker": 1.0, "check_interval_s": 30.0,
                     "scale_up_delay_s": 60.0, "scale_down_cooldown_s": 300.0}


def _slider(cls, description, value, lo, hi, step, **kw):
    s = cls(value=value, min=lo, max=hi, step=step, description=description, continuous_update=False,
            style={"description_width": "9rem"}, layout=widgets.Layout(width="30rem"), **kw)
    s.add_class(f"archbook-slider-{description.split()[0].lower()}")
    return s


class CapacityPanel(widgets.VBox):
    """Sliders, key figures (HTML) and a chart (PNG); `update_once(**values)` for scripts."""

    def __init__(self, scenario, *, jobs: int = 20_000, replications: int = 2, seed: int = 1,
                 debounce_s: float = 0.15, max_workers: int | None = None):
        self.scenario = as_scenario(scenario)
        self.jobs, self.replications, self.seed, self.debounce_s = int(jobs), int(replications), seed, debounce_s
        eq = equivalent_load(self.scenario)
        self._base_rate = eq["lam"] if eq else None
        self._base_mean = eq["mean_s"] if eq else None
        self._base_cv = math.sqrt(eq["scv"]) if eq else None
        self.controls = self._build_controls(max_workers)
        self.html = widgets.HTML()
        self.html.add_class("archbook-capacity-figures")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="46rem"))
        self.image.add_class("archbook-capacity-chart")
        self.figures: dict = {}
        self.last_update_s = float("nan")
        self._pending = None
        self._last_activity = float("-inf")
        super().__init__([widgets.VBox(list(self.controls.values())), self.html, self.image])
        self.add_class("archbook-capacity-panel")
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        self.update_once()

    # ------------------------------------------------------------------ controls
    def _build_controls(self, max_workers: int | None) -> dict:
        scen = self.scenario
        c = {}
        if self._base_rate:
            r = self._base_rate
            c["arrival_rate"] = _slider(widgets.FloatSlider, "arrival rate /s", r, r * 0.1, r * 3, r / 50,
                                        readout_format=".3f")
        top = max_workers or max(32, 2 * scen.workers.max_workers)
        c["workers"] = _slider(widgets.IntSlider, "workers", scen.workers.max_workers, 1, top, 1)
        for cls in self._mix_classes():
            c[f"share_{cls.name}"] = _slider(widgets.FloatSlider, f"{cls.name} share", cls.share, 0.0, 1.0, 0.01)
        if self._base_mean:
            m = self._base_mean
            c["service_mean"] = _slider(widgets.FloatSlider, "service mean s", m, m * 0.2, m * 3, m / 50,
                                        readout_format=".1f")
            c["service_cv"] = _slider(widgets.FloatSlider, "service CV", round(self._base_cv, 2), 0.0, 3.0, 0.05)
        c["autoscale"] = widgets.Checkbox(value=scen.workers.autoscale is not None, description="autoscale",
                                          indent=False)
        c["autoscale"].add_class("archbook-toggle-autoscale")
        return c

    def _mix_classes(self):
        """Every class but the largest gets a share slider; the largest takes the remainder."""
        if len(self.scenario.classes) < 2:
            return []
        rest = max(self.scenario.classes, key=lambda k: k.share)
        return [k for k in self.scenario.classes if k is not rest]

    # ------------------------------------------------------------------ updates
    def _on_change(self, _change) -> None:
        """Debounce on the leading edge: a change after `debounce_s` of quiet updates at once
        (no added latency); changes within `debounce_s` of the last change or update coalesce
        into one trailing update, the last one winning. No event loop -> update now."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.update_once()
            return
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        quiet = loop.time() - self._last_activity >= self.debounce_s
        self._last_activity = loop.time()
        if quiet:
            self._update_now(loop)
        else:
            self._pending = loop.call_later(self.debounce_s, self._update_now, loop)

    def _update_now(self, loop) -> None:
        self._pending = None
        self.update_once()
        self._last_activity = loop.time()  # changes queued during the update coalesce

    def overrides(self) -> dict:
        """Slider state -> simulate() overrides (short horizon included)."""
        v = {k: w.value for k, w in self.controls.items()}
        scen = self.scenario
        out = {"horizon.jobs": self.jobs, "horizon.replications": self.replications,
               "horizon.warmup_jobs": min(scen.horizon.warmup_jobs, self.jobs // 10), "horizon.duration_s": None}
        if "arrival_rate" in v:
            out["arrivals.rate_multiplier"] = scen.arrivals.rate_multiplier * v["arrival_rate"] / self._base_rate
        out.update(self._worker_overrides(int(v["workers"]), bool(v["autoscale"])))
        out.update(self._share_overrides(v))
        if "service_mean" in v:
            out.update(self._service_overrides(v["service_mean"], v["service_cv"]))
        return out

    def _worker_overrides(self, n: int, auto: bool) -> dict:
        policy = self.scenario.workers.autoscale
        if not auto:
            return {"workers.count": n, "workers.autoscale": None}
        base = policy.model_dump() if policy is not None else dict(DEFAULT_AUTOSCALE, max=n)
        base.update(max=n, min=min(base["min"], n), initial=None)
        return {"workers.count": None, "workers.autoscale": base}

    def _share_overrides(self, v: dict) -> dict:
        mix = self._mix_classes()
        if not mix:
            return {}
        shares = {k.name: float(v[f"share_{k.name}"]) for k in mix}
        total = sum(shares.values())
        if total > 1:  # the sliders over-commit: scale them down, the remainder class gets 0
            shares = {k: s / total for k, s in shares.items()}
        rest = max(self.scenario.classes, key=lambda k: k.share).name
        shares[rest] = max(0.0, 1.0 - sum(shares.values()))
        return {f"classes.{name}.share": s for name, s in shares.items()}

    def _service_overrides(self, mean: float, cv: float) -> dict:
        """Keep the scenario's distributions while only the mean moves (scaled exactly);
        once the CV moves, classes switch to a lognormal (gamma at cv 0 is deterministic)
        stand-in with the same per-class means."""
        scale = mean / self._base_mean
        cv_changed = abs(cv - round(self._base_cv, 2)) > 1e-9
        out = {}
        for cls in self.scenario.classes:
            raw = cls.service.model_dump(exclude_none=True)
            if cv_changed:
                from archbook.model.queue import dist_mean

                m = dist_mean(cls.service) * scale
                out[f"classes.{cls.name}.service"] = ({"dist": "deterministic", "mean_s": m} if cv <= 0
                                                      else {"dist": "lognormal", "mean_s": m, "cv": cv})
            elif scale != 1.0:
                out[f"classes.{cls.name}.service"] = _scaled(raw, scale)
        return out

    def update_once(self, **values) -> dict:
        """Set sliders (without triggering), simulate, redraw; return the key figures."""
        for key, value in values.items():
            if key not in self.controls:
                raise KeyError(f"unknown control {key!r}; controls are {sorted(self.controls)}")
        with self.hold_trait_notifications():
            for key, value in values.items():
                w = self.controls[key]
                w.unobserve(self._on_change, names="value")
                try:
                    w.value = value
                finally:
                    w.observe(self._on_change, names="value")
        t0 = time.perf_counter()
        from archbook.sim import simulate

        with warnings.catch_warnings():  # shown in the panel itself (archbook-warning), not on stderr
            warnings.simplefilter("ignore", RuntimeWarning)
            res = simulate(self.scenario, seed=self.seed, record_jobs=False, record_timeline=False,
                           **self.overrides())
        self.figures = self._figures(res.summary)
        self.html.value = self._html(self.figures, res)
        self.image.value = png_bytes(self._chart(res.summary), dpi=80)
        self.last_update_s = time.perf_counter() - t0
        return self.figures

    # ------------------------------------------------------------------ views
    def _figures(self, summary) -> dict:
        ov = summary.loc["overall"]
        rate = self.scenario.workers.cost_per_hour
        hours = ov.get("sim_hours", float("nan"))
        cost_h = float(ov["cost"] / hours) if hours and hours > 0 else float(ov.get("workers_mean", np.nan) * rate)
        return {
            "p95_wait_s": {str(k): float(v) for k, v in summary["wait_p95_s"].items()},
            "wait_mean_s": {str(k): float(v) for k, v in summary["wait_mean_s"].items()},
            "utilization": float(ov["utilization"]),
            "cost_per_hour": cost_h,
            "rejected_fraction": float(ov["rejected_fraction"]),
            "failed_fraction": float(ov["failed_fraction"]),
        }

    def _html(self, f: dict, res) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(k)}</td><td><span class='archbook-p95' id='archbook-p95-{html.escape(k)}' "
            f"data-cls='{html.escape(k)}'>{v:,.1f}</span> s</td>"
            f"<td><span class='archbook-wait-mean' data-cls='{html.escape(k)}'>{f['wait_mean_s'][k]:,.1f}</span> s</td></tr>"
            for k, v in f["p95_wait_s"].items())
        warn = "".join(f"<div class='archbook-warning'>{html.escape(str(w))}</div>"
                       for w in getattr(res, "warnings", []) or [])
        return (
            "<div class='archbook-capacity'>"
            f"<table><tr><th>class</th><th>p95 wait</th><th>mean wait</th></tr>{rows}</table>"
            f"<p>utilization <span class='archbook-util' id='archbook-util'>{f['utilization']:.1%}</span> · "
            f"cost <span class='archbook-cost' id='archbook-cost'>{f['cost_per_hour']:,.2f}</span> per hour · "
            f"rejected <span class='archbook-rejected' id='archbook-rejected'>{f['rejected_fraction']:.2%}</span> · "
            f"failed <span class='archbook-failed' id='archbook-failed'>{f['failed_fraction']:.2%}</span></p>"
            f"<p class='archbook-note'>{self.jobs:,} jobs x {self.replications} replications per update</p>"
            f"{warn}</div>"
        )

    def _chart(self, summary):
        fig, axes = new_figure(1, 1, width=6.0, height=2.6, layout=None)
        fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.12)
        ax = axes[0][0]
        classes = [c for c in summary.index if c != "overall"] + ["overall"]
        x = np.arange(len(classes))
        ax.bar(x - 0.2, summary.loc[classes, "wait_mean_s"], 0.4, color="#bbbbbb", label="mean")
        ax.bar(x + 0.2, summary.loc[classes, "wait_p95_s"], 0.4,
               color=[class_color(c, i) for i, c in enumerate(classes)], label="p95")
        for i, cls in enumerate(classes):
            target = ((self.scenario.slo or {}).get(cls) or None)
            if target is not None and target.wait_p95_s:
                ax.plot([i + 0.0, i + 0.4], [target.wait_p95_s] * 2, "k--", lw=1)
        ax.set_xticks(x, classes)
        ax.set(ylabel="wait (s)", title="wait per class (dashed: p95 SLO)")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3, axis="y")
        return fig


def _scaled(raw: dict, k: float) -> dict:
    """The same distribution with every time multiplied by k (shape kept)."""
    out = dict(raw)
    for key in ("mean_s", "low_s", "high_s", "overhead_s", "s_per_mpx"):
        if key in out:
            out[key] = out[key] * k
    if out.get("dist") == "empirical":
        raise ValueError("an empirical service time cannot be rescaled by the panel")
    return out


def capacity_panel(scenario, **kwargs) -> CapacityPanel:
    """The panel as a widget (a VBox); kwargs: jobs, replications, seed, debounce_s, max_workers."""
    return CapacityPanel(scenario, **kwargs)
