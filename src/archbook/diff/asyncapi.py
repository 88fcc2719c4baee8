"""AsyncAPI change rules: channels and messages removed or added, payloads changed.

Direction comes from the operations: a message the application *sends* is read by clients
(compared like a response), one it *receives* is written by clients (like a request).
AsyncAPI 3 (`operations`, `action: send|receive`) and 2.x (`subscribe`/`publish`) are read.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from archbook.diff import schema_checks  # noqa: F401 -- registers the schema check ids
from archbook.diff.change import Change
from archbook.diff.registry import change, define, rule
from archbook.diff.schema import SchemaContext, diff_schema
from archbook.model.api import resolve_ref

__all__ = ["AsyncView", "view_asyncapi", "diff_asyncapi"]

A = "asyncapi"
define("channel-removed", "breaking", A, "channel removed", "stop using the channel", oasdiff=False)
define("channel-added", "info", A, "new channel", oasdiff=False)
define("channel-address-changed", "breaking", A, "channel moved to a new address", "connect to the new address",
       oasdiff=False)
define("channel-message-removed", "breaking", A, "a message type is no longer carried by a channel",
       "stop sending it, or stop waiting for it", oasdiff=False)
define("channel-message-added", "warning", A, "a channel carries a new message type",
       "ignore or handle the new message type", oasdiff=False)


@dataclass(frozen=True)
class AsyncView:
    version: str
    addresses: dict[str, str]  # channel key -> address
    messages: dict[tuple[str, str], tuple[str, object]]  # (channel, message) -> (direction, payload)
    doc: dict

    def resolve(self, node):
        return resolve_ref(self.doc, node)


def _directions(doc: dict) -> dict[str, set[str]]:
    """channel key -> {"response" for messages the app sends, "request" for those it receives}."""
    out: dict[str, set[str]] = {}
    for op in (doc.get("operations") or {}).values():
        op = resolve_ref(doc, op)
        ref = (op.get("channel") or {}).get("$ref", "") if isinstance(op, dict) else ""
        key = ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        out.setdefault(key, set()).add("response" if op.get("action") == "send" else "request")
    return out


def view_asyncapi(doc: dict) -> AsyncView:
    dirs = _directions(doc)
    addresses, messages = {}, {}
    for key, chan in (doc.get("channels") or {}).items():
        chan = resolve_ref(doc, chan)
        if not isinstance(chan, dict):
            continue
        addresses[key] = str(chan.get("address") or key)
        for mkey, msg, direction in _channel_messages(doc, chan, dirs.get(key)):
            messages[(key, mkey)] = (direction, (msg or {}).get("payload", {}))
    return AsyncView(str((doc.get("info") or {}).get("version", "")), addresses, messages, doc)


def _channel_messages(doc: dict, chan: dict, dirs: set[str] | None):
    if "messages" in chan:  # AsyncAPI 3
        direction = "request" if dirs == {"request"} else "response"
        for mkey, msg in (chan.get("messages") or {}).items():
            yield mkey, resolve_ref(doc, msg), direction
        return
    for verb, direction in (("subscribe", "response"), ("publish", "request")):  # AsyncAPI 2.x
        op = chan.get(verb)
        if isinstance(op, dict):
            msg = resolve_ref(doc, op.get("message") or {})
            for i, m in enumerate(msg.get("oneOf") or [msg]):
                m = resolve_ref(doc, m)
                yield str(m.get("name") or op.get("operationId") or f"{verb}[{i}]"), m, direction


@rule(A)
def channels(old: AsyncView, new: AsyncView) -> Iterator[Change]:
    for key in old.addresses.keys() - new.addresses.keys():
        yield change("channel-removed", f"channel {key}", f"channel {key} ({old.addresses[key]}) removed")
    for key in new.addresses.keys() - old.addresses.keys():
        yield change("channel-added", f"channel {key}", f"channel {key} ({new.addresses[key]}) added")
    for key in old.addresses.keys() & new.addresses.keys():
        if old.addresses[key] != new.addresses[key]:
            yield change("channel-address-changed", f"channel {key}", f"address {old.addresses[key]} -> {new.addresses[key]}")


@rule(A)
def messages(old: AsyncView, new: AsyncView) -> Iterator[Change]:
    for key in old.messages.keys() - new.messages.keys():
        if key[0] in new.addresses:
            yield change("channel-message-removed", f"channel {key[0]} message {key[1]}", f"message {key[1]} removed")
    for key in new.messages.keys() - old.messages.keys():
        if key[0] in old.addresses:
            yield change("channel-message-added", f"channel {key[0]} message {key[1]}", f"message {key[1]} added")


@rule(A)
def payloads(old: AsyncView, new: AsyncView) -> Iterator[Change]:
    memo: dict = {}
    for key in [k for k in old.messages if k in new.messages]:
        direction = new.messages[key][0]
        ctx = SchemaContext(direction, old.resolve, new.resolve, memo.setdefault(direction, {}), api=A)
        yield from diff_schema(old.messages[key][1], new.messages[key][1], ctx,
                               f"channel {key[0]} message {key[1]} payload", f"{direction}-body")


def diff_asyncapi(old: AsyncView, new: AsyncView) -> list[Change]:
    from archbook.diff.registry import RULES

    return sorted((c for r in RULES.get(A, []) for c in r(old, new)), key=lambda c: c.sort_key)
