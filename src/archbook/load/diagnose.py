"""Turn pydantic validation errors into `Problem`s that name file, line, field and a fix.

The one converter for every YAML format archbook reads (the design files, queue.yaml,
GRID.yaml). pydantic's `loc` is not quite a path in the YAML: after a union it adds the
chosen member's tag (`message`, `exponential`) or, for a plain union, a label per member
(`constrained-float`, `function-after[_one_form(), Mix]`), and a bad mapping key ends in
`[key]`. `strip_tags` walks `loc` through the model's annotations and drops those, so
the line can be looked up; the same walk finds the model that owns an unknown key, whose
field names give the "did you mean".
"""
from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from archbook.errors import Problem

if TYPE_CHECKING:  # the line-mark type only; diagnosing is the bottom stage and imports no other
    from archbook.load.yamlsrc import LineMap

__all__ = ["TAG_NOUNS", "dotted", "strip_tags", "pydantic_problems", "keys_of_model_at", "suggest"]

# What a discriminator key stands for, in messages ("unknown distribution 'weibull'").
TAG_NOUNS = {"dist": "distribution"}
_KEY_MARK = "[key]"  # pydantic's last loc element when a mapping key, not its value, is wrong


def dotted(path: tuple) -> str:
    """('components', 3, 'depends_on', 0) -> 'components[3].depends_on[0]'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _union(tp: Any) -> list | None:
    """The members (two or more, None left out) of the union `tp` stands for, else None."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin is typing.Union or origin is types.UnionType:
            members = [m for m in typing.get_args(tp) if m is not type(None)]
            if len(members) != 1:
                return members
            tp = members[0]
        else:
            return None


def _unwrap(tp: Any) -> Any:
    """`tp` without `Annotated` and without `| None`."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif (origin is typing.Union or origin is types.UnionType) and _union(tp) is None:
            tp = next(m for m in typing.get_args(tp) if m is not type(None))
        else:
            return tp


def _model(tp: Any) -> type[BaseModel] | None:
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _tags(member: Any, key: str | None = None) -> list[str]:
    """Tags that select `member`: a `Tag(...)` annotation, or the `Literal` of its discriminator field."""
    if typing.get_origin(member) is typing.Annotated:
        tags = [m.tag for m in typing.get_args(member)[1:] if isinstance(getattr(m, "tag", None), str)]
        if tags:
            return tags
    model = _model(member)
    fields = model.model_fields.items() if model else ()
    return [str(a) for name, info in fields if key in (None, name)
            if typing.get_origin(info.annotation) is typing.Literal for a in typing.get_args(info.annotation)]


def _pick(members: list, part: str) -> tuple[Any, bool]:
    """(member, is_tag) that a union's `loc` element names; (None, False) for a label we cannot map."""
    for m in members:
        if part in _tags(m):
            return m, True
    for m in members:
        model = _model(m)
        if model is not None and (part == model.__name__ or part.endswith(f", {model.__name__}]")):
            return m, False
    return None, False


def _step(tp: Any, part: Any) -> Any:
    """Follow one path element from type `tp`; None when the path leaves the models."""
    if tp is None or _union(tp) is not None:
        return None
    tp = _unwrap(tp)
    model = _model(tp)
    if model is not None:
        return next((info.annotation for name, info in model.model_fields.items() if part in (name, info.alias)), None)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is dict and args:
        return args[1]
    if origin in (list, set, frozenset) and args and isinstance(part, int):
        return args[0]
    if origin is tuple and args and isinstance(part, int):
        return args[0] if args[-1] is Ellipsis else args[part] if part < len(args) else None
    return None


def _walk(root: type[BaseModel], loc: tuple) -> tuple[tuple, Any, int | None]:
    """(path in the YAML data, type reached, length of the path where a plain union's label was dropped)."""
    tp: Any = root
    path: list = []
    label_at = None
    for i, part in enumerate(loc):
        if part == _KEY_MARK and i == len(loc) - 1:
            continue
        members = _union(tp) if tp is not None and isinstance(part, str) else None
        if members is not None:
            tp, is_tag = _pick(members, part)
            label_at = label_at if is_tag else len(path)
            continue
        path.append(part)
        tp = _step(tp, part)
    return tuple(path), tp, label_at


def strip_tags(loc: tuple, root: type[BaseModel]) -> tuple:
    """pydantic's `loc` as a path in the YAML data: union tags, member labels and `[key]` dropped."""
    return _walk(root, tuple(loc))[0]


def keys_of_model_at(root: type[BaseModel], loc: tuple) -> list[str]:
    """Field names and aliases of the model that owns the last element of the raw `loc`."""
    tp = _walk(root, tuple(loc)[:-1])[1]
    keys: list[str] = []
    for member in _union(tp) or [tp]:
        model = _model(member)
        for name, info in (model.model_fields.items() if model else ()):
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


def _is_type_mismatch(kind: str) -> bool:
    return kind.endswith(("_type", "_parsing", "_type_error")) or kind == "literal_error"


