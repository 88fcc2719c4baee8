"""Which API documents a system folder holds: named in architecture.yaml, else by convention.

Conventional names are `openapi.{yaml,yml,json}` and `asyncapi.{yaml,yml,json}`. Finding none
is fine (a system may have no API); finding two of a kind by convention is ambiguous and an
error, as is a listed path that is missing or leaves the folder.
"""
from __future__ import annotations

from pathlib import Path

from archbook.errors import Problem
from archbook.load.jsonrefs import line_of
from archbook.load.reading import display_path
from archbook.load.yamlsrc import LineMap
from archbook.model.architecture import Architecture

__all__ = ["KINDS", "SUFFIXES", "api_documents", "conventional"]

KINDS = ("openapi", "asyncapi")
SUFFIXES = (".yaml", ".yml", ".json")


def conventional(root: Path, kind: str) -> list[Path]:
    return [root / f"{kind}{suffix}" for suffix in SUFFIXES if (root / f"{kind}{suffix}").is_file()]


def api_documents(root: Path, arch: Architecture | None, arch_lines: LineMap | None,
                  problems: list[Problem]) -> dict[str, list[Path]]:
    """kind -> the document paths to load, in order."""
    listed = arch.apis if arch is not None else None
    out = {}
    for kind in KINDS:
        names = getattr(listed, kind) if listed is not None else []
        if names:
            out[kind] = _listed(root, kind, names, arch_lines, problems)
            continue
        found = conventional(root, kind)
        if len(found) > 1:
            problems.append(Problem(display_path(found[1]), None, "",
                                    f"two {kind} documents: {', '.join(p.name for p in found)}",
                                    f"keep one, or list each under `apis: {{{kind}: [...]}}` in architecture.yaml"))
            found = found[:1]
        out[kind] = found
    return out


def _listed(root: Path, kind: str, names: list[str], lines: LineMap | None, problems: list[Problem]) -> list[Path]:
    out = []
    arch_file = display_path(root / "architecture.yaml")
    for i, name in enumerate(names):
        where = ("apis", kind, i)
        line = line_of(lines, where) if lines is not None else None
        path = (root / name).resolve()
        if Path(name).is_absolute() or "://" in name or not path.is_relative_to(root.resolve()):
            problems.append(Problem(arch_file, line, f"apis.{kind}[{i}]", f"`{name}` is outside the system folder",
                                    "list paths relative to the system folder, inside it; copy the document in"))
        elif not path.is_file():
            problems.append(Problem(arch_file, line, f"apis.{kind}[{i}]", f"`{name}` does not exist",
                                    f"check the path (relative to {display_path(root)})"))
        elif path.suffix.lower() not in SUFFIXES:
            problems.append(Problem(arch_file, line, f"apis.{kind}[{i}]", f"`{name}` is not a .yaml, .yml or .json file",
                                    "API documents are YAML or JSON"))
        else:
            out.append(path)
    return out
