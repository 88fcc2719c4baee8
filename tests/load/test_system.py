"""validate_system collects every problem; load_system raises them all at once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archbook.errors import ValidationFailed
from archbook.load import load_system, validate_system
from archbook.load.diagnose import dotted, keys_of_model_at, strip_tags
from archbook.model import Architecture

BASE = Path(__file__).resolve().parents[1] / "data" / "broken" / "_base"


@pytest.fixture
def system(tmp_path):
    target = tmp_path / "sys"
    shutil.copytree(BASE, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_all_errors_across_files_are_collected(system):
    _edit(system / "architecture.yaml", "    layer: data\n    kind: queue\n", "    layer: dta\n    kind: queue\n")
    _edit(system / "patterns.yaml", "category: Architectural", "category: Nope")
    _edit(system / "versioning.yaml", "sunset_months: 3", "sunset_months: x")
    _edit(system / "openapi.yaml", "in: path", "in: nowhere")
    _edit(system / "asyncapi.yaml", "action: send", "action: shout")
    with pytest.raises(ValidationFailed) as info:
        load_system(system)
    files = {Path(p.file).name for p in info.value.problems}
    assert files == {"architecture.yaml", "patterns.yaml", "versioning.yaml", "openapi.yaml", "asyncapi.yaml"}
    text = str(info.value)
    assert "unknown layer `dta`" in text and "'Nope' is not an allowed value" in text and "shout" in text


def test_warnings_alone_do_not_raise(system):
    (system / "patterns.yaml").unlink()
    model = load_system(system)
    _, problems = validate_system(system)
    assert model.patterns == []
    assert [(Path(p.file).name, p.severity) for p in problems] == [("patterns.yaml", "warning")]


def test_missing_openapi_makes_operation_refs_dangle(system):
    (system / "openapi.yaml").unlink()
    _, problems = validate_system(system)
    errors = [p for p in problems if p.severity == "error"]
    assert {p.field for p in errors} == {"flows[0].steps[1].operation", "flows[0].steps[6].steps[0].operation"}


def test_model_records_its_files(system):
    model = load_system(system)
    assert set(model.files) == {"architecture", "patterns", "openapi", "asyncapi", "versioning"}
    assert Path(model.root) == system.resolve()


def test_strip_tags_and_dotted():
    raw = ("flows", 0, "steps", 8, "loop", "steps", 0, "message", "to")
    assert strip_tags(raw, Architecture) == ("flows", 0, "steps", 8, "steps", 0, "to")
    assert strip_tags(("flows", 0, "steps", 3, "loop", "loop"), Architecture) == ("flows", 0, "steps", 3, "loop")
    assert dotted(("components", 3, "depends_on", 0, "target")) == "components[3].depends_on[0].target"


def test_keys_of_model_follow_union_tags():
    keys = keys_of_model_at(Architecture, ("flows", 0, "steps", 2, "alt", "alt", 0, "wen"))
    assert keys == ["when", "steps"]
    assert "from" in keys_of_model_at(Architecture, ("flows", 0, "steps", 2, "message", "form"))
    assert "async" in keys_of_model_at(Architecture, ("components", 0, "depends_on", 0, "asinc"))
