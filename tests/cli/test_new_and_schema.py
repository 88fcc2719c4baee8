"""`archbook new` scaffolds a valid system; `archbook schema` writes schemas that accept our data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from archbook.cli import main
from archbook.load import load_system

REPO = Path(__file__).resolve().parents[2]


def test_new_scaffolds_a_system_that_validates(tmp_path, capsys):
    assert main(["new", "payments", "--dir", str(tmp_path / "data")]) == 0
    folder = tmp_path / "data" / "payments"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["architecture.yaml", "patterns.yaml", "openapi.yaml", "asyncapi.yaml", "versioning.yaml", "queue.yaml"])
    model = load_system(folder)
    assert model.name == "Payments"
    assert main(["validate", str(folder)]) == 0


def test_new_queue_yaml_is_a_valid_scenario(tmp_path):
    pytest.importorskip("archbook.load.scenario")
    from archbook.load.scenario import load_scenario

    main(["new", "q", "--dir", str(tmp_path)])
    assert load_scenario(tmp_path / "q").workers.count == 2


def test_new_queue_yaml_has_an_slo_the_sizing_can_meet(tmp_path):
    """Notebook 04 and `archbook sweep` size the pool against the scenario's SLO: a fresh
    system must carry one (without it, the build stopped at notebook 04)."""
    from archbook.sim import recommend
    from archbook.load.scenario import load_scenario

    main(["new", "q", "--dir", str(tmp_path)])
    scen = load_scenario(tmp_path / "q")
    assert scen.slo is not None
    rec = recommend(scen, workers=range(1, 9), replications=3, jobs=5000, n_jobs=1)
    assert 2 <= rec.workers <= 8 and rec.slo_met


def test_new_refuses_to_overwrite(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    assert main(["new", "taken", "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "a\\b", ".hidden", ""])
def test_new_rejects_unsafe_names(tmp_path, capsys, name):
    assert main(["new", name, "--dir", str(tmp_path / "d")]) == 1
    assert "not a valid system name" in capsys.readouterr().err
    assert not (tmp_path / "evil").exists() and not (tmp_path / "d").exists()


def test_schema_writes_one_schema_per_file(tmp_path, capsys):
    from archbook.load.fastimport import jsonschema

    assert main(["schema", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert {"architecture.schema.json", "patterns.schema.json", "versioning.schema.json",
            "asyncapi.schema.json", "openapi.schema.json"} <= set(written)
    for stem in ("patterns", "versioning", "openapi", "asyncapi", "queue"):
        data_file = REPO / "data" / "video-editor" / f"{stem}.yaml"
        if not data_file.exists():
            data_file = REPO / "src" / "archbook" / "load" / "templates" / f"{stem}.yaml"
        if not (tmp_path / f"{stem}.schema.json").exists():
            continue
        schema = json.loads((tmp_path / f"{stem}.schema.json").read_text())
        validator = jsonschema.validators.validator_for(schema)(schema)
        assert list(validator.iter_errors(yaml.safe_load(data_file.read_text()))) == [], stem


def test_architecture_schema_catches_a_typo(tmp_path):
    from archbook.load.fastimport import jsonschema
    from archbook.load.schema_export import schemas

    schema = schemas()["architecture"]
    data = yaml.safe_load((REPO / "data" / "video-editor" / "architecture.yaml").read_text())
    data["system"]["history"][0]["date"] = "2025-11-09"  # editors see YAML dates as strings
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(data)) == []
    data["components"][0]["purpse"] = data["components"][0].pop("purpose")
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("purpse" in m for m in messages) and any("'purpose' is a required property" in m for m in messages)
    assert "Participant" in schema["$defs"] and schema["$defs"]["Participant"]["anyOf"][0]["type"] == "string"
