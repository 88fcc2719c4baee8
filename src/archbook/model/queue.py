"""The job-queue scenario (`data/<system>/queue.yaml`): the single source of its format.

Contract names (issue 6) are fixed; everything else extends them:

    arrivals: {process: poisson, rate_per_s: 0.9}
    classes:
      - {name: normal, share: 1.0, priority: 1, service: {dist: exponential, mean_s: 1.0}}
    discipline: fifo            # or: priority (lower number served first)
    workers: {count: 4}
    queue: {capacity: null}     # waiting jobs allowed, not counting those in service
    patience: null              # or {dist: exponential, mean_s: 2.0}
    horizon: {jobs: 200000, warmup_jobs: 20000, replications: 10, seed: 1}

Pure data: no file is read here (trace and empirical CSVs are read by `archbook.sim`).
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, PrivateAttr, field_validator, model_validator

from archbook.model.base import Strict

__all__ = [
    "DIST_NAMES", "PATIENCE_DIST_NAMES", "Mix", "Exponential", "Deterministic", "Lognormal", "Gamma",
    "Uniform", "Empirical", "Video", "ServiceDist", "PatienceDist", "ProfilePoint", "TraceSpec",
    "Arrivals", "JobClass", "Autoscale", "Workers", "QueueSpec", "RateLimit", "Admission", "Oom",
    "PixelProbability", "Crash", "Failures", "Horizon", "ClassSlo", "Scenario", "dist_mean", "dist_scv",
]

Pos = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Prob = Annotated[float, Field(ge=0, le=1)]


class Mix(Strict):
    """A request setting drawn per job: `values` with optional `weights`, or uniform `low`..`high`."""

    values: list[Pos] | None = None
    weights: list[NonNeg] | None = None
    low: NonNeg | None = None
    high: Pos | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "Mix":
        if (self.values is None) == (self.low is None or self.high is None):
            raise ValueError("give either `values` (+ optional `weights`) or both `low` and `high`")
        if self.values is not None:
            if not self.values:
                raise ValueError("`values` must not be empty")
            if self.weights is not None:
                if len(self.weights) != len(self.values):
                    raise ValueError(f"`weights` has {len(self.weights)} entries, `values` has {len(self.values)}")
                if sum(self.weights) <= 0:
                    raise ValueError("`weights` must not all be zero")
        elif self.high <= self.low:
            raise ValueError(f"`high` ({self.high}) must be greater than `low` ({self.low})")
        return self

    def probs(self) -> list[float]:
        w = self.weights or [1.0] * len(self.values)
        total = sum(w)
        return [x / total for x in w]

    def moment(self, k: int) -> float:
        """E[X^k] (k = 1, 2), used for the exact mean and SCV of the video cost."""
        if self.values is not None:
            return sum(p * v**k for p, v in zip(self.probs(), self.values))
        lo, hi = self.low, self.high
        return (hi ** (k + 1) - lo ** (k + 1)) / ((k + 1) * (hi - lo))


MixOrNumber = Union[Pos, Mix]


def _moment(x: MixOrNumber, k: int) -> float:
    return x.moment(k) if isinstance(x, Mix) else float(x) ** k


class Exponential(Strict):
    dist: Literal["exponential"]
    mean_s: Pos


class Deterministic(Strict):
    dist: Literal["deterministic"]
    mean_s: Pos


class Lognormal(Strict):
    """Lognormal by its mean and coefficient of variation (cv = sd / mean)."""

    dist: Literal["lognormal"]
    mean_s: Pos
    cv: Pos


class Gamma(Strict):
    """Gamma by its mean and coefficient of variation (shape = 1 / cv^2)."""

    dist: Literal["gamma"]
    mean_s: Pos
    cv: Pos


class Uniform(Strict):
    dist: Literal["uniform"]
    low_s: NonNeg
    high_s: Pos

    @model_validator(mode="after")
    def _order(self) -> "Uniform":
        if self.high_s <= self.low_s:
            raise ValueError(f"high_s ({self.high_s}) must be greater than low_s ({self.low_s})")
        return self


class Empirical(Strict):
    """Resample observed service times: `path` (CSV, relative to the scenario file) and `column`."""

    dist: Literal["empirical"]
    path: str = Field(min_length=1)
    column: str = Field(min_length=1)


class Video(Strict):
    """GPU seconds from the API's request settings (POST /api/generate-video).

    service_s = (overhead_s + s_per_mpx * width * height * duration_s * fps / 1e6) * J,
    i.e. a fixed overhead (model load, encode) plus a cost per million generated pixels
    (megapixel-frames), with J a lognormal jitter of mean 1 and cv `jitter_cv`.
    Settings are drawn independently per job; `resolution` ([[w, h], ...] with
    `resolution_weights`) replaces width/height when sizes come in presets.
    """

    dist: Literal["video"]
    overhead_s: NonNeg = 0.0
    s_per_mpx: Pos
    width: MixOrNumber | None = None
    height: MixOrNumber | None = None
    resolution: list[tuple[Pos, Pos]] | None = None
    resolution_weights: list[NonNeg] | None = None
    duration_s: MixOrNumber
    fps: MixOrNumber
    jitter_cv: NonNeg = 0.0

    @model_validator(mode="after")
    def _size(self) -> "Video":
        if self.resolution is None and (self.width is None or self.height is None):
            raise ValueError("give `width` and `height`, or `resolution` as a list of [width, height]")
        if self.resolution is not None and (self.width is not None or self.height is not None):
            raise ValueError("give either `resolution` or `width`/`height`, not both")
        if self.resolution_weights is not None:
            if self.resolution is None or len(self.resolution_weights) != len(self.resolution):
                raise ValueError("`resolution_weights` needs one weight per `resolution` entry")
            if sum(self.resolution_weights) <= 0:
                raise ValueError("`resolution_weights` must not all be zero")
        return self

    def resolution_probs(self) -> list[float]:
        w = self.resolution_weights or [1.0] * len(self.resolution)
        return [x / sum(w) for x in w]

    def pixel_moment(self, k: int) -> float:
        """E[(width * height)^k]."""
        if self.resolution is not None:
            return sum(p * (w * h) ** k for p, (w, h) in zip(self.resolution_probs(), self.resolution))
        return _moment(self.width, k) * _moment(self.height, k)

    def moments(self) -> tuple[float, float]:
        """Exact (E[S], E[S^2]): the settings are independent, so moments multiply."""
        k = self.s_per_mpx / 1e6
        m1 = self.pixel_moment(1) * _moment(self.duration_s, 1) * _moment(self.fps, 1)
        m2 = self.pixel_moment(2) * _moment(self.duration_s, 2) * _moment(self.fps, 2)
        o = self.overhead_s
        e1 = o + k * m1
        e2 = (o * o + 2 * o * k * m1 + k * k * m2) * (1 + self.jitter_cv**2)
        return e1, e2


ServiceDist = Annotated[
    Union[Exponential, Deterministic, Lognormal, Gamma, Uniform, Empirical, Video], Field(discriminator="dist")
]
PatienceDist = Annotated[Union[Exponential, Deterministic, Lognormal, Gamma, Uniform], Field(discriminator="dist")]
DIST_NAMES = ("exponential", "deterministic", "lognormal", "gamma", "uniform", "empirical", "video")
PATIENCE_DIST_NAMES = ("exponential", "deterministic", "lognormal", "gamma", "uniform")


def dist_mean(d) -> float | None:
    """Mean of a distribution spec; None for `empirical` (needs its CSV)."""
    if isinstance(d, (Exponential, Deterministic, Lognormal, Gamma)):
        return d.mean_s
    if isinstance(d, Uniform):
        return (d.low_s + d.high_s) / 2
    if isinstance(d, Video):
        return d.moments()[0]
    return None


def dist_scv(d) -> float | None:
    """Squared coefficient of variation; None for `empirical`."""
    if isinstance(d, Exponential):
        return 1.0
    if isinstance(d, Deterministic):
        return 0.0
    if isinstance(d, (Lognormal, Gamma)):
        return d.cv**2
    if isinstance(d, Uniform):
        return ((d.high_s - d.low_s) ** 2 / 12) / dist_mean(d) ** 2
    if isinstance(d, Video):
        e1, e2 = d.moments()
        return e2 / e1**2 - 1
    return None


class ProfilePoint(Strict):
    """From `start_s` (or `hour`) on, until the next point, arrivals come at `rate_per_s`."""

    start_s: NonNeg | None = None
    hour: NonNeg | None = None
    rate_per_s: NonNeg

    @model_validator(mode="after")
    def _start(self) -> "ProfilePoint":
        if (self.start_s is None) == (self.hour is None):
            raise ValueError("give exactly one of `start_s` or `hour`")
        return self

    @property
    def start(self) -> float:
        return self.start_s if self.start_s is not None else self.hour * 3600.0


class TraceSpec(Strict):
    """A CSV of arrivals. `timestamp` is seconds (number) or ISO-8601; other columns optional:
    `user`, `class` (class name or priority number; a `priority` column is used when there is
    no `class` column), and the video settings
    `width`, `height`, `duration`, `fps` (used by classes whose service is `video`)."""

    path: str = Field(min_length=1)
    timestamp_column: str = "timestamp"
    user_column: str = "user"
    class_column: str = "class"
    time_scale: Pos = 1.0  # divide timestamps by this (2.0 = the same trace twice as fast)


class Arrivals(Strict):
    process: Literal["poisson", "profile", "trace"]
    rate_per_s: Pos | None = None
    profile: list[ProfilePoint] | None = None
    period_s: Pos = 86400.0
    trace: TraceSpec | None = None
    rate_multiplier: Pos = 1.0  # scales every process (for a trace: compresses time)

    @field_validator("trace", mode="before")
    @classmethod
    def _trace_path(cls, v):
        return {"path": v} if isinstance(v, str) else v

    @model_validator(mode="after")
    def _needs(self) -> "Arrivals":
        need = {"poisson": "rate_per_s", "profile": "profile", "trace": "trace"}[self.process]
        if getattr(self, need) is None:
            raise ValueError(f"process `{self.process}` needs `{need}`")
        if self.profile is not None:
            starts = [p.start for p in self.profile]
            if not self.profile:
                raise ValueError("`profile` needs at least one point")
            if any(b <= a for a, b in zip(starts, starts[1:])):
                raise ValueError("`profile` points must be in increasing order of start time")
            if starts[-1] >= self.period_s:
                raise ValueError(f"profile point at {starts[-1]} s is not inside the period ({self.period_s} s)")
            if not any(p.rate_per_s > 0 for p in self.profile):
                raise ValueError("`profile` needs at least one positive rate")
        return self

    def mean_rate(self) -> float | None:
        """Long-run arrival rate for poisson/profile (None for a trace, known only after reading it)."""
        if self.process == "poisson":
            return self.rate_per_s * self.rate_multiplier
        if self.process == "profile":
            starts = [p.start for p in self.profile] + [self.period_s + self.profile[0].start]
            rates = [p.rate_per_s for p in self.profile]
            area = sum(r * (b - a) for r, a, b in zip(rates, starts, starts[1:]))
            return area / self.period_s * self.rate_multiplier
        return None


class JobClass(Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    share: Prob
    priority: int = 1
    service: ServiceDist


class Autoscale(Strict):
    """Queue-depth autoscaling, checked every `check_interval_s`:
    desired = clamp(ceil((busy + waiting) / (1 + target_queue_per_worker)), min, max).
    Scale-up starts workers that serve after `scale_up_delay_s` (cold start); scale-down
    removes idle workers only, at most once per `scale_down_cooldown_s` since the last change."""

    min: int = Field(ge=0)
    max: int = Field(ge=1)
    initial: int | None = Field(default=None, ge=0)
    target_queue_per_worker: NonNeg = 1.0
    check_interval_s: Pos = 30.0
    scale_up_delay_s: NonNeg = 0.0
    scale_down_cooldown_s: NonNeg = 300.0

    @model_validator(mode="after")
    def _bounds(self) -> "Autoscale":
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) must be >= min ({self.min})")
        if self.initial is not None and not self.min <= self.initial <= self.max:
            raise ValueError(f"initial ({self.initial}) must be between min and max")
        return self


class Workers(Strict):
    count: int | None = Field(default=None, ge=1)
    autoscale: Autoscale | None = None
    cost_per_hour: NonNeg = 0.0

    @model_validator(mode="after")
    def _one(self) -> "Workers":
        if (self.count is None) == (self.autoscale is None):
            raise ValueError(
                "give exactly one of `count` (fixed workers) or `autoscale`"
                + (" -- to use a fixed count, also set workers.autoscale=null" if self.count else "")
            )
        return self

    @property
    def max_workers(self) -> int:
        return self.count if self.count is not None else self.autoscale.max


class QueueSpec(Strict):
    capacity: int | None = Field(default=None, ge=0)  # waiting jobs, not counting those in service


class RateLimit(Strict):
    """Per-user limit: at most `requests` admitted per `window_s` (sliding log or fixed window);
    the excess is rejected as 429. Users are drawn from a population of `users`, uniformly
    or Zipf-skewed (`user_skew` > 0 makes a few users heavy); a trace's user column wins."""

    requests: int = Field(ge=1)
    window_s: Pos
    users: int = Field(ge=1)
    kind: Literal["sliding", "fixed"] = "sliding"
    user_skew: NonNeg = 0.0


