"""Load a queue scenario (file, system folder or dict), apply overrides, report mistakes by line.

Every user mistake becomes a `ValidationFailed` whose `Problem`s name the file, the YAML
line, the dotted field, what is wrong and how to fix it.
"""
from __future__ import annotations

import copy
import difflib
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from archbook.errors import Problem, ValidationFailed
from archbook.load.yamlsrc import LineMap, YamlSyntaxError, load_yaml_with_lines
from archbook.model.queue import DIST_NAMES, PATIENCE_DIST_NAMES, Scenario

__all__ = ["load_scenario", "apply_overrides", "parse_set", "resolve_scenario_path", "scenario_base_dir"]


def resolve_scenario_path(path: str | Path) -> Path:
    """A file, or a system folder (then its queue.yaml). Relative paths are tried against the
    cwd and its parents, like `archbook.load.find_system`, so notebooks can run from notebooks/."""
    p = Path(path).expanduser()
    candidates = [p] if p.is_absolute() else [base / p for base in (Path.cwd(), *Path.cwd().parents)]
    for cand in candidates:
        if cand.is_dir() and (cand / "queue.yaml").is_file():
            return (cand / "queue.yaml").resolve()
        if cand.is_file():
            return cand.resolve()
    if p.is_dir() or (not p.is_absolute() and any(c.is_dir() for c in candidates)):
        raise ValidationFailed([Problem(str(path), None, "", "this folder has no queue.yaml",
                                        "add a queue.yaml scenario to the system folder, or pass the file")])
    raise ValidationFailed([Problem(str(path), None, "", "no such scenario file or system folder",
                                    "pass a queue.yaml file or a folder holding one, e.g. data/video-editor")])


def scenario_base_dir(scenario: Scenario) -> Path:
    """Folder that relative CSV paths in the scenario are resolved against."""
    src = getattr(scenario, "_source", None)
    return Path(src).parent if src else Path.cwd()


def load_scenario(source: str | Path | dict | Scenario, overrides: dict | None = None) -> Scenario:
    """Scenario from a path (file or system folder), a dict, or a Scenario, with overrides applied."""
    if isinstance(source, Scenario):
        if not overrides:
            return source
        raw = getattr(source, "_raw", None) or source.model_dump(exclude_none=True)
        return _validate(apply_overrides(raw, overrides), getattr(source, "_source", None), LineMap(None),
                         "<scenario>" if not getattr(source, "_source", None) else source._source, overrides)
    if isinstance(source, dict):
        return _validate(apply_overrides(source, overrides or {}), None, LineMap(None), "<scenario>", overrides)
    path = resolve_scenario_path(source)
    try:
        data, lines = load_yaml_with_lines(path, display=str(source) if Path(source).suffix else str(path))
    except YamlSyntaxError as exc:
        raise ValidationFailed([exc.problem]) from exc
    display = str(path)
    if not isinstance(data, dict):
        raise ValidationFailed([Problem(display, 1, "", "a scenario must be a YAML mapping (key: value)",
                                        "start from the example in data/video-editor/queue.yaml")])
    return _validate(apply_overrides(data, overrides or {}), str(path), lines, display, overrides)


def _validate(data: dict, source: str | None, lines: LineMap, display: str, overrides: dict | None = None
              ) -> Scenario:
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(_problems(exc, data, lines, display, overrides or {})) from exc
    scenario._raw = copy.deepcopy(data)
    scenario._source = source
    return scenario


def parse_set(text: str) -> tuple[str, Any]:
    """`key.path=value` (CLI --set) -> (key, value parsed as a YAML scalar or flow collection)."""
    if "=" not in text:
        raise ValidationFailed([Problem("--set", None, text, "expected KEY.PATH=VALUE",
                                        "for example --set workers.count=8 or --set patience=null")])
    key, _, value = text.partition("=")
    try:
        return key.strip(), yaml.safe_load(value) if value.strip() else None
    except yaml.YAMLError as exc:
        raise ValidationFailed([Problem("--set", None, key, f"cannot parse value {value!r}: {exc}",
                                        "quote text values; lists as [a, b]")]) from exc


def apply_overrides(data: dict, overrides: dict) -> dict:
    """Deep-copied `data` with overrides: dotted keys (`workers.count`) or nested dicts merged
    deeply. A list step may be an index (`classes.0.share`) or a class name (`classes.high.share`)."""
    out = copy.deepcopy(data)
    _exclusive_workers(out, overrides or {})
    for key, value in (overrides or {}).items():
        parts = str(key).split(".")
        if isinstance(value, dict) and len(parts) == 1 and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            _set_path(out, parts, copy.deepcopy(value), str(key))
    return out


