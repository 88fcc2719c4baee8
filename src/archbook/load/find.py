"""Locate a system folder the way a user means it, whatever the current directory.

Notebooks run with cwd `notebooks/` (papermill, nbval) yet pass "data/video-editor",
which is relative to the repository root; so a relative path is tried against the cwd
and then each of its parents.
"""
from __future__ import annotations

from pathlib import Path

from archbook.errors import ArchbookError

__all__ = ["find_system", "SystemNotFound"]


class SystemNotFound(ArchbookError):
    """No system folder matches the given path."""


_FILES = {"architecture.yaml", "patterns.yaml", "versioning.yaml", "queue.yaml"} | {
    f"{kind}{suffix}" for kind in ("openapi", "asyncapi") for suffix in (".yaml", ".yml", ".json")}


def _is_system(folder: Path) -> bool:
    return folder.is_dir() and (folder / "architecture.yaml").is_file()


def find_system(path: str | Path, start: str | Path | None = None) -> Path:
    """Absolute path of the system folder `path` (absolute, or relative to cwd or any parent of it)."""
    path = Path(path).expanduser()
    if path.suffix in (".yaml", ".yml", ".json") and path.name in _FILES:  # `validate data/x/openapi.yaml` means the folder
        path = path.parent
    here = Path(start or Path.cwd()).resolve()
    tried = [path] if path.is_absolute() else [base / path for base in (here, *here.parents)]
    for candidate in tried:
        if _is_system(candidate):
            return candidate.resolve()
    # A folder that exists but lacks architecture.yaml: return it so the loader can say what is missing.
    for candidate in tried:
        if candidate.is_dir():
            return candidate.resolve()
    raise SystemNotFound(_not_found(path, tried))


def _not_found(path: Path, tried: list[Path]) -> str:
    shown = ", ".join(str(t) for t in tried[:3]) + (" ..." if len(tried) > 3 else "")
    return (f"{path}: no system folder found (a system folder contains architecture.yaml; looked at {shown})"
            "\n    hint: pass the folder that holds architecture.yaml, e.g. data/video-editor, "
            "or create one with `archbook new NAME`")