class Admission(Strict):
    rate_limit: RateLimit | None = None


class PixelProbability(Strict):
    up_to_pixels: Pos  # width * height per frame
    probability: Prob


class Oom(Strict):
    """GPU out-of-memory: an attempt fails with `probability` (or by frame size), after using
    `detect_fraction` of its service time; the job is retried on the same worker at lower quality
    (service x `retry_service_factor`, OOM chance x `retry_probability_factor` per retry),
    up to `max_retries`, then fails."""

    probability: Prob | None = None
    probability_by_pixels: list[PixelProbability] | None = None
    retry_service_factor: Annotated[float, Field(gt=0, le=1)] = 0.6
    retry_probability_factor: Prob = 0.5
    max_retries: int = Field(default=2, ge=0)
    detect_fraction: Annotated[float, Field(gt=0, le=1)] = 0.5

    @model_validator(mode="after")
    def _one(self) -> "Oom":
        if (self.probability is None) == (self.probability_by_pixels is None):
            raise ValueError("give exactly one of `probability` or `probability_by_pixels`")
        if self.probability_by_pixels is not None:
            ups = [p.up_to_pixels for p in self.probability_by_pixels]
            if not ups or any(b <= a for a, b in zip(ups, ups[1:])):
                raise ValueError("`probability_by_pixels` needs entries in increasing `up_to_pixels`")
        return self


