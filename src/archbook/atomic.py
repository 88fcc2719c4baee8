"""Atomic file writes, shared by every package that writes output.

A reader (a person, a browser, the next build) must see the old file or the new one, never
half of one, and an interrupted run must leave no stray file behind. So every write goes to a
temp file in the destination folder and is moved into place with `os.replace`.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "atomic_directory", "TMP_PREFIX"]

#: Prefix of every temp file archbook creates, so leftovers are recognisable.
TMP_PREFIX = ".archbook-tmp-"


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` so readers see the old file or the new one, never a mix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are meant to be read
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """UTF-8 text flavour of `atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_directory(target: str | os.PathLike):
    """Yield a temp folder beside `target`; on success rename it to `target`, else remove it.

    The folder flavour of `atomic_write_bytes`: a reader sees the whole folder or none of it.
    `os.rename` of a folder fails if `target` appeared meanwhile, so nothing is ever overwritten.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=target.parent))
    try:
        yield tmp
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
