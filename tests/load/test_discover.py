"""API documents are found by their conventional names or listed in architecture.yaml; JSON ones
keep line numbers."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from archbook.load import validate_system
from archbook.load.jsonsrc import parse_json_with_lines

BASE = Path(__file__).resolve().parents[1] / "data" / "broken" / "_base"
DATA = Path(__file__).resolve().parents[1] / "data" / "openapi"


def _system(tmp_path: Path) -> Path:
    folder = tmp_path / "sys"
    shutil.copytree(BASE, folder)
    return folder


def test_openapi_json_and_yml_are_found(tmp_path):
    folder = _system(tmp_path)
    (folder / "openapi.yaml").rename(folder / "openapi.yml")
    model, problems = validate_system(folder)
    assert model is not None and len(model.http_operations()) > 0
    (folder / "openapi.yml").unlink()
    shutil.copy(DATA / "oai" / "v3.0_api-with-examples.json", folder / "openapi.json")
    model, problems = validate_system(folder)
    assert [p for p in problems if p.severity == "error" and "operation" not in p.message] == []


def test_two_conventional_documents_are_ambiguous(tmp_path):
    folder = _system(tmp_path)
    shutil.copy(folder / "openapi.yaml", folder / "openapi.yml")
    _, problems = validate_system(folder)
    assert any("two openapi documents: openapi.yaml, openapi.yml" in p.message for p in problems)


def test_documents_listed_in_architecture_yaml(tmp_path):
    folder = _system(tmp_path)
    (folder / "services").mkdir()
    (folder / "openapi.yaml").rename(folder / "services" / "jobs.yaml")
    shutil.copy(DATA / "oai" / "v3.0_petstore-expanded.yaml", folder / "services" / "pets.yaml")
    with (folder / "architecture.yaml").open("a") as f:
        f.write("apis:\n  openapi: [services/jobs.yaml, services/pets.yaml, ../nope.yaml, services/missing.yaml]\n")
    _, problems = validate_system(folder)
    messages = {p.message for p in problems if p.severity == "error"}
    assert messages == {"`../nope.yaml` is outside the system folder", "`services/missing.yaml` does not exist"}
    text = (folder / "architecture.yaml").read_text().replace(", ../nope.yaml, services/missing.yaml", "")
    (folder / "architecture.yaml").write_text(text)
    model, problems = validate_system(folder)
    assert model is not None, [str(p) for p in problems]
    assert [api.title for api in model.http_apis] == ["Jobs API", "Swagger Petstore"] or len(model.http_apis) == 2
    assert {op.operation_id for op in model.http_operations()} >= {"findPets", "addPet"}


def test_json_line_marks():
    text = json.dumps({"a": [1, {"b": "c"}], "d\"x": {}}, indent=2)
    data, lines = parse_json_with_lines(text, "x.json")
    assert data["a"][1]["b"] == "c"
    assert lines(("a",)) == 2 and lines(("a", 1)) == 4 and lines(("a", 1, "b")) == 5 and lines(('d"x',)) == 8
