"""Read-only views over the OpenAPI 3.1 and AsyncAPI 3.0 documents.

The documents stay plain dicts (their own JSON Schemas validate them); these views give the
renderer and the checklist the few things they need without re-walking the specs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import Field

from archbook.model.base import Strict

__all__ = ["RateLimit", "ErrorCode", "Operation", "WsMessage", "WsChannel", "operations", "ws_channels", "resolve_ref", "HTTP_METHODS"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class RateLimit(Strict):
    """The `x-rate-limit` extension on an OpenAPI operation: `requests` per `window_s` per `scope`."""

    requests: int = Field(gt=0)
    window_s: int = Field(gt=0)
    scope: str = "user"

    def describe(self) -> str:
        unit = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}.get(self.window_s)
        per = f"per {unit}" if unit else f"per {self.window_s} s"
        return f"{self.requests} requests {per} per {self.scope}"


@dataclass(frozen=True)
class ErrorCode:
    """One row of the seed's "Code | Message | Description" table."""

    code: str
    message: str
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str | None
    spec: dict[str, Any]
    path_item: dict[str, Any]
    json_path: tuple = field(default=())

    @property
    def title(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def rate_limit(self) -> RateLimit | None:
        raw = self.spec.get("x-rate-limit")
        return RateLimit.model_validate(raw) if isinstance(raw, dict) else None

    def parameters(self, root: dict) -> list[dict]:
        params = list(self.path_item.get("parameters", [])) + list(self.spec.get("parameters", []))
        return [resolve_ref(root, p) for p in params]

    def security(self, root: dict) -> list[dict]:
        """Effective security requirements: the operation's own, else the document's."""
        if "security" in self.spec:
            return list(self.spec["security"])
        return list(root.get("security", []))

    def status_codes(self) -> list[str]:
        return [str(code) for code in self.spec.get("responses", {})]

    def error_codes(self, root: dict) -> list[ErrorCode]:
        """Rows of the error table, from each 4xx/5xx response (in document order).

        Convention: each JSON example of an error response is one message -- its `summary` is the
        Message, its `description` says when it happens. A response without examples gives one row
        from its own `description`.
        """
        rows = []
        for code, response in (self.spec.get("responses") or {}).items():
            if str(code)[:1] not in ("4", "5"):
                continue
            response = resolve_ref(root, response)
            examples = []
            for media in (response.get("content") or {}).values():
                examples = [resolve_ref(root, ex) for ex in (media.get("examples") or {}).values()]
                if examples:
                    break
            if not examples:
                rows.append(ErrorCode(str(code), str(response.get("description", "")), ""))
            for ex in examples:
                rows.append(ErrorCode(str(code), str(ex.get("summary", "")), str(ex.get("description", ""))))
        return rows


@dataclass(frozen=True)
class WsMessage:
    name: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class WsChannel:
    name: str
    address: str
    spec: dict[str, Any]
    messages: list[WsMessage]
    server: dict[str, Any] | None


def resolve_ref(root: dict, node: Any, _depth: int = 0) -> Any:
    """Follow a local `$ref` (`#/a/b`) once or repeatedly; other nodes pass through."""
    while isinstance(node, dict) and "$ref" in node and _depth < 32:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: Any = root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                return node
            target = target[part]
        node, _depth = target, _depth + 1
    return node


def operations(openapi: dict | None) -> list[Operation]:
    if not openapi:
        return []
    out = []
    for path, item in (openapi.get("paths") or {}).items():
        item = resolve_ref(openapi, item)
        for method in HTTP_METHODS:
            if isinstance(item, dict) and method in item:
                spec = item[method]
                out.append(Operation(method, path, spec.get("operationId"), spec, item, ("paths", path, method)))
    return out


def ws_channels(asyncapi: dict | None) -> list[WsChannel]:
    if not asyncapi:
        return []
    servers = asyncapi.get("servers") or {}
    out = []
    for name, channel in (asyncapi.get("channels") or {}).items():
        channel = resolve_ref(asyncapi, channel)
        msgs = [WsMessage(k, resolve_ref(asyncapi, v)) for k, v in (channel.get("messages") or {}).items()]
        server = None
        for ref in channel.get("servers", []) or []:
            server = resolve_ref(asyncapi, ref)
            break
        if server is None and len(servers) == 1:
            server = resolve_ref(asyncapi, next(iter(servers.values())))
        out.append(WsChannel(name, channel.get("address") or name, channel, msgs, server))
    return out
