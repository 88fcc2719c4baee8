"""Connection snippets per protocol: what a reader types to talk to one AsyncAPI channel.

Written from the reader's (the other party's) side: when the application sends on a channel,
the reader subscribes or consumes; when it receives, the reader publishes. Only standard,
widely installed clients are used: the browser WebSocket API, HTTP, mosquitto_sub/_pub (MQTT),
kcat (Kafka), amqp-consume/amqp-publish from amqp-tools (AMQP 0-9-1), the nats CLI (NATS).
Other protocols get no snippet: their connection facts table says it all.
"""
from __future__ import annotations

import re
import shlex
from typing import Any

from archbook.model.asyncapi import Channel, SecurityScheme

__all__ = ["ws_snippet", "webhook_snippet", "broker_snippet"]


def ws_snippet(url: str) -> str:
    """The seed's browser connection snippet for a WebSocket channel."""
    return (f"const ws = new WebSocket(\n  `{url}`\n);\n\nws.onopen = () => {{\n  console.log('Connected');\n}};\n\n"
            "ws.onmessage = (event) => {\n  const update = JSON.parse(event.data);\n  console.log('Update:', update);\n};\n\n"
            "ws.onerror = (error) => {\n  console.error('WebSocket error:', error);\n};\n\n"
            "ws.onclose = () => {\n  console.log('Connection closed');\n};")


def webhook_snippet(host: str, address: str, schemes: list[SecurityScheme], example: str | None) -> str:
    """What one delivery looks like on the wire, for HTTP(S) channels."""
    headers = [f"Host: {host}", "Content-Type: application/json"]
    for s in schemes:
        if s.type in ("httpApiKey", "apiKey") and s.location == "header":
            headers.append(f"{s.param_name or 'X-Signature'}: <signature>")
        elif s.type == "http" and (s.scheme or "").lower() == "basic":
            headers.append("Authorization: Basic <user:password, base64>")
        elif s.type in ("http", "oauth2", "openIdConnect"):
            headers.append("Authorization: Bearer <token>")
    if any(s.type == "httpApiKey" and s.location == "query" for s in schemes):
        key = next(s.param_name for s in schemes if s.type == "httpApiKey" and s.location == "query")
        address += f"?{key}=<api-key>"
    return f"POST {address} HTTP/1.1\n" + "\n".join(headers) + "\n\n" + (example or "{}")


def _host_port(channel: Channel, default_port: int) -> tuple[str, int]:
    server = channel.server
    host = server.resolved_host if server else "localhost"
    name, _, port = host.rpartition(":") if ":" in host else (host, "", "")
    return name, int(port) if port.isdigit() else default_port


def _one_line(example: str | None) -> str:
    """A JSON example on one line, for a shell argument."""
    return " ".join((example or "{}").split())


def _mqtt(channel: Channel, sends: bool, schemes: list[SecurityScheme], example: str | None) -> str:
    host, port = _host_port(channel, 1883)
    topic = channel.address or "#"
    args = [f"-h {host}", f"-p {port}"]
    qos = next((b.get("qos") for op in channel.operations for b in [op.bindings.get("mqtt") or {}]
                if isinstance(b, dict) and "qos" in b), None)
    if any(s.type in ("userPassword", "apiKey") for s in schemes):
        user = "$API_KEY" if any(s.type == "apiKey" and s.location == "user" for s in schemes) else "$MQTT_USER"
        args.append(f'-u "{user}"' + ("" if user == "$API_KEY" else ' -P "$MQTT_PASSWORD"'))
    if any(s.type == "X509" for s in schemes) or port == 8883:
        args.append("--cafile ca.crt" + (" --cert client.crt --key client.key" if any(s.type == "X509" for s in schemes) else ""))
    if qos is not None:
        args.append(f"-q {qos}")
    if sends:
        return f"mosquitto_sub {' '.join(args)} -t {shlex.quote(re.sub(r'{[^}]*}', '+', topic))} -v"
    return f"mosquitto_pub {' '.join(args)} -t {shlex.quote(topic)} -m {shlex.quote(_one_line(example))}"


