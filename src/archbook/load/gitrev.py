"""A folder as it was at a git revision, read with `git ls-tree` and `git show` (no checkout).

The files are written into a temporary folder that the caller owns, so the loaders read an
old version exactly like a current one, and the user's work tree is never touched.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from archbook.errors import ArchbookError

__all__ = ["GitError", "export_revision"]


class GitError(ArchbookError):
    """git could not give the folder at that revision."""


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed; it is needed for --since/--against") from exc
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])}: {msg[-1] if msg else 'failed'}")
    return done.stdout


def _entries(listing: bytes) -> list[tuple[str, str]]:
    """(type, name) of each `git ls-tree -z` line: `<mode> <type> <object>\t<name>`."""
    out = []
    for entry in filter(None, listing.split(b"\0")):
        meta, name = entry.split(b"\t", 1)
        out.append((meta.split()[1].decode(), name.decode("utf-8", "replace")))
    return out


def export_revision(folder: str | Path, rev: str, dest: str | Path) -> Path:
    """Write the files directly inside `folder` as of `rev` into `dest`; return `dest`."""
    folder, dest = Path(folder).resolve(), Path(dest)
    if rev.startswith("-"):
        raise GitError(f"{rev!r} is not a revision")
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    rel = folder.relative_to(top).as_posix()
    prefix = f"{rel}/" if rel != "." else ""
    listing = _git(top, "ls-tree", "-z", f"{rev}:{rel}" if prefix else f"{rev}:")
    names = [name for kind, name in _entries(listing) if kind == "blob"]
    if not names:
        raise GitError(f"{prefix or './'} has no files at {rev}")
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        (dest / name).write_bytes(_git(top, "show", f"{rev}:{prefix}{name}"))
    return dest
