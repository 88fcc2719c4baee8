"""Resolving stage: follow `$ref`s to other files inside the system folder, and find `$ref` cycles.

Multi-file API documents are bundled into one document here, once, so that validation and the
`apis/` builders see a single dict with local refs only. A referenced schema becomes a named
component (`#/components/schemas/<name>`), so shared and recursive schemas stay names; any other
referenced object (a parameter, a response, a path item) is copied in place. A `$ref` that
leaves the folder (`../`, an absolute path, a symlink pointing out, a URL) is refused.

Calls only the reading stage.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archbook.errors import Problem
from archbook.load.diagnose import dotted
from archbook.load.jsonrefs import all_refs, line_of, resolve_pointer, walk_refs
from archbook.load.reading import display_path, read_document
from archbook.load.yamlsrc import LineMap

__all__ = ["Resolved", "resolve_document", "ref_cycles"]

_SCHEMA_KEYS = {"schema", "schemas", "properties", "items", "allOf", "anyOf", "oneOf", "not", "additionalProperties",
                "prefixItems", "patternProperties", "$defs", "definitions", "payload"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass
class Resolved:
    """One API document after resolving: the bundled data, the root file's line marks, the files it read."""

    doc: dict
    lines: LineMap
    file: str
    files: list[str] = field(default_factory=list)
    refs: list[tuple[tuple, str]] = field(default_factory=list)  # every (path, $ref) of the bundled document


class _Bundler:
    def __init__(self, folder: Path, root_file: Path, doc: dict, lines: LineMap, problems: list[Problem]):
        self.folder, self.root_file, self.doc, self.lines, self.problems = folder, root_file, doc, lines, problems
        self.cache: dict[Path, Any] = {root_file: doc}
        self.named: dict[tuple[Path, str], str] = {}  # (file, pointer) -> component schema name
        self.stack: list[tuple[Path, str]] = []  # objects being copied in (cycle detection)

    def bundle(self) -> None:
        for path, ref in list(walk_refs(self.doc)):
            if not ref.startswith("#"):
                self._replace(self.doc, path[:-1], self._external(ref, self.root_file, path))

    def _external(self, ref: str, base: Path, where: tuple) -> dict:
        """The node a `$ref` written in `base` at `where` becomes (a local ref or a copied object)."""
        target = self._target(ref, base, where)
        if target is None:
            return {}
        file, pointer = target
        if file == self.root_file:
            return {"$ref": pointer}
        data = self._load(file, where)
        found = resolve_pointer(data, pointer) if data is not None else None
        if found is None:
            if data is not None:
                self._problem(where, f"$ref `{ref}` points to nothing in {display_path(file)}",
                              "check the file name and the part after `#`")
            return {}
        if _SCHEMA_KEYS & {str(p) for p in where[:-1]}:
            return {"$ref": "#/components/schemas/" + self._name(file, pointer, found[1], where)}
        if (file, pointer) in self.stack:
            self._problem(where, f"$ref cycle: `{ref}` leads back to itself", "break the cycle; only schemas may recurse")
            return {}
        self.stack.append((file, pointer))
        try:
            return self._rewrite(copy.deepcopy(found[1]), file, where)
        finally:
            self.stack.pop()

    def _name(self, file: Path, pointer: str, node: Any, where: tuple) -> str:
        key = (file, pointer)
        if key in self.named:
            return self.named[key]
        schemas = self.doc.setdefault("components", {}).setdefault("schemas", {})
        last = pointer.rsplit("/", 1)[-1] if pointer not in ("", "#") else file.stem
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", last) or "Schema"
        name, n = base, 1
        while name in schemas:
            n += 1
            name = f"{base}{n}"
        self.named[key] = name
        schemas[name] = {}
        schemas[name] = self._rewrite(copy.deepcopy(node), file, where)
        return name

    def _rewrite(self, node: Any, file: Path, where: tuple) -> Any:
        """Refs inside a copied node are relative to the file it came from."""
        for path, ref in list(walk_refs(node)):
            local = ref if not ref.startswith("#") else f"{file.name}{ref}"
            if file == self.root_file and ref.startswith("#"):
                continue
            if not path[:-1]:
                return self._external(local, file, where + path)
            self._replace(node, path[:-1], self._external(local, file, where + path))
        return node

    def _target(self, ref: str, base: Path, where: tuple) -> tuple[Path, str] | None:
        part, _, fragment = ref.partition("#")
        if _URL.match(ref) or ref.startswith("//"):
            return self._refuse(where, ref, "URLs are not followed; copy the document into the system folder")
        if Path(part).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", part):
            return self._refuse(where, ref, "use a path relative to the file, inside the system folder")
        target = (base.parent / part).resolve()
        if not target.is_relative_to(self.folder):
            return self._refuse(where, ref, "it resolves outside the system folder (via `..` or a symlink); "
                                            "copy the file into the folder")
        return target, "#" + fragment

    def _refuse(self, where: tuple, ref: str, hint: str) -> None:
        self._problem(where, f"$ref `{ref}` is outside the system folder and is not followed", hint)
        return None

    def _load(self, file: Path, where: tuple) -> Any:
        if file not in self.cache:
            found: list[Problem] = []
            if not file.is_file():
                self._problem(where, f"$ref target {display_path(file)} does not exist", "check the file name")
                self.cache[file] = None
            else:
                parsed = read_document(file, found)
                self.problems.extend(found)
                self.cache[file] = parsed[0] if parsed else None
        return self.cache[file]

    def _problem(self, where: tuple, message: str, hint: str) -> None:
        self.problems.append(Problem(display_path(self.root_file), line_of(self.lines, where), dotted(where), message, hint))

    @staticmethod
    def _replace(node: Any, path: tuple, value: Any) -> None:
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value