class Crash(Strict):
    """A worker crashes after an exponential time with mean `mtbf_s` of being up; the job in
    flight goes back to the head of its class; the worker returns after `restart_s`."""

    mtbf_s: Pos
    restart_s: NonNeg


class Failures(Strict):
    oom: Oom | None = None
    crash: Crash | None = None


class Horizon(Strict):
    jobs: int | None = Field(default=None, ge=1)
    duration_s: Pos | None = None
    warmup_jobs: int = Field(default=0, ge=0)
    warmup_s: NonNeg = 0.0
    replications: int = Field(default=10, ge=1)
    seed: int = Field(default=1, ge=0)

    @model_validator(mode="after")
    def _warm(self) -> "Horizon":
        if self.jobs is not None and self.warmup_jobs >= self.jobs:
            raise ValueError(f"warmup_jobs ({self.warmup_jobs}) must be less than jobs ({self.jobs})")
        if self.duration_s is not None and self.warmup_s >= self.duration_s:
            raise ValueError(f"warmup_s ({self.warmup_s}) must be less than duration_s ({self.duration_s})")
        return self


class ClassSlo(Strict):
    """Service-level objectives for one class (or `overall`), each an upper bound."""

    wait_mean_s: Pos | None = None
    wait_p50_s: Pos | None = None
    wait_p95_s: Pos | None = None
    wait_p99_s: Pos | None = None
    response_mean_s: Pos | None = None
    rejected_fraction: Prob | None = None
    abandoned_fraction: Prob | None = None
    failed_fraction: Prob | None = None


