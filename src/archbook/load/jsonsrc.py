"""Read JSON with line marks, lazily: API documents are often large JSON files.

The data comes from orjson (fast, JSON is already the data model: no YAML 1.1 surprises). A
path's line is only looked up when a problem names it; a valid 1 MB document pays nothing.
"""
from __future__ import annotations

import bisect
import json
import re
from typing import Any

from archbook.errors import Problem
from archbook.load.yamlsrc import LineMap, YamlSyntaxError

__all__ = ["parse_json_with_lines", "JsonLineMap"]



class JsonLineMap(LineMap):
    """A LineMap that finds a path's line on demand, by descending the JSON text.

    Siblings before the wanted key are skipped with the C JSON scanner, so a lookup costs one C
    parse of at most the text before it; only the handful of paths that problems name are looked up.
    """

    def __init__(self, text: str):
        super().__init__(1)
        self._text = text
        self._scan_once = json.JSONDecoder().scan_once
        self._newlines: list[int] | None = None
        self._index: dict[int, dict] = {}  # container position -> its members (see _child)

    def _line(self, pos: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self._text)]
        return bisect.bisect_right(self._newlines, pos) + 1

    def _descend(self, path: tuple) -> tuple[int, int | None]:
        """(how many parts of `path` were found, line of the deepest found part)."""
        text, pos, line = self._text, _ws(self._text, 0), None
        for depth, part in enumerate(path):
            found = self._child(text, pos, part)
            if found is None:
                return depth, line
            pos, line = found
            self.set(tuple(path[: depth + 1]), line)
        return len(path), line

    def _child(self, text: str, pos: int, part) -> tuple[int, int] | None:
        """(position of the value, line of the key/item) of `part` inside the container at `pos`.

        A container is indexed whole on its first visit, so the many problems under one large
        object (`paths`, `components.schemas`) scan its siblings once, not once per problem.
        """
        index = self._index.get(pos)
        if index is None:
            index = self._index[pos] = self._members(text, pos)
        found = index.get(part)
        return None if found is None else (found[0], self._line(found[1]))

    def _members(self, text: str, pos: int) -> dict:
        """key (or item index) -> (position of its value, position of its key/item)."""
        out: dict = {}
        if pos >= len(text) or text[pos] not in "{[":
            return out
        is_object, index = text[pos] == "{", 0
        pos = _ws(text, pos + 1)
        while pos < len(text) and text[pos] not in "}]":
            start = pos
            if is_object:
                key, pos = json.decoder.scanstring(text, pos + 1)
                pos = _ws(text, _ws(text, pos) + 1)  # past the colon
            else:
                key = index
            out.setdefault(key, (pos, start))
            _, pos = self._scan_once(text, pos)
            pos = _ws(text, pos)
            if pos < len(text) and text[pos] == ",":
                pos = _ws(text, pos + 1)
            index += 1
        return out

    def __call__(self, path):
        path = tuple(path)
        if path not in self._lines:
            found, line = self._descend(path)
            if found < len(path):
                return None
        return self._lines.get(path)

    def __contains__(self, path) -> bool:
        return self(path) is not None

    def nearest(self, path):
        path = tuple(path)
        _, line = self._descend(path)
        return line if line is not None else self.root_line


_WS = re.compile(r"[ \t\n\r]*")


def _ws(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()


def parse_json_with_lines(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse `text` as JSON; raise `YamlSyntaxError` (the readers' one syntax error) with the line."""
    import orjson

    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise YamlSyntaxError(Problem(file, getattr(exc, "lineno", None), "", f"JSON syntax error: {exc.msg}",
                                      "check for a missing comma or quote, or a trailing comma")) from exc
    return data, JsonLineMap(text)
