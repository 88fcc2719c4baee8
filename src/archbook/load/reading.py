"""Read one YAML file of a system folder, turning every reading mistake into a `Problem`."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from archbook.errors import Problem
from archbook.load.diagnose import dotted
from archbook.load.yamlsrc import LineMap, YamlSyntaxError, load_yaml_with_lines

__all__ = ["display_path", "read_yaml", "read_document"]


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to cwd when inside it."""
    path = Path(path).absolute()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:  # outside the cwd: the absolute path is clearer than ../../..
        return str(path)


def _parse(path: Path, shown: str) -> tuple[Any, LineMap]:
    """JSON files through the JSON reader (fast, lazy line marks), everything else as YAML."""
    if path.suffix.lower() != ".json":
        return load_yaml_with_lines(path, shown)
    from archbook.load.jsonsrc import parse_json_with_lines

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(Problem(shown, None, "", f"not UTF-8 text: {exc}", "save the file as UTF-8")) from exc
    return parse_json_with_lines(text, shown)


def read_document(path: Path, problems: list[Problem]) -> tuple[Any, LineMap] | None:
    """An API document (YAML or JSON by its suffix), read once; None with problems when unreadable."""
    return read_yaml(path, problems, example="see https://spec.openapis.org for the document's structure")


def read_yaml(path: Path, problems: list[Problem], *, example: str | None = None) -> tuple[Any, LineMap] | None:
    """Parse one YAML file whose top level is a mapping; syntax errors and duplicate keys become problems.

    `example` says where to find a good file of this kind (hint for an empty or a non-mapping file).
    """
    shown = display_path(path)
    try:
        data, lines = _parse(Path(path), shown)
    except YamlSyntaxError as exc:
        problems.append(exc.problem)
        return None
    except OSError as exc:
        hint = "check the path" if isinstance(exc, FileNotFoundError) else "check the file permissions"
        problems.append(Problem(shown, None, "", f"cannot read file: {exc.strerror or exc}", hint))
        return None
    for key_path, line, first in lines.duplicates:
        problems.append(Problem(shown, line, dotted(key_path), f"duplicate key `{key_path[-1]}`",
                                f"the same key is already set at line {first}; YAML keeps only the last one"))
    if data is None:
        problems.append(Problem(shown, 1, "", "the file is empty", example or "see `archbook new` for a starting point"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(shown, lines.root_line, "", f"the top level must be a mapping of keys, not a {type(data).__name__}",
                                "start the file with `key: value` lines" + (f"; {example}" if example else "")))
        return None
    return data, lines