SHARE_TOLERANCE = 1e-6


class Scenario(Strict):
    name: str | None = None
    description: str | None = None
    arrivals: Arrivals
    classes: list[JobClass] = Field(min_length=1)
    discipline: Literal["fifo", "priority"] = "fifo"
    workers: Workers
    queue: QueueSpec = Field(default_factory=QueueSpec)
    patience: PatienceDist | None = None
    admission: Admission = Field(default_factory=Admission)
    failures: Failures = Field(default_factory=Failures)
    horizon: Horizon = Field(default_factory=Horizon)
    slo: dict[str, ClassSlo] | None = None
    # where it came from (file path) and the raw mapping, so overrides re-apply to the user's data
    _source: str | None = PrivateAttr(default=None)
    _raw: dict | None = PrivateAttr(default=None)
    _warnings: list = PrivateAttr(default_factory=list)  # `Problem`s found when loaded (e.g. a slow horizon)

    @model_validator(mode="after")
    def _cross(self) -> "Scenario":
        names = [c.name for c in self.classes]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"class names must be unique; repeated: {', '.join(dup)}")
        total = sum(c.share for c in self.classes)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise ValueError(f"class shares must sum to 1, they sum to {total:g} "
                             f"({' + '.join(f'{c.name}={c.share:g}' for c in self.classes)})")
        if self.arrivals.process != "trace" and self.horizon.jobs is None and self.horizon.duration_s is None:
            raise ValueError("horizon needs `jobs` or `duration_s` (only a trace may omit both)")
        oom = self.failures.oom
        if oom is not None and oom.probability_by_pixels is not None:
            bad = [c.name for c in self.classes if not isinstance(c.service, Video)]
            if bad:
                raise ValueError(f"failures.oom.probability_by_pixels needs `video` service; classes "
                                 f"{', '.join(bad)} have none (use `probability` instead)")
        for key in self.slo or {}:
            if key != "overall" and key not in names:
                raise ValueError(f"slo names unknown class `{key}`; classes are: {', '.join(names)} (or `overall`)")
        return self

    def classes_by_priority(self) -> list[JobClass]:
        """Classes in service order (lower priority number first; ties keep file order)."""
        if self.discipline == "fifo":
            return list(self.classes)
        return sorted(self.classes, key=lambda c: c.priority)

    def offered_load(self) -> float | None:
        """rho = lam E[S] / max workers (service incl. OOM retries ignored); None if unknown."""
        lam = self.arrivals.mean_rate()
        means = [dist_mean(c.service) for c in self.classes]
        if lam is None or any(m is None for m in means):
            return None
        es = sum(c.share * m for c, m in zip(self.classes, means))
        return lam * es / self.workers.max_workers

    def is_unbounded(self) -> bool:
        """True when nothing limits the queue: no capacity, no patience, no rate limit."""
        return self.queue.capacity is None and self.patience is None and self.admission.rate_limit is None
