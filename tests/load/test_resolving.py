"""The resolving stage: multi-file documents inside the folder are followed, anything leaving it is
refused with a located error, and `$ref` cycles are errors unless a schema genuinely recurses."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from archbook.load.resolving import resolve_document

HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "openapi.yaml"


def test_refs_to_other_files_are_bundled_as_named_schemas(tmp_path):
    root = _write(tmp_path, {
        "openapi.yaml": HEAD + "paths:\n  /pets:\n    get:\n      parameters:\n        - $ref: 'common/params.yaml#/limit'\n"
                               "      responses:\n        '200':\n          description: ok\n          content:\n"
                               "            application/json:\n              schema: {$ref: 'schemas/pet.yaml'}\n",
        "common/params.yaml": "limit: {name: limit, in: query, schema: {type: integer}}\n",
        "schemas/pet.yaml": "type: object\nproperties:\n  owner: {$ref: 'owner.json#/Owner'}\n  parent: {$ref: '#'}\n",
        "schemas/owner.json": '{"Owner": {"type": "object", "properties": {"name": {"type": "string"}}}}',
    })
    problems = []
    resolved = resolve_document(root, tmp_path, problems)
    assert problems == []
    op = resolved.doc["paths"]["/pets"]["get"]
    assert op["parameters"][0] == {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/pet.yaml"} \
        or op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].startswith("#/components/schemas/")
    schemas = resolved.doc["components"]["schemas"]
    pet_name = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    pet = schemas[pet_name]
    assert pet["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}
    assert pet["properties"]["parent"] == {"$ref": f"#/components/schemas/{pet_name}"}  # recursion stays a name
    assert schemas["Owner"]["properties"]["name"] == {"type": "string"}


@pytest.mark.parametrize("ref, says", [
    ("../outside.yaml", "outside the system folder"),
    ("/etc/passwd", "outside the system folder"),
    ("https://example.com/pet.yaml", "outside the system folder"),
])
def test_refs_leaving_the_folder_are_refused_with_their_line(tmp_path, ref, says):
    (tmp_path / "outside.yaml").write_text("type: string\n")
    folder = tmp_path / "sys"
    folder.mkdir()
    root = _write(folder, {"openapi.yaml": HEAD + f"components:\n  schemas:\n    Pet:\n      $ref: '{ref}'\n"})
    problems = []
    assert resolve_document(root, folder, problems) is None
    (p,) = problems
    assert says in p.message and p.line == 6 and p.field == "components.schemas.Pet.$ref"


def test_a_symlink_pointing_out_is_refused(tmp_path):
    (tmp_path / "secret.yaml").write_text("type: string\n")
    folder = tmp_path / "sys"
    folder.mkdir()
    os.symlink(tmp_path / "secret.yaml", folder / "link.yaml")
    root = _write(folder, {"openapi.yaml": HEAD + "components:\n  schemas:\n    Pet: {$ref: 'link.yaml'}\n"})
    problems = []
    assert resolve_document(root, folder, problems) is None
    assert "outside the system folder" in problems[0].message and problems[0].line == 5


def test_a_pure_ref_cycle_is_an_error_naming_where_it_starts(tmp_path):
    root = _write(tmp_path, {"openapi.yaml": HEAD + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
                                                    "    B: {$ref: '#/components/schemas/A'}\n"})
    problems = []
    assert resolve_document(root, tmp_path, problems) is None
    (p,) = problems
    assert "$ref cycle" in p.message and p.file.endswith("openapi.yaml") and p.line == 5 and p.field == "components.schemas.A"


def test_a_recursive_schema_is_valid(tmp_path):
    root = _write(tmp_path, {"openapi.yaml": HEAD + "components:\n  schemas:\n    Node:\n      type: object\n"
                                                    "      properties:\n        next: {$ref: '#/components/schemas/Node'}\n"})
    problems = []
    assert resolve_document(root, tmp_path, problems) is not None and problems == []


def test_a_cycle_between_files_of_non_schemas_is_an_error(tmp_path):
    root = _write(tmp_path, {
        "openapi.yaml": HEAD + "paths:\n  /a: {$ref: 'a.yaml'}\n",
        "a.yaml": "$ref: 'b.yaml'\n", "b.yaml": "$ref: 'a.yaml'\n"})
    problems = []
    assert resolve_document(root, tmp_path, problems) is None
    assert any("$ref cycle" in p.message for p in problems)
