"""Turn pydantic validation errors into `Problem`s that name file, line, field and a fix.

Two details matter. The flow `Step` union uses a callable discriminator, so pydantic puts
the chosen tag (`message`, `note`, `loop`, `opt`, `alt`) into `loc` right after the list
index; it is not a YAML key, so it is stripped before looking up the line. And an unknown
key gets a "did you mean" built from the field names and aliases of the model found by
walking the same `loc` through the model's annotations.
"""
from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from archbook.errors import Problem
from archbook.load.yamlsrc import LineMap

__all__ = ["STEP_TAGS", "dotted", "strip_tags", "pydantic_problems", "keys_of_model_at", "suggest"]

STEP_TAGS = frozenset({"message", "note", "loop", "opt", "alt"})


def strip_tags(loc: tuple) -> tuple:
    """Drop the union tag pydantic inserts after an index into a `steps` list."""
    out: list = []
    i = 0
    while i < len(loc):
        out.append(loc[i])
        if (isinstance(loc[i], int) and i >= 1 and loc[i - 1] == "steps"
                and i + 1 < len(loc) and loc[i + 1] in STEP_TAGS):
            i += 1
        i += 1
    return tuple(out)


def dotted(path: tuple) -> str:
    """('components', 3, 'depends_on', 0) -> 'components[3].depends_on[0]'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        else:
            return tp


def _union_members(tp: Any) -> list:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return list(typing.get_args(tp))
    return [tp]


def _tag_of(member: Any) -> str | None:
    if typing.get_origin(member) is typing.Annotated:
        for meta in typing.get_args(member)[1:]:
            tag = getattr(meta, "tag", None)
            if isinstance(tag, str):
                return tag
    return None


def _step(tp: Any, part: Any) -> Any:
    """Follow one `loc` element from type `tp`; None when the path leaves the models."""
    tp = _unwrap(tp)
    members = _union_members(tp)
    if len(members) > 1:
        if isinstance(part, str):
            for m in members:
                if _tag_of(m) == part:
                    return _unwrap(m)
        models = [_unwrap(m) for m in members if m is not type(None)]
        if len(models) == 1:
            return _step(models[0], part)
        return None
    if isinstance(part, int):
        args = typing.get_args(tp)
        return args[0] if typing.get_origin(tp) in (list, tuple, set) and args else None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, info in tp.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
    return None


def keys_of_model_at(root: type[BaseModel], loc: tuple) -> list[str]:
    """Field names and aliases of the model that owns the last element of the raw `loc`."""
    tp: Any = root
    for part in loc[:-1]:
        tp = _step(tp, part)
        if tp is None:
            return []
    tp = _unwrap(tp)
    members = [_unwrap(m) for m in _union_members(tp) if m is not type(None)]
    keys: list[str] = []
    for m in members:
        if isinstance(m, type) and issubclass(m, BaseModel):
            for name, info in m.model_fields.items():
                keys.append(info.alias or name)
    return keys


def suggest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return found[0] if found else None


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _message_and_hint(err: dict, root: type[BaseModel], raw_loc: tuple, path: tuple) -> tuple[str, str]:
    kind, msg = err["type"], err["msg"]
    field = path[-1] if path else ""
    value = err.get("input")
    if kind == "extra_forbidden":
        known = keys_of_model_at(root, raw_loc)
        guess = suggest(str(field), known)
        hint = f"did you mean `{guess}`?" if guess else ""
        allowed = f"allowed keys here: {', '.join(known)}" if known else "remove it"
        return f"unknown key `{field}`", (hint + " " if hint else "") + allowed
    if kind == "missing":
        where = "at the top level of the file" if len(path) == 1 else "to the mapping that starts on this line"
        return f"required key `{field}` is missing", f"add `{field}:` {where}"
    if kind in ("enum", "literal_error"):
        expected = (err.get("ctx") or {}).get("expected", "")
        return f"{value!r} is not an allowed value", f"use one of {expected}"
    if kind == "string_pattern_mismatch":
        return (f"{value!r} is not a valid id",
                "ids start with a letter and use only letters, digits, `_`, `-` and `.`")
    if kind in ("too_short", "string_too_short"):
        return f"{msg}", "this list or text must not be empty"
    if kind == "value_error":
        return msg.removeprefix("Value error, "), "fix the values so that the rule holds"
    if kind.endswith("_type") or kind.endswith("_parsing") or kind.endswith("_type_error"):
        return f"{msg} (got {_describe(value)})", "check the value's type; quote text that YAML reads as a number or date"
    return f"{msg}", ""


def _named_field(message: str, path: tuple, lines: LineMap) -> tuple:
    """A rule spanning fields reports at the model; point at the first field its message names."""
    for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+|[A-Za-z_][A-Za-z0-9_]*", message):
        candidate = path + tuple(token.split("."))
        if "_" in token or "." in token:  # plain words ("must", "be") are not field names
            if candidate in lines:
                return candidate
    return path


def pydantic_problems(exc: ValidationError, root: type[BaseModel], file: str, lines: LineMap,
                      prefix: tuple = ()) -> list[Problem]:
    """One `Problem` per pydantic error, located through `lines`.

    A misspelt key produces two pydantic errors (unknown `purpse`, missing `purpose`); the
    second adds nothing once the first says "did you mean `purpose`?", so it is dropped.
    """
    errors = exc.errors(include_url=False)
    explained = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            raw_loc = tuple(err["loc"])
            guess = suggest(str(raw_loc[-1]), keys_of_model_at(root, raw_loc))
            if guess:
                explained.add(strip_tags(raw_loc[:-1]) + (guess,))
    out: list[Problem] = []
    for err in errors:
        raw_loc = tuple(err["loc"])
        if err["type"] == "missing" and strip_tags(raw_loc) in explained:
            continue
        path = prefix + strip_tags(raw_loc)
        if err["type"] == "value_error":
            path = _named_field(err["msg"], path, lines)
        line = lines(path) if path in lines else lines.nearest(path)
        message, hint = _message_and_hint(err, root, raw_loc, path)
        out.append(Problem(file, line, dotted(path), message, hint))
    return out
