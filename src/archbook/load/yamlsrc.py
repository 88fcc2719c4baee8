"""Read YAML safely and remember the line of every key and list item.

Error messages must point at a line. PyYAML's composer already knows where each node
starts, so we compose once, construct the data with the same (safe) loader, and walk the
node tree to record `path -> line`. Duplicate mapping keys, which PyYAML silently
accepts (the last one wins), are recorded too so the loader can report them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from archbook.errors import Problem

__all__ = ["LineLoader", "LineMap", "YamlSyntaxError", "load_yaml_with_lines", "parse_yaml_with_lines"]

PathT = tuple


# SPEED SHORTCUT: libyaml's CSafeLoader parses about 10x faster than the pure-Python
# SafeLoader and has the same safe constructor (no arbitrary objects); its nodes carry the
# same start marks. Without libyaml we fall back to SafeLoader.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader (libyaml's when available); subclassed so that our changes never leak into PyYAML's."""


class YamlSyntaxError(Exception):
    """The file is not valid YAML; carries a `Problem` with the file and line of the mark."""

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


def _scalar_key(loader: LineLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        try:
            return loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            return node.value
    return None


def _walk(loader: LineLoader, node: yaml.Node, path: PathT, lines: LineMap, seen: set[int]) -> None:
    if id(node) in seen:  # aliases may point back at an ancestor
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = _scalar_key(loader, key_node)
            if key is None or key == "<<":
                continue
            line = key_node.start_mark.line + 1
            try:
                if key in first:
                    lines.duplicates.append((path + (key,), line, first[key]))
                else:
                    first[key] = line
            except TypeError:  # unhashable key; the model will reject it
                continue
            lines.set(path + (key,), line)
            _walk(loader, value_node, path + (key,), lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.set(path + (i,), item.start_mark.line + 1)
            _walk(loader, item, path + (i,), lines, seen)


def parse_yaml_with_lines(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse `text`; raise `YamlSyntaxError` naming `file` and the line of the problem."""
    loader = LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, LineMap(1)
        data = loader.construct_document(node)
        lines = LineMap(node.start_mark.line + 1)
        _walk(loader, node, (), lines, set())
        return data, lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        raise YamlSyntaxError(Problem(
            file, line, "", f"YAML syntax error: {what}",
            "check indentation, unclosed quotes or brackets, and that a `key: value` has a space after the colon",
        )) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(file, None, "", f"YAML error: {exc}", "fix the YAML syntax")) from exc
    finally:
        loader.dispose()


def load_yaml_with_lines(path: str | Path, display: str | None = None) -> tuple[Any, LineMap]:
    """Read a YAML file with `yaml.SafeLoader` semantics; return `(data, lines)`.

    `lines(("components", 3, "depends_on", 0, "target"))` gives the 1-based line of that key.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(Problem(display or str(path), None, "", f"not UTF-8 text: {exc}",
                                      "save the file as UTF-8")) from exc
    return parse_yaml_with_lines(text, display or str(path))
