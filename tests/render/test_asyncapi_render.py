"""AsyncAPI rendering on real documents: nothing dropped, protocol-true snippets, correct security words."""
from __future__ import annotations

from pathlib import Path

import pytest
import sample_systems
import yaml

from archbook.model.asyncapi import SecurityScheme
from archbook.render import markdown as md
from archbook.render.asyncapi_views import describe_security
from archbook.render.cards import asyncapi_doc

DATA = Path(__file__).resolve().parents[1] / "data" / "asyncapi"
REAL = sorted(DATA.glob("*.yml"))


def _doc(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text())


def _render(doc: dict) -> str:
    return asyncapi_doc(sample_systems.mini().model_copy(update={"asyncapi": doc}))


def _resolve(doc, node):
    """Follow local `$ref`s (the test's own, deliberately simple resolver)."""
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _raw_messages(doc: dict):
    """Every message of every channel, read straight from the document (not through archbook's model)."""
    for name, channel in (doc.get("channels") or {}).items():
        channel = _resolve(doc, channel)
        if str(doc["asyncapi"]).startswith("3."):
            yield from (_resolve(doc, m) for m in (channel.get("messages") or {}).values())
            continue
        for keyword in ("publish", "subscribe"):
            msg = _resolve(doc, (channel.get(keyword) or {}).get("message"))
            for m in (msg.get("oneOf") if isinstance(msg, dict) and "oneOf" in msg else [msg]) if msg else []:
                yield _resolve(doc, m)


def _raw_headers(doc: dict, msg: dict) -> list[str]:
    names = list((_resolve(doc, msg.get("headers") or {}).get("properties") or {}))
    for trait in msg.get("traits") or []:
        names += list((_resolve(doc, _resolve(doc, trait).get("headers") or {}).get("properties") or {}))
    return names


def _shown(text: str, out: str) -> bool:
    return str(text) in out or str(md.text(text)) in out or str(md.cell(text)) in out


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_nothing_is_dropped(path):
    """Walk the raw document: every server, channel, operation, message and header is in the output."""
    doc = yaml.safe_load(path.read_text())
    out = _render(doc)
    assert f"AsyncAPI {doc['asyncapi']} document" in out
    for name, server in (doc.get("servers") or {}).items():
        assert _shown(name, out), name
        assert _shown(server.get("host") or server.get("url"), out), name
    for key, channel in (doc.get("channels") or {}).items():
        channel = _resolve(doc, channel)
        assert _shown(channel.get("address") or key, out), key
        for keyword in ("publish", "subscribe"):
            if keyword in channel:
                assert _shown(channel[keyword].get("operationId") or f"{keyword} {key}", out)
        for pname in channel.get("parameters") or {}:
            assert f"`{pname}`" in out
    for op_id, op in (doc.get("operations") or {}).items():
        assert _shown(op_id, out), op_id
        for key in ("title", "summary", "description"):
            if isinstance(op.get(key), str):
                assert _shown(" ".join(op[key].split()), out), (key, op[key])
    for msg in _raw_messages(doc):
        label = msg.get("title") or msg.get("name")
        if label:
            assert f"*{md.text(label)}*" in out, label
        for key in ("name", "messageId", "summary", "description"):
            if isinstance(msg.get(key), str):
                assert _shown(" ".join(msg[key].split()), out), (key, msg[key])
        for header in _raw_headers(doc, msg):
            assert _shown(header, out), header
    for name in ((doc.get("components") or {}).get("securitySchemes") or {}):
        assert f"| {md.cell(name)} |" in out, name


def test_mqtt_channel_gets_mosquitto_not_a_websocket():
    out = _render(_doc("3.1-streetlights-mqtt.yml"))
    assert "new WebSocket" not in out and "#### MQTT: lightingMeasured" in out
    assert "| Broker | test.mosquitto.org:1883 |" in out and "| Topic | smartylighting/streetlights/1/0/event/" in out
    assert "| Operation turnOn binding mqtt.qos | 1 |" in out
    assert "mosquitto_sub -h test.mosquitto.org -p 1883 -u \"$API_KEY\" -q 1 -t smartylighting/streetlights/1/0/action/+/turn/on -v" in out
    assert "mosquitto_pub -h test.mosquitto.org -p 1883 -u \"$API_KEY\" -q 1 -t 'smartylighting/streetlights/1/0/event/<streetlightId>/lighting/measured'" in out