def _union_message(err: dict, tp: Any) -> tuple[str, str]:
    ctx = err.get("ctx") or {}
    key = str(ctx.get("discriminator", "")).strip("'")
    noun = TAG_NOUNS.get(key, f"`{key}` value")
    if err["type"] == "union_tag_invalid":
        return f"unknown {noun} {ctx.get('tag')!r}", f"use one of: {str(ctx.get('expected_tags', '')).replace(chr(39), '')}"
    tags = [t for m in _union(tp) or [] for t in _tags(m, key)]
    return f"the {noun} needs a `{key}` key", f"add `{key}:` with one of: {', '.join(tags)}"


def _message_and_hint(err: dict, root: type[BaseModel], raw_loc: tuple, path: tuple, tp: Any) -> tuple[str, str]:
    kind, msg, ctx = err["type"], err["msg"], err.get("ctx") or {}
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
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _union_message(err, tp)
    if kind in ("enum", "literal_error"):
        return f"{value!r} is not an allowed value", f"use one of {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        if not str(ctx.get("pattern", "")).startswith("^[A-Za-z]"):
            return f"{value!r} does not match `{ctx.get('pattern')}`", "use only the characters the pattern allows"
        return (f"{value!r} is not a valid id",
                "ids start with a letter and use only letters, digits, `_`, `-` and `.`")
    if kind in ("too_short", "string_too_short"):
        return f"{msg}", "this must not be empty"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{msg} (got {value!r})", "fix the value; check its sign and its unit"
    if kind == "value_error":
        return msg.removeprefix("Value error, "), "fix the values so that the rule holds"
    if _is_type_mismatch(kind):
        return f"{msg} (got {_describe(value)})", "check the value's type; quote text that YAML reads as a number or date"
    return f"{msg}", str(ctx.get("hint", ""))


def _named_field(message: str, path: tuple, lines: LineMap) -> tuple:
    """A rule spanning fields reports at the model; point at the first field its message names."""
    for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+|[A-Za-z_][A-Za-z0-9_]*", message):
        candidate = path + tuple(token.split("."))
        if "_" in token or "." in token:  # plain words ("must", "be") are not field names
            if candidate in lines:
                return candidate
    return path


def _without_union_noise(items: list) -> list:
    """A value that fits no member of a plain union (`float | Mix`) fails once per member: keep
    the errors of a member that got further than "wrong type", else only the first member's."""
    groups: dict[tuple, list[int]] = {}
    for i, (_err, path, _tp, label_at) in enumerate(items):
        if label_at is not None:
            groups.setdefault(path[:label_at], []).append(i)
    drop: set[int] = set()
    for at, members in groups.items():
        shallow = [i for i in members if len(items[i][1]) == len(at) and _is_type_mismatch(items[i][0]["type"])]
        drop.update(shallow if len(shallow) < len(members) else shallow[1:])
    return [item for i, item in enumerate(items) if i not in drop]


def _override(path: tuple, overrides: Mapping[tuple, str]) -> tuple[str, bool] | None:
    """(override name, whether it set the value at `path` itself) for a problem an override touches."""
    for target, name in overrides.items():
        if path[:len(target)] == target:
            return name, True
    for target, name in overrides.items():
        if path and target[:len(path)] == path:
            return name, False
    return None


def pydantic_problems(exc: ValidationError, root: type[BaseModel], file: str, lines: LineMap,
                      prefix: tuple = (), *, locate_rule: Callable[[str, tuple], tuple] | None = None,
                      overrides: Mapping[tuple, str] | None = None) -> list[Problem]:
    """One `Problem` per pydantic error, located through `lines`.

    A misspelt key produces two pydantic errors (unknown `purpse`, missing `purpose`); the
    second adds nothing once the first says "did you mean `purpose`?", so it is dropped.
    `locate_rule(message, path)` moves a rule spanning fields, which pydantic reports at its
    model, to the field it is about (default: the first field its message names).
    `overrides` maps data paths set from outside the file (the scenario's `--set`) to the
    override's name: a problem at or under one names it, and no file line, since the file
    does not hold that value; a problem above one (a rule on its model) names it too.
    """
    locate = locate_rule or (lambda message, path: _named_field(message, path, lines))
    items = _without_union_noise([(err, *_walk(root, tuple(err["loc"]))) for err in exc.errors(include_url=False)])
    explained = set()
    for err, path, _tp, _ in items:
        if err["type"] == "extra_forbidden":
            guess = suggest(str(path[-1]), keys_of_model_at(root, tuple(err["loc"])))
            if guess:
                explained.add(path[:-1] + (guess,))
    out: list[Problem] = []
    for err, path, tp, _ in items:
        if err["type"] == "missing" and path in explained:
            continue
        path = prefix + path
        if err["type"] == "value_error":
            path = locate(err["msg"].removeprefix("Value error, "), path)
        line = lines(path) if path in lines else lines.nearest(path)
        message, hint = _message_and_hint(err, root, tuple(err["loc"]), path, tp)
        by = _override(path, overrides or {})
        if by:
            message += f" (value set by override `{by[0]}`)"
            line = None if by[1] else line
        out.append(Problem(file, line, dotted(path), message, hint))
    return out
