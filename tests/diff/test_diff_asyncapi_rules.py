"""AsyncAPI rules on the video editor's real WebSocket document."""
import copy
from pathlib import Path

import pytest
import yaml

from archbook.apis.asyncapi import build_event_api
from archbook.diff.asyncapi import diff_asyncapi, view_asyncapi
from archbook.load.apiset import async_schemas

DOC = yaml.safe_load((Path(__file__).parents[2] / "data/video-editor/asyncapi.yaml").read_text())


@pytest.fixture
def doc():
    return copy.deepcopy(DOC)


def run(old, new):
    return diff_asyncapi(view_asyncapi(build_event_api(old), async_schemas(old)),
                         view_asyncapi(build_event_api(new), async_schemas(new)))


def test_same_document_no_changes(doc):
    assert run(doc, doc) == []


def test_channel_removed_and_added(doc):
    new = copy.deepcopy(doc)
    new["channels"]["jobEvents"] = new["channels"].pop("jobStatus")
    new["operations"]["sendJobStatus"]["channel"]["$ref"] = "#/channels/jobEvents"
    got = {(c.id, c.level, c.api) for c in run(doc, new)}
    assert got == {("channel-removed", "breaking", "asyncapi"), ("channel-added", "info", "asyncapi")}


def test_channel_address_changed(doc):
    new = copy.deepcopy(doc)
    new["channels"]["jobStatus"]["address"] = "/ws/v2/jobs/{jobId}"
    (c,) = run(doc, new)
    assert (c.id, c.message) == ("channel-address-changed", "address /ws/jobs/{jobId} -> /ws/v2/jobs/{jobId}")


def test_message_removed(doc):
    new = copy.deepcopy(doc)
    del new["channels"]["jobStatus"]["messages"]["error"]
    (c,) = run(doc, new)
    assert (c.id, c.level, c.location) == ("channel-message-removed", "breaking", "channel jobStatus message error")


def test_payload_of_a_sent_message_is_judged_like_a_response(doc):
    """The server sends these messages (action: send): a new enum value in the shared schema warns readers."""
    new = copy.deepcopy(doc)
    new["components"]["schemas"]["JobUpdate"]["properties"]["status"]["enum"].append("paused")
    found = run(doc, new)
    # complete and error pin `status` with a const, so only the two other messages can carry "paused"
    assert sorted(c.location for c in found) == ["channel jobStatus message progress_update payload status",
                                                  "channel jobStatus message status_update payload status"]
    assert {(c.id, c.level, c.api) for c in found} == {("response-property-enum-value-added", "warning", "asyncapi")}


def test_all_of_const_pins_a_shared_enum(doc):
    new = copy.deepcopy(doc)
    new["components"]["schemas"]["JobUpdate"]["properties"]["type"]["enum"].append("heartbeat")
    assert run(doc, new) == []


def test_asyncapi_2_publish_is_judged_like_a_request():
    """2.x `publish` means clients publish (the application receives): the payload is a request."""
    old = {"asyncapi": "2.6.0", "info": {"title": "t", "version": "1"}, "channels": {"orders": {"publish": {
        "message": {"name": "order", "payload": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}
    new = copy.deepcopy(old)
    new["channels"]["orders"]["publish"]["message"]["payload"]["required"] = ["id"]
    (c,) = run(old, new)
    assert (c.id, c.level) == ("request-property-became-required", "breaking")
