"""apis.asyncapi: 2.x and 3.x documents become one normalised EventApi."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from archbook.apis.asyncapi import build_event_api
from archbook.model.asyncapi import SECURITY_TYPES

DATA = Path(__file__).resolve().parents[1] / "data" / "asyncapi"


def _api(name: str):
    return build_event_api(yaml.safe_load((DATA / name).read_text()))


def test_2x_publish_is_what_the_application_receives():
    """2.x speaks from the client's side: `publish` = the application receives, `subscribe` = it sends."""
    api = _api("2.6-streetlights-mqtt.yml")
    ops = {o.id: o for o in api.operations}
    assert (ops["receiveLightMeasurement"].action, ops["receiveLightMeasurement"].keyword) == ("receive", "publish")
    assert (ops["turnOn"].action, ops["turnOn"].keyword) == ("send", "subscribe")
    assert ops["turnOn"].messages == ("turnOnOff",)
    assert ops["turnOn"].bindings == {"mqtt": {"qos": 1}}  # from the operation trait


def test_2x_and_3x_of_the_same_api_agree():
    v2, v3 = _api("2.6-streetlights-mqtt.yml"), _api("3.1-streetlights-mqtt.yml")
    assert sorted((o.id, o.action) for o in v2.operations) == sorted((o.id, o.action) for o in v3.operations)
    assert sorted(c.address for c in v2.channels) == sorted(c.address for c in v3.channels)
    assert [s.url for s in v2.servers] == [s.url for s in v3.servers] == ["mqtt://test.mosquitto.org:1883"]


def test_headers_are_merged_from_traits():
    api = _api("3.1-streetlights-mqtt.yml")
    msg = api.channel("lightingMeasured").messages[0]
    assert msg.traits == ("commonHeaders",)
    assert [h.name for h in msg.headers] == ["my-app-header"]
    assert msg.headers[0].schema["maximum"] == 100


def test_own_headers_and_trait_headers_both_kept():
    doc = {"asyncapi": "3.0.0", "info": {"title": "t", "version": "1"},
           "channels": {"c": {"address": "c", "messages": {"m": {
               "headers": {"type": "object", "required": ["own"], "properties": {"own": {"type": "string"}}},
               "traits": [{"$ref": "#/components/messageTraits/t"}], "payload": {"type": "string"}}}}},
           "components": {"messageTraits": {"t": {"headers": {"type": "object", "required": ["sig"], "properties": {
               "sig": {"type": "string", "description": "signature"}}}, "correlationId": {"location": "$message.header#/sig"}}}}}
    msg = build_event_api(doc).channels[0].messages[0]
    assert [(h.name, h.required) for h in msg.headers] == [("sig", True), ("own", True)]
    assert msg.correlation_id.location == "$message.header#/sig"


def test_3x_operation_without_messages_means_every_channel_message():
    api = _api("3.0-websocket-gemini.yml")
    (op,) = api.operations
    assert op.messages == tuple(m.key for m in api.channel(op.channel).messages)


def test_security_alternatives_and_scopes():
    api = _api("3.1-streetlights-mqtt.yml")
    (server,) = api.servers
    assert [tuple(s.type for s in option) for option in server.security] == [("apiKey",), ("oauth2",), ("openIdConnect",)]
    oauth = server.security[1][0]
    assert oauth.scopes == ("streetlights:on", "streetlights:off", "streetlights:dim")
    assert [f.kind for f in oauth.flows] == ["implicit", "password", "clientCredentials", "authorizationCode"]
    assert oauth.flows[3].refresh_url == "https://authserver.example/refresh"
    v2 = _api("2.6-streetlights-kafka.yml")
    assert [[s.type for s in o] for s in v2.servers for o in s.security] == [["scramSha256"], ["X509"]]


def test_2x_server_url_is_split():
    api = _api("2.6-slack-rtm.yml")
    (s,) = api.servers
    assert (s.protocol, s.host, s.pathname, s.url) == ("https", "slack.com", "/api/rtm.connect",
                                                        "https://slack.com/api/rtm.connect")


def test_2x_one_of_messages_are_each_a_message():
    api = _api("2.6-slack-rtm.yml")
    (channel,) = api.channels
    assert len(channel.messages) == 47 and channel.messages[1].key == "hello"


def test_request_reply_is_kept():
    api = _api("3.1-rpc-client.yml")
    ops = {o.id: o for o in api.operations}
    assert ops["requestSum"].action == "send" and ops["requestSum"].channel == "rpc_queue"


@pytest.mark.parametrize("kind", SECURITY_TYPES)
def test_every_scheme_type_is_read(kind):
    doc = {"asyncapi": "3.0.0", "info": {"title": "t", "version": "1"},
           "servers": {"s": {"host": "h", "protocol": "kafka", "security": [{"$ref": "#/components/securitySchemes/x"}]}},
           "components": {"securitySchemes": {"x": {"type": kind, "in": "user", "name": "n", "scheme": "bearer",
                                                    "openIdConnectUrl": "https://id/", "flows": {}}}}}
    api = build_event_api(doc)
    ((scheme,),) = api.servers[0].security
    assert scheme.type == kind and scheme.name == "x"