def _exclusive_workers(data: dict, overrides: dict) -> None:
    """`workers.count` and `workers.autoscale` exclude each other: an override that sets one
    replaces the other, so `--set workers.count=8` works on an autoscaled scenario."""
    flat = {}
    for key, value in overrides.items():
        if key == "workers" and isinstance(value, dict):
            flat.update({f"workers.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    workers = data.get("workers")
    if not isinstance(workers, dict):
        return
    sets_count = flat.get("workers.count") is not None
    sets_auto = any(k.startswith("workers.autoscale") and v is not None for k, v in flat.items())
    if sets_count and not sets_auto:
        workers.pop("autoscale", None)
    elif sets_auto and not sets_count:
        workers.pop("count", None)


def _merge(base: dict, new: dict) -> dict:
    merged = dict(base)
    for k, v in new.items():
        merged[k] = _merge(merged[k], v) if isinstance(v, dict) and isinstance(merged.get(k), dict) else v
    return merged


def _set_path(node: Any, parts: list[str], value: Any, key: str) -> None:
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            idx = _list_index(node, part, key)
            if last:
                node[idx] = value
                return
            node = node[idx]
        elif isinstance(node, dict):
            if last:
                node[part] = _merge(node[part], value) if isinstance(value, dict) and isinstance(
                    node.get(part), dict) else value
                return
            if node.get(part) is None:
                node[part] = {}
            node = node[part]
        else:
            done = ".".join(parts[:i])
            raise ValidationFailed([Problem("overrides", None, key,
                                            f"`{done}` is a value ({node!r}), it has no field `{part}`",
                                            f"set `{done}` itself, or check the key path")])


def _list_index(items: list, part: str, key: str) -> int:
    if part.lstrip("-").isdigit():
        idx = int(part)
        if -len(items) <= idx < len(items):
            return idx % len(items)
    names = [it.get("name") for it in items if isinstance(it, dict)]
    if part in names:
        return names.index(part)
    raise ValidationFailed([Problem("overrides", None, key, f"no list item `{part}` (there are {len(items)})",
                                    f"use an index 0..{len(items) - 1}" + (f" or a name: {', '.join(map(str, names))}"
                                                                           if any(names) else ""))])


# ---------------------------------------------------------------- error conversion

def _data_path(data: Any, loc: tuple) -> tuple:
    """pydantic's loc minus the union tags it inserts (e.g. `exponential` after `service`)."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and node.get("dist") == part:
            continue  # discriminator tag
        elif isinstance(part, str) and part in {"function-after", "function-before"}:
            continue
        else:
            path.append(part)
            node = None
    return tuple(path)


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model class owning the last element of pydantic's loc (for 'allowed keys')."""
    tp: Any = Scenario
    for part in loc[:-1]:
        tp = _step(tp, part)
        if tp is None:
            return None
    return _as_model(tp)


def _candidates(tp: Any) -> list:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _candidates(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(tp) for m in _candidates(a)]
    return [tp]


def _as_model(tp: Any) -> type[BaseModel] | None:
    models = [m for m in _candidates(tp) if isinstance(m, type) and issubclass(m, BaseModel)]
    return models[0] if len(models) == 1 else None


def _step(tp: Any, part: Any) -> Any:
    cands = _candidates(tp)
    if isinstance(part, str):
        for m in cands:
            if isinstance(m, type) and issubclass(m, BaseModel):
                tag = m.model_fields.get("dist")
                if tag is not None and typing.get_args(tag.annotation) == (part,):
                    return m
        model = _as_model(tp)
        if model is not None and part in model.model_fields:
            return model.model_fields[part].annotation
        return None
    for m in cands:
        if typing.get_origin(m) in (list, tuple, dict):
            return typing.get_args(m)[-1]
    return None


# cross-field rules of the Scenario model have loc (); point them at the field they are about
_RULE_FIELDS = (("class shares", ("classes",)), ("class names", ("classes",)), ("horizon needs", ("horizon",)),
                ("failures.oom", ("failures", "oom")), ("slo names", ("slo",)))


def _problems(exc: ValidationError, data: dict, lines: LineMap, file: str, overrides: dict) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        if not loc:
            loc = next((f for prefix, f in _RULE_FIELDS if err["msg"].removeprefix("Value error, ").startswith(prefix)), ())
        path = _data_path(data, loc)
        line = lines(path) if path in lines else lines.nearest(path)
        msg, hint = _explain(err, loc, path)
        dotted = ".".join(map(str, path))
        by = [k for k in overrides if dotted.startswith(str(k)) or str(k).startswith(dotted + ".")]
        if by and path:
            msg += f" (value set by override `{by[0]}`)"
        out.append(Problem(file, line, _dotted(path), msg, hint))
    return out


def _explain(err: dict, loc: tuple, path: tuple) -> tuple[str, str]:
    kind, msg, value = err["type"], err["msg"], err.get("input")
    field = path[-1] if path else ""
    if kind == "union_tag_invalid":
        valid = PATIENCE_DIST_NAMES if "patience" in path else DIST_NAMES
        return (f"unknown distribution {err['ctx'].get('tag')!r}",
                f"use one of: {', '.join(valid)}")
    if kind == "union_tag_not_found":
        valid = PATIENCE_DIST_NAMES if "patience" in path else DIST_NAMES
        return "the distribution needs a `dist` key", f"add `dist:` with one of: {', '.join(valid)}"
    if kind == "extra_forbidden":
        model = _model_at(loc)
        known = list(model.model_fields) if model else []
        guess = difflib.get_close_matches(str(field), known, n=1, cutoff=0.6)
        hint = (f"did you mean `{guess[0]}`? " if guess else "") + (
            f"allowed keys here: {', '.join(known)}" if known else "remove it")
        return f"unknown key `{field}`", hint
    if kind == "missing":
        return f"required key `{field}` is missing", f"add `{field}:` here"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{msg} (got {value!r})", "rates and times must be positive; fix the sign or the unit"
    if kind == "literal_error":
        return f"{value!r} is not allowed", f"use {err['ctx'].get('expected')}"
    if kind == "value_error":
        return msg.removeprefix("Value error, "), "fix the values so that the rule holds"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{msg} (got {type(value).__name__} {value!r})", "check the value's type"
    return msg, ""