def resolve_document(path: Path, folder: Path, problems: list[Problem]) -> Resolved | None:
    """Read the API document at `path` and bundle the files it references (all inside `folder`)."""
    parsed = read_document(path, problems)
    if parsed is None:
        return None
    doc, lines = parsed
    before = len(problems)
    bundler = _Bundler(folder.resolve(), path.resolve(), doc, lines, problems)
    refs = all_refs(doc)
    if any(not ref.startswith("#") for _, ref in refs):
        bundler.bundle()
        refs = all_refs(doc)
    problems += ref_cycles(doc, display_path(path), lines, refs)
    if len(problems) > before and any(p.severity == "error" for p in problems[before:]):
        return None
    return Resolved(doc, lines, display_path(path), [display_path(f) for f in bundler.cache if f != path.resolve()], refs)


def ref_cycles(doc: dict, file: str, lines: LineMap, refs: list | None = None) -> list[Problem]:
    """`$ref`s that lead only to other `$ref`s and back: no object is ever reached.

    A recursive schema (a property that refers back to its schema) passes through an object, so it
    is valid and not reported.
    """
    out, reported = [], set()
    targets: dict[str, Any] = {}
    for path, ref in (refs if refs is not None else all_refs(doc)):
        if ref not in targets:
            found = resolve_pointer(doc, ref) if ref.startswith("#") else None
            targets[ref] = found is not None and isinstance(found[1], dict) and "$ref" in found[1]
        if not targets[ref]:  # leads straight to a definition (the usual case): no cycle through here
            continue
        seen, current = [path[:-1]], ref
        while isinstance(current, str) and current.startswith("#"):
            found = resolve_pointer(doc, current)
            if found is None or not isinstance(found[1], dict) or "$ref" not in found[1]:
                break
            if found[0] in seen:
                start = found[0]
                if start not in reported:
                    reported.update(seen)
                    out.append(Problem(file, line_of(lines, start + ("$ref",)), dotted(start),
                                       f"$ref cycle: `{dotted(start)}` refers back to itself through "
                                       f"{len(seen)} reference(s) and never reaches a definition",
                                       "point one of the `$ref`s at a real definition"))
                break
            seen.append(found[0])
            current = found[1]["$ref"]
    return out
