"""Fuzz the loaders with Hypothesis: whatever the bytes of architecture.yaml, patterns.yaml,
versioning.yaml, openapi.yaml, asyncapi.yaml, queue.yaml or a trace CSV, the result is a model
or a `ValidationFailed` whose problems name a file -- never another exception.

A bounded number of examples runs by default (`make test`). The `slow` profile (`-m slow`, or
`ARCHBOOK_FUZZ=slow` for every fuzz test) is genuinely longer: 40x the examples, each with more
edits, longer random documents and deeper nested data. `ARCHBOOK_FUZZ_EXAMPLES=N` sets its count.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archbook.errors import Problem, ValidationFailed
from archbook.load import validate_system
from archbook.sim.arrivals import read_trace
from archbook.load.scenario import load_scenario

BASE = Path(__file__).resolve().parents[1] / "data" / "broken" / "_base"
FILES = ["architecture.yaml", "patterns.yaml", "versioning.yaml", "openapi.yaml", "asyncapi.yaml", "queue.yaml"]
YAML_BITS = ["&a ", "*a", "<<: *a", "!!str ", "!!python/object:os.system", "!Ref ", "[", "]", "{", "}", "- ", ": ",
             "? ", "---\n", "...", "'", '"', "\t", "#", "|", ">", "%YAML 1.1\n", "\x00", "\ufeff", "18:00", "on", "~",
             "1e999", ".nan", "$ref: '#/x'", "$ref: '../../etc/passwd'", "\n  ", "\n"]

@dataclass(frozen=True)
class Depth:
    """How hard one profile fuzzes: examples per test, edits per document, sizes of random inputs."""
    examples: int
    edits: int
    text_size: int
    leaves: int


FAST_DEPTH = Depth(examples=25, edits=4, text_size=200, leaves=20)
SLOW_DEPTH = Depth(examples=int(os.environ.get("ARCHBOOK_FUZZ_EXAMPLES", "1000")), edits=12, text_size=2000, leaves=120)
SLOW_BY_ENV = os.environ.get("ARCHBOOK_FUZZ", "").lower() == "slow"
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))


def nested(depth: Depth):
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                        max_leaves=depth.leaves)


@st.composite
def mutated(draw, name: str, depth: Depth = FAST_DEPTH):
    """The base file with a few random edits: a cut, a YAML fragment or random text spliced in."""
    text = (BASE / name).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, depth.edits))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=12)))
        cut = draw(st.integers(0, 30))
        text = text[:at] + piece + text[at + cut:]
    return text


def documents(name: str, depth: Depth = FAST_DEPTH):
    return st.one_of(mutated(name, depth), st.text(max_size=depth.text_size),
                     nested(depth).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
                     st.binary(max_size=depth.text_size))


def _located(problems: list[Problem]) -> None:
    for p in problems:
        assert isinstance(p, Problem) and p.file and isinstance(p.message, str) and p.message
        assert p.line is None or p.line >= 1


def _check_system(name: str, content) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "sys"
        shutil.copytree(BASE, root)
        target = root / name
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        if name == "queue.yaml":
            try:
                load_scenario(target)
            except ValidationFailed as exc:
                _located(exc.problems)
            return
        try:
            _model, problems = validate_system(root)
        except ValidationFailed as exc:
            problems = exc.problems
        _located(problems)


def _check_trace(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "queue.yaml").write_text("arrivals: {process: trace, trace: t.csv}\nclasses: [{name: n, share: 1, "
                                         "service: {dist: exponential, mean_s: 1}}]\nworkers: {count: 1}\n"
                                         "horizon: {replications: 1}\n")
        (root / "t.csv").write_bytes(content)
        try:
            read_trace(load_scenario(root / "queue.yaml").arrivals, root)
        except ValidationFailed as exc:
            _located(exc.problems)


def csv_text(depth: Depth = FAST_DEPTH):
    rows = max(6, depth.edits * 5)
    cells = st.one_of(st.sampled_from(["0", "1.5", "-3", "x", "", "2025-11-10T00:00:00Z", "nan", "1e400", '"a,b"',
                                       "\xe9"]), st.text(max_size=6))
    return st.one_of(
        st.binary(max_size=depth.text_size // 2),
        st.lists(st.lists(cells, max_size=5), max_size=rows)
        .map(lambda r: ("timestamp,user,class,width\n" + "\n".join(",".join(c) for c in r)).encode("utf-8", "replace")),
    )


def _settings(depth: Depth):
    return settings(max_examples=depth.examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


RUN_DEPTH = SLOW_DEPTH if SLOW_BY_ENV else FAST_DEPTH
FAST, SLOW = _settings(RUN_DEPTH), _settings(SLOW_DEPTH)


def test_the_slow_profile_is_genuinely_longer():
    assert SLOW_DEPTH.examples >= 40 * FAST_DEPTH.examples or "ARCHBOOK_FUZZ_EXAMPLES" in os.environ
    assert SLOW_DEPTH.edits > FAST_DEPTH.edits and SLOW_DEPTH.text_size > FAST_DEPTH.text_size
    assert SLOW_DEPTH.leaves > FAST_DEPTH.leaves
    assert SLOW.max_examples == SLOW_DEPTH.examples and FAST.max_examples == RUN_DEPTH.examples


@pytest.mark.parametrize("name", FILES)
def test_loaders_never_crash(name):
    FAST(given(documents(name, RUN_DEPTH)))(lambda content: _check_system(name, content))()


def test_trace_reader_never_crashes():
    FAST(given(csv_text(RUN_DEPTH)))(_check_trace)()


@pytest.mark.slow
@pytest.mark.parametrize("name", FILES)
def test_loaders_never_crash_long(name):
    SLOW(given(documents(name, SLOW_DEPTH)))(lambda content: _check_system(name, content))()


@pytest.mark.slow
def test_trace_reader_never_crashes_long():
    SLOW(given(csv_text(SLOW_DEPTH)))(_check_trace)()
