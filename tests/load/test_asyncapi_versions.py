"""Every AsyncAPI version 2.0-2.6 and 3.0-3.1 is validated against its own official schema,
on real public documents (tests/data/asyncapi, see SOURCE.md) as they were published."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from archbook.load.asyncapi import SUPPORTED_VERSIONS, check_asyncapi, load_asyncapi, schema_version
from archbook.load.reading import read_yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "asyncapi"
REAL = sorted(DATA.glob("*.yml"))


def _load(path: Path):
    problems: list = []
    api = load_asyncapi(path, problems, {})
    return api, problems


def test_every_supported_version_has_its_schema_vendored():
    schemas = Path(__file__).resolve().parents[2] / "src" / "archbook" / "load" / "schemas"
    for version in SUPPORTED_VERSIONS:
        assert (schemas / f"asyncapi-{version}.json").is_file(), version
    assert "6.11.1" in (schemas / "NOTE.md").read_text()


def test_real_documents_cover_each_major_version():
    declared = {read_yaml(p, [])[0]["asyncapi"] for p in REAL}
    assert {"2.0.0", "2.6.0", "3.0.0", "3.1.0"} <= {str(v) for v in declared}


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_document_validates_without_errors(path):
    api, problems = _load(path)
    assert api is not None
    assert [p for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("declared, schema", [("2.6.0", "2.6.0"), ("3.0.1", "3.0.0"), ("2.0.0", "2.0.0"),
                                             ("3.1.0", "3.1.0"), ("1.2.0", None), ("4.0.0", None), ("3", None)])
def test_schema_version(declared, schema):
    assert schema_version(declared) == schema


def test_unsupported_version_is_a_located_error(tmp_path):
    src = (DATA / "3.1-rpc-client.yml").read_text().replace("asyncapi: 3.1.0", "asyncapi: 1.2.0")
    (tmp_path / "asyncapi.yaml").write_text(src)
    _, problems = _load(tmp_path / "asyncapi.yaml")
    (p,) = problems
    assert (p.line, p.field) == (1, "asyncapi")
    assert "`asyncapi: 1.2.0` is not a supported AsyncAPI version" in p.message and "2.0.x" in p.hint


def test_2x_document_is_checked_against_the_2x_schema(tmp_path):
    """A 3.x-only key in a 2.6 document is an unknown key, located at its line, with the 2.6 spec named."""
    src = (DATA / "2.6-rpc-server.yml").read_text() + "operations:\n  x: {}\n"
    (tmp_path / "asyncapi.yaml").write_text(src)
    _, problems = _load(tmp_path / "asyncapi.yaml")
    (p,) = [p for p in problems if p.severity == "error"]
    assert p.field == "operations" and p.message == "invalid AsyncAPI: unknown key `operations`"
    assert p.line == len(src.splitlines()) - 1


def test_2x_wrong_type_is_located_with_its_version_hint(tmp_path):
    src = (DATA / "2.6-streetlights-mqtt.yml").read_text()
    (tmp_path / "asyncapi.yaml").write_text(src.replace("protocol: mqtt", "protocol: [mqtt]", 1))
    _, problems = _load(tmp_path / "asyncapi.yaml")
    errors = [p for p in problems if p.severity == "error"]
    assert errors and errors[0].field.startswith("servers.production")
    assert "v2.6.0" in errors[0].hint
    line = next(i for i, ln in enumerate(src.splitlines(), 1) if "protocol: mqtt" in ln)
    assert any(p.line == line for p in errors)


def test_2x_example_mismatch_is_found_through_publish_message():
    doc = read_yaml(DATA / "2.6-rpc-server.yml", [])[0]
    doc = copy.deepcopy(doc)
    msg = doc["channels"]["rpc_queue"]["publish"]["message"]
    msg["examples"] = [{"name": "bad", "payload": {"numbers": "three"}}]
    from archbook.load.yamlsrc import LineMap

    problems = check_asyncapi(doc, "asyncapi.yaml", LineMap(1))
    assert [p.field for p in problems] == ["channels.rpc_queue.publish.message.examples[0].payload.numbers"]


def test_official_example_with_a_wrong_example_is_refused_at_its_line():
    _, problems = _load(DATA / "refused" / "3.0-kraken-websocket-request-reply-multiple-channels.yml")
    errors = [p for p in problems if p.severity == "error"]
    assert [p.field for p in errors] == ["components.messages.subscriptionStatus.examples[0].payload",
                                         "components.messages.subscriptionStatus.examples[1].payload"]
    assert errors[0].line == 151


def test_official_example_with_url_refs_is_refused_at_its_line():
    _, problems = _load(DATA / "refused" / "3.0-adeo-kafka-request-reply.yml")
    errors = [p for p in problems if p.severity == "error"]
    assert errors and all("external $ref `https://" in p.message for p in errors)
    assert errors[0].line == 214 and errors[0].field.endswith("payload.schema.$ref")


def test_unrendered_content_is_named_in_warnings(tmp_path):
    src = (DATA / "3.1-streetlights-mqtt.yml").read_text()
    src = src.replace("    address: 'smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured'",
                      "    address: 'smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured'\n"
                      "    x-team: lighting", 1)
    (tmp_path / "asyncapi.yaml").write_text(src)
    _, problems = _load(tmp_path / "asyncapi.yaml")
    warnings = {p.field: p for p in problems if p.severity == "warning"}
    assert "`x-team` at channels.lightingMeasured.x-team is not rendered" in warnings["channels.lightingMeasured.x-team"].message
    assert warnings["channels.lightingMeasured.x-team"].line == 68
    assert "the generated document does not show it" in warnings["channels.lightingMeasured.x-team"].hint
    assert "`license` at info.license is not rendered" in warnings["info.license"].message
    assert "`tags` at servers.production.tags is not rendered" in warnings["servers.production.tags"].message


def test_header_named_like_an_extension_is_not_a_warning(tmp_path):
    """`x-request-id` as a header (a property name) is rendered; only keywords are reported."""
    src = (DATA / "3.1-streetlights-mqtt.yml").read_text().replace("my-app-header:", "x-request-id:")
    (tmp_path / "asyncapi.yaml").write_text(src)
    _, problems = _load(tmp_path / "asyncapi.yaml")
    assert not [p for p in problems if "x-request-id" in p.message]


def test_unused_component_message_is_named():
    _, problems = _load(DATA / "2.6-slack-rtm.yml")
    (p,) = [p for p in problems if "component message" in p.message]
    assert p.field == "components.messages.memberLeftChannel" and p.severity == "warning"
    assert "`memberLeftChannel` (used by no channel)" in p.message


def test_2x_document_id_is_named():
    _, problems = _load(DATA / "2.6-rpc-server.yml")
    assert [p.field for p in problems if p.severity == "warning"] == ["id"]


def test_2x_message_names_match_the_event_model():
    """A flow's `event:` may name a 2.x message by component key, `messageId`/`name`, or its model key."""
    from archbook.load.asyncapi import message_names

    doc = read_yaml(DATA / "2.6-rpc-server.yml", [])[0]
    names = message_names(doc)
    assert {"sendSumResultMessage", "sumMessage"} <= names  # inline messages, keyed after their operation
    kafka = message_names(read_yaml(DATA / "2.6-streetlights-kafka.yml", [])[0])
    assert {"lightMeasured", "turnOnOff", "dimLight"} <= kafka
