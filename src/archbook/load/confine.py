"""Resolve a path a system file names, refusing anything outside the system folder.

A design folder is often someone else's (a repository, a mail attachment): the paths in it
must not make archbook read `/etc/passwd` or `~/.ssh`. A named path is relative to the file
that names it; absolute paths, `..` that climbs out, and symlinks that point outside are each
refused with the file and line that named them.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from archbook.errors import Problem, ValidationFailed

__all__ = ["confined_path", "path_problem"]


def path_problem(text: str) -> str | None:
    """Why `text` cannot name a file inside the folder, judged from the text alone (no I/O); None when it can."""
    if "://" in text:
        return "is a URL; archbook reads only files inside the system folder"
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() or text.startswith("~"):
        return "is an absolute path; give a path relative to the system folder"
    depth = 0
    for part in PurePosixPath(text.replace("\\", "/")).parts:
        depth += -1 if part == ".." else (0 if part == "." else 1)
        if depth < 0:
            return "climbs out of the system folder with `..`"
    return None


def confined_path(root: Path, text: str, *, file: str, line: int | None, field: str) -> Path:
    """`root / text`, resolved (symlinks followed), or `ValidationFailed` when it leaves `root`."""
    reason = path_problem(text)
    if reason is None:
        resolved = (root / text).resolve()
        if not resolved.is_relative_to(root.resolve()):
            reason = f"leads outside the system folder (to {resolved}), through a symlink"
    if reason:
        raise ValidationFailed([Problem(file, line, field, f"path `{text}` {reason}",
                                        "keep the file inside the system folder and name it relative to it")])
    return resolved
