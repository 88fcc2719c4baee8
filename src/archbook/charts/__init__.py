"""Pure chart functions: a DataFrame in, a matplotlib Figure out. They never simulate."""
from __future__ import annotations

from archbook.charts._base import png_bytes, save_png
from archbook.charts.accuracy import estimator_accuracy
from archbook.charts.capacity import cost_latency, utilization_cost, wait_vs_workers
from archbook.charts.failures import failure_effect
from archbook.charts.polling import polling_chart
from archbook.charts.timeline import day_timeline

__all__ = [
    "wait_vs_workers", "utilization_cost", "cost_latency", "day_timeline", "failure_effect",
    "estimator_accuracy", "polling_chart", "png_bytes", "save_png",
]
