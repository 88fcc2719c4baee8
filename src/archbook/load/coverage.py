"""Diagnosing stage: what an OpenAPI document says that the rendered document will not show.

Nothing is dropped silently: every `x-*` extension (except those archbook renders) and each
known unrendered field becomes one warning naming it and where it is, grouped per key so a
300-operation document gives a readable list, e.g. "x-codeSamples on POST /pets (and 41 more
places) is not rendered".
"""
from __future__ import annotations

from typing import Any

from archbook.errors import Problem
from archbook.load.jsonrefs import line_of
from archbook.load.yamlsrc import LineMap
from archbook.model.api import HTTP_METHODS

__all__ = ["RENDERED_EXTENSIONS", "unrendered"]

# Extensions the endpoint template shows (keep in step with render/http_views.py).
RENDERED_EXTENSIONS = {"x-rate-limit"}
# Standard fields the document does not show.
_FIELDS = {("info", "contact"): "the API's contact", ("info", "license"): "the API's licence",
           ("info", "termsOfService"): "the terms of service", ("externalDocs",): "the API's external docs"}
_SCHEMA_ONLY = {"xml": "XML naming of schema properties"}


def _where(path: tuple) -> str:
    """'POST /pets' for anything under an operation, else the dotted path."""
    if len(path) >= 3 and path[0] in ("paths", "webhooks") and path[2] in HTTP_METHODS:
        return f"{str(path[2]).upper()} {path[1]}"
    if path and path[0] == "components" and len(path) >= 3:
        return f"components.{path[1]}.{path[2]}"
    return ".".join(str(p) for p in path) or "the document"


def _walk(node: Any, path: tuple, found: dict[str, list[tuple]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("x-"):
                if key not in RENDERED_EXTENSIONS:
                    found.setdefault(key, []).append(path + (key,))
                continue  # an extension's own content is opaque data
            if key in _SCHEMA_ONLY and isinstance(value, dict) and "schema" not in node:
                found.setdefault(key, []).append(path + (key,))
            if key in ("example", "examples", "default", "enum", "const", "value"):
                continue
            _walk(value, path + (key,), found)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, path + (i,), found)


def unrendered(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    """One warning per unrendered key (with its first place and how many more)."""
    found: dict[str, list[tuple]] = {}
    _walk(doc, (), found)
    out = []
    for key, paths in found.items():
        places = list(dict.fromkeys(_where(p[:-1]) for p in paths))
        more = f" (and {len(places) - 1} more place{'s' if len(places) > 2 else ''})" if len(places) > 1 else ""
        what = _SCHEMA_ONLY.get(key, key)
        out.append(Problem(file, line_of(lines, paths[0]), ".".join(map(str, paths[0])),
                           f"{what} on {places[0]}{more} is not rendered",
                           "it stays in the source document; nothing in the rendered section shows it",
                           severity="warning"))
    for path, what in _FIELDS.items():
        node: Any = doc
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            out.append(Problem(file, line_of(lines, path), ".".join(path), f"{what} (`{'.'.join(path)}`) is not rendered",
                               "it stays in the source document", severity="warning"))
    return out
