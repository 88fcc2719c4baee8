"""Scenario validation: each mistake names the file, the line, the field and a fix."""
from __future__ import annotations

import textwrap

import pytest

from archbook.errors import ValidationFailed
from archbook.sim import load_scenario
from archbook.load.scenario import apply_overrides, parse_set

GOOD = """\
arrivals: {process: poisson, rate_per_s: 0.9}
classes:
  - {name: normal, share: 1.0, priority: 1, service: {dist: exponential, mean_s: 1.0}}
discipline: fifo
workers: {count: 4}
queue: {capacity: null}
patience: null
horizon: {jobs: 200000, warmup_jobs: 20000, replications: 10, seed: 1}
"""


def write(tmp_path, text):
    p = tmp_path / "queue.yaml"
    p.write_text(textwrap.dedent(text))
    return p


def problems(tmp_path, text):
    with pytest.raises(ValidationFailed) as err:
        load_scenario(write(tmp_path, text))
    return err.value.problems


def test_contract_example_loads_from_file_and_folder(tmp_path):
    path = write(tmp_path, GOOD)
    sc = load_scenario(path)
    assert sc.workers.count == 4 and sc.classes[0].service.mean_s == 1.0 and sc.patience is None
    assert load_scenario(tmp_path).horizon.jobs == 200000
    assert sc.offered_load() == pytest.approx(0.225)


def test_negative_rate(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("rate_per_s: 0.9", "rate_per_s: -0.9"))
    assert p.file.endswith("queue.yaml") and p.line == 1 and p.field == "arrivals.rate_per_s"
    assert "greater than 0" in p.message and "-0.9" in p.message


def test_shares_must_sum_to_one(tmp_path):
    text = GOOD.replace("share: 1.0", "share: 0.7") + ""
    [p] = problems(tmp_path, text)
    assert p.field == "classes" and p.line == 2
    assert "sum to 1" in p.message and "0.7" in p.message


def test_unknown_distribution_lists_valid_ones(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("dist: exponential", "dist: weibull"))
    assert p.line == 3 and p.field == "classes[0].service"
    assert "unknown distribution 'weibull'" in p.message
    assert "exponential" in p.hint and "lognormal" in p.hint and "video" in p.hint


def test_unknown_key_suggests(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("workers: {count: 4}", "workers: {cuont: 4}"))
    assert p.line == 5 and p.field == "workers.cuont"
    assert "did you mean `count`" in p.hint


def test_several_problems_reported_together(tmp_path):
    text = GOOD.replace("rate_per_s: 0.9", "rate_per_s: 0").replace("mean_s: 1.0", "mean_s: -1")
    found = {p.field for p in problems(tmp_path, text)}
    assert found == {"arrivals.rate_per_s", "classes[0].service.mean_s"}


def test_cross_field_rules(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("workers: {count: 4}",
                                          "workers: {count: 4, autoscale: {min: 1, max: 4}}"))
    assert p.field == "workers" and "exactly one" in p.message
    [p] = problems(tmp_path, GOOD.replace("warmup_jobs: 20000", "warmup_jobs: 200000"))
    assert p.field == "horizon" and "warmup_jobs" in p.message
    [p] = problems(tmp_path, GOOD.replace("process: poisson, rate_per_s: 0.9", "process: profile"))
    assert p.field == "arrivals" and "needs `profile`" in p.message


def test_yaml_syntax_error_has_line(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("workers: {count: 4}", "workers: {count: 4"))
    assert p.line is not None and "YAML" in p.message


def test_missing_file():
    with pytest.raises(ValidationFailed, match="no such scenario"):
        load_scenario("does/not/exist.yaml")


def test_overrides_dotted_nested_and_by_class_name():
    data = {"classes": [{"name": "high", "share": 0.5}, {"name": "low", "share": 0.5}], "workers": {"count": 2}}
    out = apply_overrides(data, {"classes.high.share": 0.3, "classes.1.share": 0.7, "workers": {"count": 9}})
    assert [c["share"] for c in out["classes"]] == [0.3, 0.7] and out["workers"]["count"] == 9
    assert data["workers"]["count"] == 2  # input untouched
    auto = {"workers": {"autoscale": {"min": 1, "max": 3}}}
    assert apply_overrides(auto, {"workers.count": 5})["workers"] == {"count": 5}
    with pytest.raises(ValidationFailed, match="no list item `mid`"):
        apply_overrides(data, {"classes.mid.share": 0.1})
    with pytest.raises(ValidationFailed, match="has no field `x`"):
        apply_overrides(data, {"workers.count.x": 1})


def test_parse_set_yaml_scalars():
    assert parse_set("workers.count=8") == ("workers.count", 8)
    assert parse_set("patience=null") == ("patience", None)
    assert parse_set("discipline=priority") == ("discipline", "priority")
    assert parse_set("patience={dist: exponential, mean_s: 2}") == ("patience", {"dist": "exponential", "mean_s": 2})
    with pytest.raises(ValidationFailed, match="KEY.PATH=VALUE"):
        parse_set("workers.count")


def test_override_error_names_override(tmp_path):
    with pytest.raises(ValidationFailed) as err:
        load_scenario(write(tmp_path, GOOD), {"arrivals.rate_per_s": -2})
    [p] = err.value.problems
    assert p.field == "arrivals.rate_per_s" and "override `arrivals.rate_per_s`" in p.message


@pytest.mark.parametrize("folder", ["data/video-editor", "data/doc-ocr"])
def test_shipped_scenarios_validate(folder):
    import pathlib
    if not pathlib.Path(folder, "queue.yaml").exists():
        pytest.skip(f"{folder} has no queue.yaml")
    sc = load_scenario(folder)
    assert sc.offered_load() is not None and sc.offered_load() < 1


def test_override_problem_names_the_override_not_a_file_line(tmp_path):
    with pytest.raises(ValidationFailed) as err:
        load_scenario(write(tmp_path, GOOD), {"classes.normal.service": {"dist": "exponential", "mean_s": -1}})
    [p] = err.value.problems
    assert p.field == "classes[0].service.mean_s" and p.line is None
    assert "override `classes.normal.service`" in p.message and "(got -1)" in p.message


def test_plain_union_reports_the_member_that_got_furthest(tmp_path):
    video = "{dist: video, s_per_mpx: 1, width: 640, height: {values: [-1]}, duration_s: 1, fps: 1}"
    [p] = problems(tmp_path, GOOD.replace("{dist: exponential, mean_s: 1.0}", video))
    assert p.field == "classes[0].service.height.values[0]" and p.line == 3 and "greater than 0" in p.message


def test_duplicate_key_is_reported(tmp_path):
    [p] = problems(tmp_path, GOOD + "workers: {count: 5}\n")
    assert p.line == 9 and p.field == "workers" and "duplicate key" in p.message
