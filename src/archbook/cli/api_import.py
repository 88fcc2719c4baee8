"""Copying a team's existing API documents into a new system folder (`archbook new --openapi FILE`).

Each document comes with every file its relative `$ref`s name (followed transitively), at the
same relative place, so multi-file documents keep working. A `$ref` that leaves the document's
own folder, or a URL, is refused before anything is written.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from archbook.errors import ArchbookError

__all__ = ["plan", "copy_into", "adapt_architecture"]


def _refs(path: Path) -> list[str]:
    """The external `$ref` targets written in one YAML/JSON file (read as text: any valid file works)."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"""["']?\$ref["']?\s*:\s*["']?([^"'\s,}#]+)""", text)
    return [r for r in found if r and not r.startswith("#")]


def _closure(doc: Path) -> list[Path]:
    """The document and every file it references, relative to the document's folder."""
    base = doc.resolve().parent
    seen, todo = [], [doc.resolve()]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        for ref in _refs(current):
            if "://" in ref or Path(ref).is_absolute():
                raise ArchbookError(f"{current}: $ref `{ref}` is not a file inside the document's folder\n"
                                    "    hint: copy the referenced file next to the document and use a relative $ref")
            target = (current.parent / ref).resolve()
            if not target.is_relative_to(base) or not target.is_file():
                raise ArchbookError(f"{current}: $ref `{ref}` names a file outside {base} or missing\n"
                                    "    hint: keep every file of a multi-file document under the document's folder")
            todo.append(target)
    return seen


def plan(apis: dict[str, list[Path]]) -> dict[str, list[tuple[Path, str]]]:
    """kind -> [(source file, path inside the new folder)], checked before anything is written."""
    out: dict[str, list[tuple[Path, str]]] = {}
    for kind, docs in apis.items():
        out[kind] = []
        for i, doc in enumerate(docs):
            if not doc.is_file():
                raise ArchbookError(f"{doc}: no such file\n    hint: pass the path of an existing {kind} document")
            if doc.suffix.lower() not in (".yaml", ".yml", ".json"):
                raise ArchbookError(f"{doc}: not a .yaml, .yml or .json file")
            folder = "" if len(docs) == 1 else f"apis/{kind}-{i + 1}-{doc.stem}/"
            main = f"{folder}{kind}{doc.suffix.lower()}" if len(docs) == 1 else f"{folder}{doc.name}"
            out[kind].append((doc.resolve(), main))
            base = doc.resolve().parent
            out[kind] += [(f, f"{folder}{f.relative_to(base).as_posix()}") for f in _closure(doc)[1:]]
    return out


def copy_into(folder: Path, copies: dict[str, list[tuple[Path, str]]]) -> None:
    for items in copies.values():
        for source, rel in items:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, folder / rel)


def adapt_architecture(text: str, apis: dict[str, list[Path]], copies: dict[str, list[tuple[Path, str]]]) -> str:
    """The template's flows name the template API's operations; drop those, and list several documents."""
    if apis:  # the template's API documents are not written: no flow may name their operations
        text = re.sub(r", (?:operation|event): \w+", "", text)
    listed = {k: [rel for src, rel in copies[k] if src in {d.resolve() for d in docs}]
              for k, docs in apis.items() if len(docs) > 1}
    if listed:
        text += "\n# API documents, one per service (paths relative to this folder)\napis:\n" + "".join(
            f"  {kind}:\n" + "".join(f"    - {rel}\n" for rel in rels) for kind, rels in listed.items())
    return text
