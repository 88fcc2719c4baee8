"""Every file a system folder brings in stays inside it, symlinks included.

`confine.py` judges one named path; this module applies it to all the files a system folder
can include before any of them is read: the conventional files (architecture.yaml, queue.yaml,
openapi.yaml, archbook_rules.py, ...), the GraphQL schema files and examples folder that
architecture.yaml names, and every file inside that examples folder. (API document lists,
$refs, traces and service-time CSVs are checked where they are read.)
"""
from __future__ import annotations

from pathlib import Path

from archbook.errors import Problem, ValidationFailed
from archbook.load.confine import confined_path
from archbook.load.jsonrefs import line_of
from archbook.load.reading import display_path
from archbook.load.yamlsrc import LineMap

__all__ = ["conventional_file_problems", "graphql_path_problems"]

CONVENTIONAL = ("architecture.yaml", "patterns.yaml", "versioning.yaml", "queue.yaml", "archbook_rules.py",
                *(f"{kind}{suffix}" for kind in ("openapi", "asyncapi") for suffix in (".yaml", ".yml", ".json")))
_GRAPHQL_SUFFIXES = (".graphql", ".graphqls")


def _problem(root: Path, text: str, file: str, line: int | None, field: str) -> list[Problem]:
    try:
        confined_path(root, text, file=file, line=line, field=field)
    except ValidationFailed as exc:
        return list(exc.problems)
    return []


def conventional_file_problems(root: Path) -> list[Problem]:
    """A conventional file (or a top-level GraphQL schema) that is a symlink leading out of the folder."""
    names = [*CONVENTIONAL, *(p.name for p in root.iterdir() if p.suffix in _GRAPHQL_SUFFIXES)] \
        if root.is_dir() else []
    out: list[Problem] = []
    for name in names:
        if (root / name).is_symlink():
            out += _problem(root, name, display_path(root / name), None, "")
    return out


def graphql_path_problems(root: Path, config, lines: LineMap | None) -> list[Problem]:
    """`graphql.schema` entries, `graphql.examples` and the files in that folder, each inside `root`."""
    if config is None:
        return []
    arch = display_path(root / "architecture.yaml")
    where = (lambda *key: line_of(lines, key) if lines is not None else None)
    out: list[Problem] = []
    for i, name in enumerate(config.schema_files):
        out += _problem(root, name, arch, where("graphql", "schema", i), f"graphql.schema[{i}]")
    examples = _problem(root, config.examples, arch, where("graphql", "examples"), "graphql.examples")
    if not examples and (root / config.examples).is_dir():
        folder = root / config.examples
        for p in sorted(folder.iterdir()):
            rel = p.relative_to(root).as_posix()
            out += _problem(root, rel, display_path(p), None, "graphql.examples") if p.is_symlink() else []
    return out + examples
