"""Read YAML as data (YAML 1.2 core schema), safely and within bounds, with the line of every key and item.

Error messages must point at a line, and no file may hang or crash the reader. libyaml
(when available) scans and parses; we build the data from its events in one flat loop,
with no recursion, so that:

- plain scalars follow the YAML 1.2 core schema, as JSON data does: `18:00`, `on`, `no`,
  `2024-01-01` and `1_000` stay strings (YAML 1.1 would turn them into 1080, booleans, a
  date and 1000); only `null`/`~`, `true`/`false`, integers, floats, `.inf` and `.nan` convert;
- only the core tags (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map`, `!!seq`)
  are accepted: no Python objects, whatever the file says;
- a file bigger than `MAX_BYTES`, nesting deeper than `MAX_DEPTH`, aliases standing for more
  than `MAX_ALIAS_NODES` nodes (an "alias bomb"), and an alias inside the node it names are
  each refused at once with the file and line;
- duplicate mapping keys, which YAML readers silently accept (the last one wins), are
  recorded so the loader can report them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from archbook.errors import Problem

__all__ = ["LineLoader", "LineMap", "YamlSyntaxError", "load_yaml_with_lines", "parse_yaml_with_lines",
           "MAX_BYTES", "MAX_DEPTH", "MAX_ALIAS_NODES"]

PathT = tuple

MAX_BYTES = 256 * 1024 * 1024   # a file larger than this is refused before it is read
MAX_DEPTH = 100                 # nested mappings/lists; deeper files are refused (the rest of the tool recurses)
MAX_ALIAS_NODES = 100_000       # nodes that aliases may stand for, all aliases of a file together


# SPEED SHORTCUT: libyaml's CSafeLoader scans and parses about 10x faster than the pure-Python
# SafeLoader; we only take its events (no constructor runs). Without libyaml we fall back to SafeLoader.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """The event source (libyaml's parser when available); subclassed so that nothing leaks into PyYAML's."""


class YamlSyntaxError(Exception):
    """The file is not valid (or not acceptable) YAML; carries a `Problem` with the file and line."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class LineMap:
    """`lines(path)` -> 1-based start line of the key or item at `path`, or None."""

    def __init__(self, root_line: int | None = None):
        self._lines: dict[PathT, int] = {}
        self.root_line = root_line
        self.duplicates: list[tuple[PathT, int, int]] = []  # (path, line, first line)

    def __call__(self, path: PathT) -> int | None:
        return self._lines.get(tuple(path))

    def __contains__(self, path: PathT) -> bool:
        return tuple(path) in self._lines

    def nearest(self, path: PathT) -> int | None:
        """Line of `path`, else of its closest ancestor that has one (e.g. for a missing key)."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self.root_line

    def set(self, path: PathT, line: int) -> None:
        self._lines[path] = line


# ---- YAML 1.2 core schema -------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_NULL = re.compile(r"(?:null|Null|NULL|~|)\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")


def _resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    if not text or text[0] in "-+.0123456789":
        return _number(text)
    if text in _BOOL:
        return _BOOL[text]
    return None if _NULL.match(text) else text


def _number(text: str) -> Any:
    if _NULL.match(text):
        return None
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text[0] == "-" else math.inf
    return math.nan if _NAN.match(text) else text


def _tagged(tag: str, text: str) -> Any:
    """A scalar with an explicit core tag (`!!int "12"`); ValueError when the text does not fit it."""
    kind = tag[len(_TAG):]
    if kind == "str":
        return text
    value = _resolve_plain(text)
    wanted = {"int": int, "float": (float, int), "bool": bool, "null": type(None)}[kind]
    if not isinstance(value, wanted) or (kind in ("int", "float") and isinstance(value, bool)):
        raise ValueError(f"`{text}` is not a valid !!{kind}")
    return float(value) if kind == "float" else value


# ---- building the data from parser events ---------------------------------------------------

_OPEN = object()       # an anchor whose node is still being read (an alias to it would be a cycle)
_NO_KEY = object()     # a mapping frame waiting for its next key
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}


class _Merge:
    """Marks a pending `<<` merge key in a mapping frame."""


@dataclass
class _Frame:
    """One open mapping or sequence: its value, where it is, and how many nodes it holds so far."""

    value: Any
    path: PathT
    anchor: str | None
    line: int
    nodes: int = 1
    key: Any = _NO_KEY
    key_line: int = 0
    first: dict = field(default_factory=dict)   # key -> line of its first occurrence (mappings)
    merges: list = field(default_factory=list)  # mappings merged in with `<<`


class _Limit(Exception):
    """A located refusal while building the data: (line, message, hint)."""

    def __init__(self, line: int | None, message: str, hint: str):
        self.line, self.message, self.hint = line, message, hint
        super().__init__(message)


class _Builder:
    """Turns the event stream of one document into data plus its `LineMap`, bounded and flat."""

    def __init__(self) -> None:
        self.stack: list[_Frame] = []
        self.anchors: dict[str, Any] = {}   # name -> (value, node count) or _OPEN
        self.alias_nodes = 0
        self.lines = LineMap()
        self.root: Any = None

    def start(self, event: Any, value: Any) -> None:
        line = event.start_mark.line + 1
        if len(self.stack) >= MAX_DEPTH:
            raise _Limit(line, f"nesting deeper than {MAX_DEPTH} levels",
                         "flatten the structure; archbook reads at most this depth")
        if event.tag not in (None, "!", _TAG + ("map" if isinstance(value, dict) else "seq")):
            raise _Limit(line, f"unsupported YAML tag `{event.tag}`",
                         "remove the tag: archbook reads plain data (text, numbers, true/false, lists, mappings)")
        if event.anchor:
            self.anchors[event.anchor] = _OPEN
        self.stack.append(_Frame(value, self._child_path(line), event.anchor, line))

    def end(self) -> None:
        frame = self.stack.pop()
        for merged in frame.merges:
            for key, val in merged.items():
                frame.value.setdefault(key, val)
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.value, frame.nodes)
        self._add(frame.value, frame.nodes, frame.line)

    def scalar(self, event: Any) -> None:
        line = event.start_mark.line + 1
        value = self._scalar_value(event, line)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        merge = event.value == "<<" and event.implicit[0] and not event.tag
        self._add(value, 1, line, is_merge=merge)

    def alias(self, event: Any) -> None:
        line = event.start_mark.line + 1
        target = self.anchors.get(event.anchor)
        if target is None:
            raise _Limit(line, f"alias `*{event.anchor}` has no anchor `&{event.anchor}` before it",
                         "define the anchor before using it")
        if target is _OPEN:
            raise _Limit(line, f"alias `*{event.anchor}` is inside the node it names (a recursive alias)",
                         "archbook reads data, which cannot contain itself; copy the part you need")
        value, nodes = target
        self.alias_nodes += nodes
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise _Limit(line, f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes (an alias bomb?)",
                         "write the data out, or use fewer and smaller aliases")
        self._add(value, nodes, line)

    def _scalar_value(self, event: Any, line: int) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            return _resolve_plain(event.value) if event.implicit[0] and tag is None else event.value
        if tag not in _SCALAR_TAGS:
            raise _Limit(line, f"unsupported YAML tag `{tag}`",
                         "remove the tag: archbook reads plain data (text, numbers, true/false, lists, mappings)")
        try:
            return _tagged(tag, event.value)
        except ValueError as exc:
            raise _Limit(line, str(exc), "fix the value or remove the tag") from None

    def _child_path(self, line: int) -> PathT:
        """Path of the node that starts now, recording its line; a container as a key is refused."""
        if not self.stack:
            self.lines.root_line = line
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, dict):
            if parent.key is _NO_KEY:
                raise _Limit(line, "a mapping key must be a single value, not a list or mapping",
                             "use text as the key")
            return parent.path + (parent.key,)
        index = len(parent.value)
        self.lines.set(parent.path + (index,), line)
        return parent.path + (index,)

    def _add(self, value: Any, nodes: int, line: int, *, is_merge: bool = False) -> None:
        if not self.stack:
            self.root = value
            self.lines.root_line = self.lines.root_line or line
            return
        parent = self.stack[-1]
        parent.nodes += nodes
        if isinstance(parent.value, list):
            self.lines.set(parent.path + (len(parent.value),), line)
            parent.value.append(value)
        elif parent.key is _NO_KEY:
            self._set_key(parent, value, line, is_merge)
        else:
            self._set_value(parent, value, line)

    def _set_key(self, parent: _Frame, key: Any, line: int, is_merge: bool) -> None:
        if isinstance(key, (dict, list)):
            raise _Limit(line, "a mapping key must be a single value, not a list or mapping", "use text as the key")
        parent.key, parent.key_line = (_Merge if is_merge else key), line
        if is_merge:
            return
        path = parent.path + (key,)
        if key in parent.first:
            self.lines.duplicates.append((path, line, parent.first[key]))
        else:
            parent.first[key] = line
        self.lines.set(path, line)

    def _set_value(self, parent: _Frame, value: Any, line: int) -> None:
        key, parent.key = parent.key, _NO_KEY
        if key is _Merge:
            merged = value if isinstance(value, list) else [value]
            if not all(isinstance(m, dict) for m in merged):
                raise _Limit(parent.key_line, "`<<` (merge) needs a mapping or a list of mappings",
                             "write `<<: *name` where `&name` marks a mapping")
            parent.merges.extend(merged)
            return
        parent.value[key] = value


def _build(loader: LineLoader, file: str) -> tuple[Any, LineMap]:
    """Consume the whole event stream; one document at most."""
    builder = _Builder()
    documents = 0
    while True:
        event = loader.get_event()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            builder.scalar(event)
        elif kind is yaml.MappingStartEvent:
            builder.start(event, {})
        elif kind is yaml.SequenceStartEvent:
            builder.start(event, [])
        elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            builder.end()
        elif kind is yaml.AliasEvent:
            builder.alias(event)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Limit(event.start_mark.line + 1, "the file holds more than one YAML document",
                             "remove the `---` line and what follows, or split the file")
        elif kind is yaml.StreamEndEvent:
            break
    if documents == 0:
        return None, LineMap(1)
    return builder.root, builder.lines


def _reader_line(text: str, exc: yaml.YAMLError) -> int | None:
    position = getattr(exc, "position", None)
    return text[:position].count("\n") + 1 if isinstance(position, int) else None


def parse_yaml_with_lines(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse `text`; raise `YamlSyntaxError` naming `file` and the line of the problem."""
    if len(text) > MAX_BYTES:
        raise YamlSyntaxError(_too_big(file, len(text)))
    loader = LineLoader(text)
    try:
        return _build(loader, file)
    except _Limit as exc:
        raise YamlSyntaxError(Problem(file, exc.line, "", exc.message, exc.hint)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        raise YamlSyntaxError(Problem(
            file, line, "", f"YAML syntax error: {what}",
            "check indentation, unclosed quotes or brackets, and that a `key: value` has a space after the colon",
        )) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(file, _reader_line(text, exc), "", f"YAML error: {exc}",
                                      "fix the YAML syntax; remove control characters")) from None
    finally:
        loader.dispose()


def _too_big(file: str, size: int) -> Problem:
    return Problem(file, None, "", f"the file is {size / 2**20:.1f} MB, more than the {MAX_BYTES / 2**20:.1f} MB archbook reads",
                   "split the document into smaller files")


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlSyntaxError(Problem(file, line, "", f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at column {column}",
                                      "save the file as UTF-8")) from None


def load_yaml_with_lines(path: str | Path, display: str | None = None) -> tuple[Any, LineMap]:
    """Read a YAML file as YAML 1.2 core-schema data; return `(data, lines)`.

    `lines(("components", 3, "depends_on", 0, "target"))` gives the 1-based line of that key.
    """
    path = Path(path)
    shown = display or str(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlSyntaxError(_too_big(shown, size))
    return parse_yaml_with_lines(_decode(path.read_bytes(), shown), shown)