def _kafka(channel: Channel, sends: bool, schemes: list[SecurityScheme], example: str | None, tls: bool) -> str:
    host, port = _host_port(channel, 9092)
    args = [f"-b {host}:{port}"]
    sasl = {"plain": "PLAIN", "scramSha256": "SCRAM-SHA-256", "scramSha512": "SCRAM-SHA-512", "gssapi": "GSSAPI"}
    mech = next((sasl[s.type] for s in schemes if s.type in sasl), None)
    x509 = any(s.type == "X509" for s in schemes)
    if mech:
        args.append(f"-X security.protocol={'SASL_SSL' if tls else 'SASL_PLAINTEXT'} -X sasl.mechanisms={mech}")
        if mech != "GSSAPI":
            args.append('-X sasl.username="$KAFKA_USER" -X sasl.password="$KAFKA_PASSWORD"')
    elif x509 or tls:
        args.append("-X security.protocol=SSL" + (" -X ssl.certificate.location=client.crt -X ssl.key.location=client.key"
                                                 if x509 else ""))
    topic = shlex.quote(channel.address or "<topic>")
    group = next((b.get("groupId") for op in channel.operations for b in [op.bindings.get("kafka") or {}]
                  if isinstance(b, dict) and isinstance(b.get("groupId"), dict)), None)
    if sends:
        group_id = (group or {}).get("enum", [None])[0] if group else None
        return f"kcat {' '.join(args)} -C -t {topic}" + (f" -X group.id={shlex.quote(str(group_id))}" if group_id else "")
    return f"echo {shlex.quote(_one_line(example))} | kcat {' '.join(args)} -P -t {topic}"


def _amqp(channel: Channel, sends: bool, example: str | None, proto: str) -> str:
    host, port = _host_port(channel, 5671 if proto == "amqps" else 5672)
    url = f'{proto}://"$AMQP_USER":"$AMQP_PASSWORD"@{host}:{port}'
    binding = channel.bindings.get("amqp") if isinstance(channel.bindings.get("amqp"), dict) else {}
    exchange = (binding.get("exchange") or {}).get("name") if isinstance(binding.get("exchange"), dict) else None
    queue = (binding.get("queue") or {}).get("name") if isinstance(binding.get("queue"), dict) else None
    name = channel.address or "<queue>"
    if sends:
        target = f"-q {shlex.quote(str(queue or name))}" if binding.get("is") != "routingKey" or queue else \
            f"-e {shlex.quote(str(exchange or 'amq.topic'))} -r {shlex.quote(name)}"
        return f"amqp-consume --url {url} {target} cat"
    target = (f"-e {shlex.quote(str(exchange))} " if exchange else "") + f"-r {shlex.quote(name)}"
    return f"amqp-publish --url {url} {target} -b {shlex.quote(_one_line(example))}"


def _nats(channel: Channel, sends: bool, example: str | None) -> str:
    host, port = _host_port(channel, 4222)
    subject = channel.address or ">"
    if sends:
        return f"nats --server nats://{host}:{port} sub {shlex.quote(re.sub(r'{[^}]*}', '*', subject))}"
    return f"nats --server nats://{host}:{port} pub {shlex.quote(subject)} {shlex.quote(_one_line(example))}"


def broker_snippet(channel: Channel, proto: str, options: tuple, example: str | None) -> tuple[str, str]:
    """(snippet, language) for a broker channel; one command per direction the application uses."""
    schemes = [s for option in options[:1] for s in option]  # the first listed way to authenticate
    actions = list(dict.fromkeys(op.action for op in channel.operations)) or ["send"]
    lines = []
    for action in actions:
        sends = action == "send"
        comment = "# the application publishes here: subscribe" if sends else "# the application consumes here: publish"
        cmd: Any = None
        if proto in ("mqtt", "mqtts", "secure-mqtt"):
            cmd = _mqtt(channel, sends, schemes, example)
        elif proto in ("kafka", "kafka-secure"):
            cmd = _kafka(channel, sends, schemes, example, proto == "kafka-secure")
        elif proto in ("amqp", "amqps"):
            cmd = _amqp(channel, sends, example, proto)
        elif proto == "nats":
            cmd = _nats(channel, sends, example)
        if cmd:
            lines += [comment, cmd]
    return ("\n".join(lines), "sh") if lines else ("", "")
