"""Every kind of file a system folder can include is refused when it leaves the folder, by `..`
or through a symlink: the CLI prints one located line (`file:line: error [field] message`) and
exits 1, and nothing outside the folder is read (the outside file holds a marker that would
show up in any message or output if it were)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from archbook.cli import main

REPO = Path(__file__).resolve().parents[2]
SECRET = "SECRET-OUTSIDE-THE-FOLDER"


@pytest.fixture()
def system(tmp_path) -> Path:
    root = tmp_path / "sys"
    shutil.copytree(REPO / "data" / "video-editor", root, ignore=shutil.ignore_patterns("grid.yaml"))
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("x.graphql", "x.yaml", "x.csv", "architecture.yaml", "rules.py"):
        (outside / name).write_text(f"# {SECRET}\n")
    (outside / "examples").mkdir()
    (outside / "examples" / "q.graphql").write_text(f"# {SECRET}\n{{ __typename }}\n")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err and SECRET not in out.out + out.err
    return out.out + out.err


def _graphql_schema(root: Path, entry: str) -> None:
    _edit(root / "architecture.yaml", "graphql:\n", f"graphql:\n  schema: [{entry}]\n")


def _graphql_examples(root: Path, entry: str) -> None:
    _edit(root / "architecture.yaml", "graphql:\n", f"graphql:\n  examples: {entry}\n")


def _api_list(root: Path, entry: str) -> None:
    _edit(root / "architecture.yaml", "graphql:\n", f"apis: {{openapi: [{entry}]}}\ngraphql:\n")


CLIMB = [
    (_graphql_schema, "../outside/x.graphql", "architecture.yaml:629: error [graphql.schema[0]]: "
                                              "path `../outside/x.graphql` climbs out of the system folder with `..`"),
    (_graphql_examples, "../outside/examples", "architecture.yaml:629: error [graphql.examples]: "
                                               "path `../outside/examples` climbs out of the system folder with `..`"),
    (_api_list, "../outside/x.yaml", "architecture.yaml:628: error [apis.openapi[0]]: "
                                     "`../outside/x.yaml` is outside the system folder"),
]


@pytest.mark.parametrize("edit, entry, line", CLIMB, ids=["graphql.schema", "graphql.examples", "apis.openapi"])
def test_a_climbing_path_is_a_located_error(system, capsys, edit, entry, line):
    edit(system, entry)
    assert line in _run(capsys, "validate", str(system))


@pytest.mark.parametrize("edit, link, target, line", [
    (_graphql_schema, "sub/linked.graphql", "x.graphql",
     "architecture.yaml:629: error [graphql.schema[0]]: path `sub/linked.graphql` leads outside the system folder"),
    (_graphql_examples, "linked-examples", "examples",
     "architecture.yaml:629: error [graphql.examples]: path `linked-examples` leads outside the system folder"),
    (_api_list, "linked.yaml", "x.yaml",
     "architecture.yaml:628: error [apis.openapi[0]]: `linked.yaml` is outside the system folder"),
], ids=["graphql.schema", "graphql.examples", "apis.openapi"])
def test_a_symlink_named_in_architecture_is_refused(system, capsys, edit, link, target, line):
    (system / "sub").mkdir()
    os.symlink(system.parent / "outside" / target, system / link)
    edit(system, link)
    assert line in _run(capsys, "validate", str(system))


@pytest.mark.parametrize("name, target", [
    ("architecture.yaml", "architecture.yaml"), ("openapi.yaml", "x.yaml"), ("patterns.yaml", "x.yaml"),
    ("schema.graphql", "x.graphql"), ("archbook_rules.py", "rules.py"),
])
def test_a_conventional_file_symlinked_out_is_refused(system, capsys, name, target):
    (system / name).unlink(missing_ok=True)
    os.symlink(system.parent / "outside" / target, system / name)
    out = _run(capsys, "validate", str(system))
    assert f"{name}: error: path `{name}` leads outside the system folder (to " in out


def test_an_example_file_symlinked_out_is_refused(system, capsys):
    os.symlink(system.parent / "outside" / "examples" / "q.graphql", system / "examples" / "q.graphql")
    out = _run(capsys, "validate", str(system))
    assert "q.graphql: error [graphql.examples]: path `examples/q.graphql` leads outside the system folder" in out


def test_a_ref_through_a_symlink_is_refused(system, capsys):
    os.symlink(system.parent / "outside" / "x.yaml", system / "common.yaml")
    _edit(system / "openapi.yaml", "$ref: '#/components/schemas/GenerateVideoRequest'",
          "$ref: 'common.yaml#/GenerateVideoRequest'")
    out = _run(capsys, "validate", str(system))
    assert "openapi.yaml:36: error" in out and "$ref `common.yaml#/GenerateVideoRequest` is outside the system folder" in out


def test_a_ref_that_climbs_is_refused(system, capsys):
    _edit(system / "openapi.yaml", "$ref: '#/components/schemas/GenerateVideoRequest'",
          "$ref: '../outside/x.yaml#/GenerateVideoRequest'")
    out = _run(capsys, "validate", str(system))
    assert "openapi.yaml:36: error" in out and "is outside the system folder and is not followed" in out


@pytest.mark.parametrize("kind", ["climb", "symlink"])
def test_a_trace_path_outside_is_refused_by_simulate(system, capsys, kind):
    queue = system / "queue-trace.yaml"
    if kind == "climb":
        _edit(queue, "path: traces/week.csv", "path: ../outside/x.csv")
        expected = "queue-trace.yaml:12: error [arrivals.trace.path]: path `../outside/x.csv` climbs out"
    else:
        (system / "traces" / "week.csv").unlink()
        os.symlink(system.parent / "outside" / "x.csv", system / "traces" / "week.csv")
        expected = "error [arrivals.trace.path]: path `traces/week.csv` leads outside the system folder"
    out = _run(capsys, "simulate", str(queue), "--set", "horizon.replications=1")
    assert expected in out


def test_queue_yaml_symlinked_out_is_refused(system, capsys):
    (system / "queue.yaml").unlink()
    os.symlink(system.parent / "outside" / "x.yaml", system / "queue.yaml")
    out = _run(capsys, "simulate", str(system))
    assert "queue.yaml: error: path `queue.yaml` leads outside the system folder" in out


def test_a_template_symlinked_out_of_its_folder_is_refused(system, capsys, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    os.symlink(system.parent / "outside" / "x.yaml", templates / "component_card.md.j2")
    out = _run(capsys, "render", str(system), "--templates", str(templates))
    assert "template `component_card.md.j2` leads outside the template folder (to " in out
    assert out.count("\n") <= 3  # one line and its hint


def test_a_template_including_a_climbing_name_is_refused(system, capsys, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "component_card.md.j2").write_text('{% include "../outside/x.yaml" %}\n')
    out = _run(capsys, "render", str(system), "--templates", str(templates))
    assert "../outside/x.yaml" in out
