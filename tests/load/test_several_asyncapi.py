"""Every AsyncAPI document a system lists is loaded, validated and rendered, like OpenAPI."""
from __future__ import annotations

from pathlib import Path

from archbook.cli.new import scaffold
from archbook.load import load_system, validate_system
from archbook.render import render_section
from archbook.render.tables import ws_messages

ASYNC = Path(__file__).resolve().parents[1] / "data" / "asyncapi"
DOCS = [ASYNC / "3.0-streetlights-kafka.yml", ASYNC / "2.6-slack-rtm.yml"]


def _system(tmp_path: Path) -> Path:
    return scaffold("events", tmp_path, {"asyncapi": [str(d) for d in DOCS]})


def test_both_documents_are_in_the_model(tmp_path):
    system = load_system(_system(tmp_path))
    versions = [api.version for _, api in system.event_documents()]
    assert versions == ["3.0.0", "2.6.0"]
    titles = {api.title for _, api in system.event_documents()}
    assert len(system.ws_channels()) == sum(len(api.channels) for _, api in system.event_documents())
    assert len(titles) == 2


def test_a_problem_in_the_second_document_is_reported(tmp_path):
    folder = _system(tmp_path)
    listed = sorted((folder / "apis").rglob("2.6-slack-rtm.yml"))[0]
    listed.write_text(listed.read_text().replace("asyncapi: '2.6.0'", "asyncapi: '2.6.0'\nbogus: 1", 1))
    model, problems = validate_system(folder)
    assert model is None
    assert any(p.file.endswith("2.6-slack-rtm.yml") and p.severity == "error" for p in problems), [str(p) for p in problems]


def test_both_documents_are_rendered(tmp_path):
    system = load_system(_system(tmp_path))
    text = render_section(system, "5.3")
    for _, api in system.event_documents():
        assert f"AsyncAPI {api.version} document: {api.title}" in text
    assert len(ws_messages(system)) == sum(len(c.messages) for c in system.ws_channels())
