"""Load a queue scenario (file, system folder or dict), apply overrides, report mistakes by line.

Every user mistake becomes a `ValidationFailed` whose `Problem`s name the file, the YAML
line, the dotted field, what is wrong and how to fix it. The file is read and the model's
errors are explained by the same code as the design files (`archbook.load.reading`,
`archbook.load.diagnose`); a value set by an override names the override instead of a line.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from archbook.errors import Problem, ValidationFailed
from archbook.load.confine import confined_path, path_problem
from archbook.load.diagnose import dotted, pydantic_problems
from archbook.load.reading import display_path, read_yaml
from archbook.load.yamlsrc import LineMap
from archbook.model.queue import Scenario
from archbook.sim.guards import scenario_problems

__all__ = ["load_scenario", "apply_overrides", "parse_set", "resolve_scenario_path", "scenario_base_dir"]


def resolve_scenario_path(path: str | Path) -> Path:
    """A file, or a system folder (then its queue.yaml). Relative paths are tried against the
    cwd and its parents, like `archbook.load.find_system`, so notebooks can run from notebooks/."""
    p = Path(path).expanduser()
    candidates = [p] if p.is_absolute() else [base / p for base in (Path.cwd(), *Path.cwd().parents)]
    for cand in candidates:
        if cand.is_dir() and (cand / "queue.yaml").is_file():  # a symlink out of the folder is refused
            return confined_path(cand, "queue.yaml", file=str(cand / "queue.yaml"), line=None, field="")
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


def load_scenario(source: str | Path | dict | Scenario, overrides: dict | None = None, *,
                  streaming: bool = False) -> Scenario:
    """Scenario from a path (file or system folder), a dict, or a Scenario, with overrides applied.
    `streaming`: for a streaming run (`simulate(..., record_jobs="summary")`), whose memory
    does not grow with the jobs, so the per-replication job limit does not apply."""
    if isinstance(source, Scenario):
        if not overrides:
            return source
        raw = getattr(source, "_raw", None) or source.model_dump(exclude_none=True)
        where = getattr(source, "_source", None)
        return _validate(raw, overrides, where, where or "<scenario>", LineMap(None), streaming=streaming)
    if isinstance(source, dict):
        return _validate(source, overrides, None, "<scenario>", LineMap(None), streaming=streaming)
    path = resolve_scenario_path(source)
    problems: list[Problem] = []
    parsed = read_yaml(path, problems, example="start from the example in data/video-editor/queue.yaml")
    if parsed is None:
        raise ValidationFailed(problems)
    data, lines = parsed
    return _validate(data, overrides, str(path), display_path(path), lines, problems, streaming=streaming)


def _validate(data: dict, overrides: dict | None, source: str | None, display: str, lines: LineMap,
              problems: list[Problem] | tuple = (), streaming: bool = False) -> Scenario:
    data, overridden = _apply(data, overrides or {})
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed([*problems, *pydantic_problems(exc, Scenario, display, lines, locate_rule=_rule_field,
                                                              overrides=overridden)]) from exc
    guarded = scenario_problems(scenario, display, lines, streaming)  # runs that cannot finish: refused before any draw
    problems = [*problems, *_path_problems(scenario, display, lines), *(p for p in guarded if p.severity == "error")]
    if problems:  # duplicate keys: valid, but the file does not say what the user thinks
        raise ValidationFailed(problems)
    scenario._raw = copy.deepcopy(data)
    scenario._warnings = [p for p in guarded if p.severity == "warning"]
    scenario._source = source
    return scenario


def _path_problems(scenario: Scenario, display: str, lines: LineMap) -> list[Problem]:
    """CSV paths the scenario names must stay inside its folder (absolute, `..` and URLs refused)."""
    named = [(("arrivals", "trace", "path"), scenario.arrivals.trace.path)] if scenario.arrivals.trace else []
    named += [(("classes", i, "service", "path"), c.service.path) for i, c in enumerate(scenario.classes)
              if isinstance(getattr(c.service, "path", None), str)]
    out = []
    for path, text in named:
        reason = path_problem(text)
        if reason:
            out.append(Problem(display, lines.nearest(path), dotted(path), f"path `{text}` {reason}",
                               "keep the CSV inside the system folder and name it relative to queue.yaml"))
    return out


# cross-field rules of the Scenario model report at the top; point them at the field they are about
_RULE_FIELDS = (("class shares", ("classes",)), ("class names", ("classes",)), ("horizon needs", ("horizon",)),
                ("failures.oom", ("failures", "oom")), ("slo names", ("slo",)))


def _rule_field(message: str, path: tuple) -> tuple:
    if path:
        return path
    return next((field for start, field in _RULE_FIELDS if message.startswith(start)), path)


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
    return _apply(data, overrides)[0]


def _apply(data: dict, overrides: dict) -> tuple[dict, dict[tuple, str]]:
    """`apply_overrides`, plus the data path of every value an override set -> the override's key."""
    out = copy.deepcopy(data)
    _exclusive_workers(out, overrides or {})
    touched: dict[tuple, str] = {}
    for key, value in (overrides or {}).items():
        parts = str(key).split(".")
        if isinstance(value, dict) and len(parts) == 1 and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
            path = (key,)
        else:
            path = _set_path(out, parts, copy.deepcopy(value), str(key))
        touched.update(dict.fromkeys(_leaves(path, value), str(key)))
    return out, touched


def _leaves(path: tuple, value: Any) -> list[tuple]:
    """Paths of the values a (merged) override really sets: a mapping sets only its leaves."""
    if isinstance(value, dict) and value:
        return [leaf for k, v in value.items() for leaf in _leaves(path + (k,), v)]
    return [path]


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


def _set_path(node: Any, parts: list[str], value: Any, key: str) -> tuple:
    """Set `value` at the dotted `parts`; return its data path (list steps as indices)."""
    path: list = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            idx = _list_index(node, part, key)
            path.append(idx)
            if last:
                node[idx] = value
                return tuple(path)
            node = node[idx]
        elif isinstance(node, dict):
            path.append(part)
            if last:
                node[part] = _merge(node[part], value) if isinstance(value, dict) and isinstance(
                    node.get(part), dict) else value
                return tuple(path)
            if node.get(part) is None:
                node[part] = {}
            node = node[part]
        else:
            done = ".".join(parts[:i])
            raise ValidationFailed([Problem("overrides", None, key,
                                            f"`{done}` is a value ({node!r}), it has no field `{part}`",
                                            f"set `{done}` itself, or check the key path")])
    return tuple(path)


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
