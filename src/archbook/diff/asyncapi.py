"""AsyncAPI change rules: channels and messages removed or added, payloads changed.

Direction comes from the operations (AsyncAPI 3: `action: send|receive`): a message the
application *sends* is read by clients (compared like a response), one it *receives* is
written by clients (like a request). Payloads are normalised `Schema`s (see
`load.apiset.async_schemas`), keyed "channel message".
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from archbook.diff import schema_checks  # noqa: F401 -- registers the schema check ids
from archbook.diff.change import Change
from archbook.diff.registry import change, define, rule
from archbook.diff.schema import SchemaContext, diff_schema
from archbook.model.api import Schema, resolve_ref

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
    messages: dict[tuple[str, str], str]  # (channel, message) -> direction
    schemas: dict[str, Schema]

    def payload(self, key: tuple[str, str]) -> Schema | None:
        return self.schemas.get(f"{key[0]} {key[1]}")


def _directions(doc: dict) -> dict[str, set[str]]:
    """channel key -> {"response" for messages the app sends, "request" for those it receives}."""
    out: dict[str, set[str]] = {}
    for op in (doc.get("operations") or {}).values():
        op = resolve_ref(doc, op)
        ref = (op.get("channel") or {}).get("$ref", "") if isinstance(op, dict) else ""
        key = ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        out.setdefault(key, set()).add("response" if op.get("action") == "send" else "request")
    return out


def view_asyncapi(doc: dict, schemas: dict[str, Schema]) -> AsyncView:
    dirs = _directions(doc)
    addresses, messages = {}, {}
    for key, chan in (doc.get("channels") or {}).items():
        chan = resolve_ref(doc, chan)
        if not isinstance(chan, dict):
            continue
        addresses[key] = str(chan.get("address") or key)
        # only-received channels are written by clients; sent (or unstated) ones are read by them
        direction = "request" if dirs.get(key) == {"request"} else "response"
        for mkey in chan.get("messages") or {}:
            messages[(key, mkey)] = direction
    return AsyncView(str((doc.get("info") or {}).get("version", "")), addresses, messages, schemas)


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
        direction = new.messages[key]
        ctx = SchemaContext(direction, old.schemas.get, new.schemas.get, memo.setdefault(direction, {}), api=A)
        yield from diff_schema(old.payload(key), new.payload(key), ctx,
                               f"channel {key[0]} message {key[1]} payload", f"{direction}-body")


def diff_asyncapi(old: AsyncView, new: AsyncView) -> list[Change]:
    from archbook.diff.registry import RULES

    return sorted((c for r in RULES.get(A, []) for c in r(old, new)), key=lambda c: c.sort_key)
