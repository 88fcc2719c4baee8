"""AsyncAPI change rules: channels and messages removed or added, payloads changed.

Direction comes from the operations (`action: send|receive`, 2.x inverted by the model): a message the
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
from archbook.diff.schema import SchemaContext, Unchanged, diff_schema
from archbook.model.api import Schema
from archbook.model.asyncapi import EventApi

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


def view_asyncapi(api: EventApi, schemas: dict[str, Schema]) -> AsyncView:
    actions: dict[str, set[str]] = {}
    for op in api.operations:
        actions.setdefault(op.channel, set()).add(op.action)
    addresses, messages = {}, {}
    for chan in api.channels:
        addresses[chan.key] = chan.address or chan.key
        # only-received channels are written by clients; sent (or unstated) ones are read by them
        direction = "request" if actions.get(chan.key) == {"receive"} else "response"
        for msg in chan.messages:
            messages[(chan.key, msg.key)] = direction
    return AsyncView(api.api_version, addresses, messages, schemas)


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
    same = Unchanged(old.schemas, new.schemas)
    for key in [k for k in old.messages if k in new.messages]:
        direction = new.messages[key]
        ctx = SchemaContext(direction, old.schemas.get, new.schemas.get, memo.setdefault(direction, {}), api=A,
                            unchanged=same)
        yield from diff_schema(old.payload(key), new.payload(key), ctx,
                               f"channel {key[0]} message {key[1]} payload", f"{direction}-body")


def diff_asyncapi(old: AsyncView, new: AsyncView) -> list[Change]:
    from archbook.diff.registry import RULES

    return sorted((c for r in RULES.get(A, []) for c in r(old, new)), key=lambda c: c.sort_key)