def test_kafka_channel_gets_kcat_with_its_sasl_mechanism():
    out = _render(_doc("2.6-streetlights-kafka.yml"))
    assert "new WebSocket" not in out and "#### Kafka: " in out
    assert ("kcat -b test.mykafkacluster.org:18092 -X security.protocol=SASL_SSL -X sasl.mechanisms=SCRAM-SHA-256 "
            '-X sasl.username="$KAFKA_USER"') in out
    assert "| Broker (mtls-connections) | test.mykafkacluster.org:28092 |" in out
    assert "| Operation receiveLightMeasurement binding kafka.clientId | my-app-id |" in out


def test_amqp_channel_gets_amqp_tools_and_its_queue():
    out = _render(_doc("3.1-rpc-client.yml"))
    assert "new WebSocket" not in out and "#### AMQP: " in out
    url = 'amqp://"$AMQP_USER":"$AMQP_PASSWORD"@rabbitmq.example.org:5672'
    assert f"# the application publishes here: subscribe\namqp-consume --url {url} -q rpc_queue cat" in out
    assert f"# the application consumes here: publish\namqp-publish --url {url} -r '<queue>' -b '{{ \"result\": 7 }}'" in out
    assert "| Channel binding amqp.is | queue |" in out
    assert "- Correlation ID: `$message.header#/correlation_id`" in out


def test_websocket_channel_keeps_the_browser_snippet():
    out = _render(_doc("2.6-websocket-gemini.yml"))
    assert "### WebSocket API" in out and "#### WebSocket: " in out
    assert "new WebSocket(\n  `wss://api.gemini.com/v1/marketdata/${symbol}`" in out
    assert "*Channel binding ws.query:*" in out and "heartbeat?: boolean;" in out


def test_http_channel_is_a_delivery_not_a_websocket():
    out = _render(_doc("3.1-gitter-streaming.yml"))
    assert "new WebSocket" not in out and "POST /v1/rooms/{roomId}/{resource} HTTP/1.1\nHost: stream.gitter.im" in out
    assert "Authorization: Bearer <token>" in out and '"text": "' in out  # example synthesised from the YAML schema


def test_security_alternatives_are_marked_as_alternatives():
    out = _render(_doc("3.1-streetlights-mqtt.yml"))
    assert ("**Authentication:** one of: (1) API key sent as the user name; (2) OAuth 2.0 (implicit, password, "
            "client credentials, authorization code flows; scopes required: streetlights:on, streetlights:off, "
            "streetlights:dim); (3) OpenID Connect") in out
    assert "| apiKey | apiKey | API key sent as the user name | Provide your API key" in out
    assert "token URL https://authserver.example/token" in out and "refresh URL https://authserver.example/refresh" in out
    assert "API key in user ?" not in out


@pytest.mark.parametrize("kind, extra, words", [
    ("userPassword", {}, "User name and password"),
    ("apiKey", {"location": "user"}, "API key sent as the user name"),
    ("apiKey", {"location": "password"}, "API key sent as the password"),
    ("X509", {}, "X.509 client certificate"),
    ("symmetricEncryption", {}, "Symmetric encryption (shared key)"),
    ("asymmetricEncryption", {}, "Asymmetric encryption (public/private key pair)"),
    ("httpApiKey", {"location": "header", "param_name": "X-Key"}, "API key in header X-Key"),
    ("httpApiKey", {"location": "query", "param_name": "token"}, "API key in query parameter token"),
    ("httpApiKey", {"location": "cookie", "param_name": "sid"}, "API key in cookie sid"),
    ("http", {"scheme": "basic"}, "HTTP Basic authentication"),
    ("http", {"scheme": "bearer", "bearer_format": "JWT"}, "Bearer token (JWT)"),
    ("oauth2", {"scopes": ("a",)}, "OAuth 2.0 (scopes required: a)"),
    ("openIdConnect", {"open_id_connect_url": "https://id/.well-known"}, "OpenID Connect (discovery: https://id/.well-known)"),
    ("plain", {}, "SASL/PLAIN (user name and password)"),
    ("scramSha256", {}, "SASL/SCRAM-SHA-256 (user name and password)"),
    ("scramSha512", {}, "SASL/SCRAM-SHA-512 (user name and password)"),
    ("gssapi", {}, "SASL/GSSAPI (Kerberos)"),
])
def test_every_scheme_type_in_words(kind, extra, words):
    assert describe_security(SecurityScheme(name="s", type=kind, **extra)) == words


