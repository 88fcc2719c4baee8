"""Nothing silently dropped: warnings for what an AsyncAPI document holds but the document does not show.

The renderer shows servers, channels, operations, messages (headers, traits, correlation ids,
examples, bindings) and every security scheme. It does not show specification extensions
(`x-...`), `tags`, `externalDocs`, `info.contact`/`license`/`termsOfService`, nor component
messages that no channel uses. Each of those gets one warning per kind, located at its first use.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from archbook.apis.asyncapi import UNRENDERED_KEYS, build_event_api
from archbook.errors import Problem
from archbook.load.diagnose import dotted
from archbook.load.jsonrefs import line_of
from archbook.load.yamlsrc import LineMap

__all__ = ["unrendered_problems", "unrendered_paths"]

# Mappings whose keys are names the user chose (a property called `tags` is not the `tags` keyword).
_NAMED = {"properties", "patternProperties", "definitions", "$defs", "schemas", "messages", "channels", "servers",
          "parameters", "variables", "securitySchemes", "operations", "messageTraits", "operationTraits",
          "correlationIds", "serverVariables", "serverBindings", "channelBindings", "operationBindings",
          "messageBindings", "replies", "replyAddresses", "externalDocs", "tags", "availableScopes", "scopes",
          "dependentSchemas", "dependentRequired", "headers_by_name"}
# Values that are user data, not document structure.
_DATA = {"examples", "example", "default", "enum", "const", "bindings"}


def _walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, key) of every extension and unrendered keyword in the document's structure."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, path + (i,))
        return
    if not isinstance(node, dict):
        return
    named = bool(path) and path[-1] in _NAMED and not (len(path) >= 2 and path[-2] in _NAMED)
    for key, value in node.items():
        key = str(key)
        if named:
            yield from _walk(value, path + (key,))
            continue
        if key.startswith("x-") or key in UNRENDERED_KEYS:
            yield path + (key,), key
        elif key not in _DATA:
            yield from _walk(value, path + (key,))


def _unused_messages(doc: dict) -> list[tuple[tuple, str]]:
    """Component messages that no channel shows (2.x and 3.x), as (path, name)."""
    comps = (doc.get("components") or {}).get("messages") if isinstance(doc.get("components"), dict) else None
    if not isinstance(comps, dict):
        return []
    api = build_event_api(doc)
    shown = {(m.key, m.name) for ch in api.channels for m in ch.messages}
    used = {k for pair in shown for k in pair}
    return [(("components", "messages", k), str(k)) for k, m in comps.items()
            if k not in used and not (isinstance(m, dict) and m.get("name") in used)]


def unrendered_paths(doc: dict) -> dict[str, list[tuple]]:
    """What is not rendered: a label (`x-foo`, `tags`, `component message X`) -> every path where it occurs."""
    out: dict[str, list[tuple]] = {}
    for path, key in _walk(doc):
        out.setdefault(key, []).append(path)
    for path, name in _unused_messages(doc):
        out.setdefault(f"component message `{name}` (used by no channel)", []).append(path)
    return out


def unrendered_problems(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    """One warning per kind of unrendered content, at its first occurrence."""
    out = []
    for label, paths in unrendered_paths(doc).items():
        what = label if label.startswith("component message") else f"`{label}`"
        where = f" (first at {dotted(paths[0])})" if len(paths) > 1 else ""
        many = f" on {len(paths)} objects" if len(paths) > 1 else f" at {dotted(paths[0])}"
        out.append(Problem(file, line_of(lines, paths[0]), dotted(paths[0]),
                           f"{what}{many} is not rendered{where}",
                           "the generated document does not show it; move what readers need into a description",
                           severity="warning"))
    return out
