"""`archbook new NAME --openapi FILE [--openapi FILE] [--asyncapi FILE]` starts a system around existing documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from archbook.cli import main as cli_main
from archbook.errors import ArchbookError
from archbook.load import validate_system

DATA = Path(__file__).resolve().parents[1] / "data" / "openapi"


def test_one_document_takes_the_conventional_name(tmp_path, capsys):
    code = cli_main(["new", "pets", "--dir", str(tmp_path), "--openapi", str(DATA / "oai" / "v3.0_api-with-examples.json")])
    assert code == 0
    folder = tmp_path / "pets"
    assert (folder / "openapi.json").read_bytes() == (DATA / "oai" / "v3.0_api-with-examples.json").read_bytes()
    assert not (folder / "openapi.yaml").exists()
    assert not list(folder.glob("asyncapi.*")), "no placeholder AsyncAPI document beside the team's own OpenAPI"
    model, problems = validate_system(folder)
    assert model is not None and model.http_api.version == "3.0.0"
    assert cli_main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "OpenAPI 3.0.0, 2 operations, 0 webhooks" in out
    assert "0 AsyncAPI channels" in out and model.asyncapi is None


def test_an_asyncapi_document_alone_gets_no_placeholder_openapi(tmp_path):
    doc = DATA.parent / "asyncapi" / "3.0-streetlights-kafka.yml"
    assert cli_main(["new", "lights", "--dir", str(tmp_path), "--asyncapi", str(doc)]) == 0
    folder = tmp_path / "lights"
    assert sorted(p.name for p in folder.glob("*api.*")) == ["asyncapi.yml"]
    model, problems = validate_system(folder)
    assert model is not None, [str(p) for p in problems if p.severity == "error"]
    assert model.openapi is None and model.asyncapi is not None


def test_several_documents_are_listed_in_architecture_yaml(tmp_path):
    docs = [DATA / "oai" / "v3.0_petstore-expanded.yaml", DATA / "museum" / "openapi.yaml"]
    code = cli_main(["new", "shop", "--dir", str(tmp_path)] + [a for d in docs for a in ("--openapi", str(d))])
    assert code == 0
    text = (tmp_path / "shop" / "architecture.yaml").read_text()
    assert "apis:\n  openapi:\n    - apis/openapi-1-v3.0_petstore-expanded/v3.0_petstore-expanded.yaml\n    - apis/openapi-2-openapi/openapi.yaml\n" in text
    model, problems = validate_system(tmp_path / "shop")
    assert model is not None, [str(p) for p in problems if p.severity == "error"]
    assert [api.version for api in model.http_apis] == ["3.0.0", "3.1.0"]


def test_multi_file_document_is_copied_with_its_files(tmp_path):
    src = tmp_path / "src"
    (src / "schemas").mkdir(parents=True)
    (src / "api.yaml").write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
                                  "      responses:\n        '200':\n          description: ok\n          content:\n"
                                  "            application/json:\n              schema: {$ref: 'schemas/a.yaml'}\n")
    (src / "schemas" / "a.yaml").write_text("type: object\nproperties: {x: {type: string}}\n")
    assert cli_main(["new", "multi", "--dir", str(tmp_path), "--openapi", str(src / "api.yaml")]) == 0
    assert (tmp_path / "multi" / "schemas" / "a.yaml").is_file()
    model, _ = validate_system(tmp_path / "multi")
    assert model is not None and list(model.http_api.schemas) == ["a"]


def test_a_document_referencing_outside_its_folder_is_refused_before_writing(tmp_path):
    (tmp_path / "shared.yaml").write_text("type: string\n")
    (tmp_path / "src").mkdir()
    doc = tmp_path / "src" / "api.yaml"
    doc.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {$ref: '../shared.yaml'}\n")
    with pytest.raises(ArchbookError, match="outside"):
        from archbook.cli.new import scaffold

        scaffold("bad", tmp_path / "out", {"openapi": [str(doc)]})
    assert not (tmp_path / "out" / "bad").exists()