def test_message_headers_from_traits_are_shown():
    out = _render(_doc("3.1-streetlights-kafka.yml"))
    assert "- Traits applied: commonHeaders" in out
    assert "- Headers (my-app-header):\n\n```typescript\n{\n  \"my-app-header\"?: number; // 0-100\n}\n```" in out


def test_2x_operations_name_their_keyword():
    out = _render(_doc("2.6-streetlights-mqtt.yml"))
    assert "- turnOn: the application sends Turn on/off (AsyncAPI 2 subscribe)" in out
    assert "- receiveLightMeasurement: the application receives Light measured (AsyncAPI 2 publish)" in out


def test_hostile_text_in_asyncapi_is_escaped():
    doc = _doc("3.1-rpc-client.yml")
    doc["info"]["description"] = "<script>alert(1)</script> [x](javascript:alert(1))"
    doc["channels"]["rpc_queue"]["description"] = "# heading <img src=x onerror=alert(1)>"
    doc["channels"]["rpc_queue"]["messages"]["requestSum"]["title"] = "*bold* `code`"
    out = _render(doc)
    assert "<script>" not in out and "<img" not in out and "&lt;script&gt;" in out
    assert r"\[x\](javascript:alert(1))" in out and "**Purpose:** # heading\n" in out  # user Markdown, one line; nh3 drops the <img>
    assert r"*\*bold\* \`code\`*" in out


def test_large_real_document_renders_every_message():
    out = _render(_doc("3.1-slack-rtm.yml"))
    assert out.count("\n*") >= 47 * 2  # each message: its format and its example
    assert "#### Webhook: root" in out or "#### Webhook: " in out


def _paths(node, path=()):
    yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        yield from _paths(v, path + (k,))


def test_any_schema_valid_mutation_renders_without_a_traceback():
    """Real documents with 1-3 random values swapped: whatever the official schema accepts, archbook renders."""
    import copy
    import random

    from archbook.load.asyncapi import check_asyncapi
    from archbook.load.asyncapi_coverage import unrendered_problems
    from archbook.load.yamlsrc import LineMap

    rng = random.Random(2)
    docs = [yaml.safe_load(p.read_text()) for p in REAL if p.stat().st_size < 20000]
    values = [None, True, 0, 1.5, "", "x{y}", [], {}, {"type": "object"}, [1, "a"], {"$ref": "#/info"}, "`<b>*"]
    rendered = 0
    for _ in range(300):
        doc = copy.deepcopy(rng.choice(docs))
        for _ in range(rng.randint(1, 3)):
            *parent, last = rng.choice([p for p in _paths(doc) if p])
            target = doc
            for part in parent:
                target = target[part]
            target[last] = copy.deepcopy(rng.choice(values))
        if check_asyncapi(doc, "asyncapi.yaml", LineMap(1)):
            continue
        unrendered_problems(doc, "asyncapi.yaml", LineMap(1))
        assert "AsyncAPI" in _render(doc)
        rendered += 1
    assert rendered > 20


def test_without_a_server_the_bindings_name_the_protocol():
    out = _render(_doc("3.1-operation-security.yml"))  # no servers; the operation has an http binding
    assert "#### Webhook: authRevoke" in out and "new WebSocket" not in out
    assert "POST /AUTHORIZATION_REVOCATION HTTP/1.1\nHost: <host>" in out


def test_without_server_or_bindings_no_protocol_is_invented():
    doc = yaml.safe_load((DATA / "refused" / "3.0-kraken-websocket-request-reply-multiple-channels.yml").read_text())
    out = _render(doc)
    assert "#### Channel: ping" in out and "**Endpoint:** `address / (no server documented)`" in out
    assert "new WebSocket" not in out and "**Connection:**" not in out


def test_kafka_consumer_group_is_joined():
    doc = _doc("3.1-streetlights-kafka.yml")
    doc["operations"]["turnOn"]["bindings"] = {"kafka": {"groupId": {"type": "string", "enum": ["lights-ops"]}}}
    out = _render(doc)
    assert "-G lights-ops 'smartylighting.streetlights.1.0.action.<streetlightId>.turn.on'" in out
    assert "| Operation turnOn binding kafka.groupId | lights-ops |" in out
