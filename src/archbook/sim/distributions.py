"""Vectorised samplers for the scenario's distributions.

Variates are drawn up front, one numpy call per class and replication, so the compiled
event loop only reads arrays (a numpy draw costs a few ns per variate; a Python-level
draw per job would cost ~1 us).
"""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from archbook.errors import Problem, ValidationFailed
from archbook.load.confine import confined_path
from archbook.load.csvfile import read_csv
from archbook.model.queue import (
    Deterministic, Empirical, Exponential, Gamma, Lognormal, Mix, Uniform, Video,
)

__all__ = ["sample", "sample_mix", "video_settings", "video_cost", "empirical_values", "empirical_moments"]


def sample(dist, n: int, rng: np.random.Generator, base_dir: Path | None = None,
           settings: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """`n` variates of `dist`. For `video`, `settings` (width, height, duration, fps arrays, e.g.
    from a trace) are used where given and drawn from the mixes otherwise."""
    if isinstance(dist, Exponential):
        return rng.exponential(dist.mean_s, n)
    if isinstance(dist, Deterministic):
        return np.full(n, float(dist.mean_s))
    if isinstance(dist, Lognormal):
        # mean m, cv v: sigma^2 = ln(1 + v^2), mu = ln m - sigma^2 / 2
        s2 = np.log1p(dist.cv**2)
        return rng.lognormal(np.log(dist.mean_s) - s2 / 2, np.sqrt(s2), n)
    if isinstance(dist, Gamma):
        shape = 1.0 / dist.cv**2
        return rng.gamma(shape, dist.mean_s / shape, n)
    if isinstance(dist, Uniform):
        return rng.uniform(dist.low_s, dist.high_s, n)
    if isinstance(dist, Empirical):
        values = empirical_values(dist, base_dir)
        return values[rng.integers(0, len(values), n)]
    if isinstance(dist, Video):
        s = video_settings(dist, n, rng, settings)
        return video_cost(dist, s, rng)
    raise TypeError(f"unknown distribution {dist!r}")


def sample_mix(mix, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw a request setting: a fixed number, a weighted choice of values, or uniform low..high."""
    if not isinstance(mix, Mix):
        return np.full(n, float(mix))
    if mix.values is not None:
        values = np.asarray(mix.values, dtype=float)
        return values[rng.choice(len(values), size=n, p=mix.probs())]
    return rng.uniform(mix.low, mix.high, n)


def video_settings(dist: Video, n: int, rng: np.random.Generator,
                   given: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Per-job width, height, duration (s) and fps; `given` columns (NaN = missing) win."""
    if dist.resolution is not None:
        res = np.asarray(dist.resolution, dtype=float)
        pick = rng.choice(len(res), size=n, p=dist.resolution_probs())
        out = {"width": res[pick, 0], "height": res[pick, 1]}
    else:
        out = {"width": sample_mix(dist.width, n, rng), "height": sample_mix(dist.height, n, rng)}
    out["duration"] = sample_mix(dist.duration_s, n, rng)
    out["fps"] = sample_mix(dist.fps, n, rng)
    for key, col in (given or {}).items():
        if key in out and col is not None:
            col = np.asarray(col, dtype=float)
            out[key] = np.where(np.isnan(col), out[key], col)
    return out


def video_cost(dist: Video, s: dict[str, np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """GPU seconds = (overhead_s + s_per_mpx * w * h * duration * fps / 1e6) * lognormal jitter."""
    cost = dist.overhead_s + dist.s_per_mpx * s["width"] * s["height"] * s["duration"] * s["fps"] / 1e6
    if dist.jitter_cv > 0:
        s2 = np.log1p(dist.jitter_cv**2)
        cost = cost * rng.lognormal(-s2 / 2, np.sqrt(s2), len(cost))
    return cost


@functools.lru_cache(maxsize=32)
def _read_column(path: str, column: str, mtime: float) -> np.ndarray:
    frame = read_csv(Path(path))
    if column not in frame.columns:
        raise ValidationFailed([Problem(path, None, column, f"no column `{column}` in the CSV",
                                        f"columns are: {', '.join(map(str, frame.columns))}")])
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any() or len(values) == 0:
        row = int(np.argmax(bad)) + 2 if bad.any() else 1
        raise ValidationFailed([Problem(path, row, column, "service times must be non-negative numbers"
                                        + ("" if len(values) else " (the column is empty)"),
                                        "clean the CSV: one number of seconds per row")])
    return values


def empirical_values(dist: Empirical, base_dir: Path | None) -> np.ndarray:
    """The observed service times (cached per file and modification time)."""
    root = base_dir or Path.cwd()
    path = confined_path(root, dist.path, file=str(root / dist.path), line=None, field="service.path")
    if not path.is_file():
        raise ValidationFailed([Problem(str(path), None, "service.path", "empirical CSV not found",
                                        "the path is relative to the scenario file")])
    return _read_column(str(path), dist.column, path.stat().st_mtime)


def empirical_moments(dist: Empirical, base_dir: Path | None) -> tuple[float, float]:
    v = empirical_values(dist, base_dir)
    return float(v.mean()), float(np.mean(v * v))
