"""Read JSON with line marks, lazily: API documents are often large JSON files.

The data comes from orjson (fast, JSON is already the data model: no YAML 1.1 surprises). The
`path -> line` map is only built when an error needs a line, by one scan of the text; a valid
1 MB document therefore pays nothing for it.
"""
from __future__ import annotations

import bisect
import json
import re
from typing import Any

from archbook.errors import Problem
from archbook.load.yamlsrc import LineMap, YamlSyntaxError

__all__ = ["parse_json_with_lines", "JsonLineMap"]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|-?\d[\d.eE+-]*|true|false|null')


class JsonLineMap(LineMap):
    """A LineMap whose entries are computed from the JSON text on first use."""

    def __init__(self, text: str):
        super().__init__(1)
        self._text: str | None = text

    def _ensure(self) -> None:
        if self._text is not None:
            text, self._text = self._text, None
            _scan(text, self)

    def __call__(self, path):
        self._ensure()
        return super().__call__(path)

    def __contains__(self, path) -> bool:
        self._ensure()
        return super().__contains__(path)

    def nearest(self, path):
        self._ensure()
        return super().nearest(path)


def _scan(text: str, lines: LineMap) -> None:
    """One pass over the tokens with a stack of open containers, recording where each key/item starts."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    stack: list[list] = []  # [is_object, path, key or index, expecting_key]
    for m in _TOKEN.finditer(text):
        tok = m.group()
        top = stack[-1] if stack else None
        if tok in (",", ":"):
            if top is not None and top[0] and tok == ",":
                top[3] = True
            continue
        if tok in ("}", "]"):
            stack.pop() if stack else None
            continue
        line = bisect.bisect_right(newlines, m.start()) + 1
        if top is not None and top[0] and top[3]:  # an object key
            top[2] = json.loads(tok) if "\\" in tok else tok[1:-1]
            top[3] = False
            lines.set(top[1] + (top[2],), line)
            continue
        if top is None:
            path: tuple = ()
        elif top[0]:
            path = top[1] + (top[2],)
        else:
            top[2] += 1
            path = top[1] + (top[2],)
            lines.set(path, line)
        if tok in ("{", "["):
            stack.append([tok == "{", path, -1, tok == "{"])


def parse_json_with_lines(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse `text` as JSON; raise `YamlSyntaxError` (the readers' one syntax error) with the line."""
    import orjson

    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise YamlSyntaxError(Problem(file, getattr(exc, "lineno", None), "", f"JSON syntax error: {exc.msg}",
                                      "check for a missing comma or quote, or a trailing comma")) from exc
    return data, JsonLineMap(text)
