"""Safe output paths and signal discipline for report builds (atomic writes live in `archbook.atomic`).

A report is read by people who never see the build: a half-written HTML page
or a stray temp file is worse than no page. Every file is written to a temp
file in its final folder and moved into place with `os.replace`, and every
path is checked to stay inside the chosen output folder.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

from archbook.errors import UnsafePathError

__all__ = [
    "safe_join",
    "check_name",
    "sanitize_name",
    "signals_deferred",
    "sigterm_as_interrupt",
]

_SAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 80


def safe_join(root: Path, *parts: str | os.PathLike) -> Path:
    """Join `parts` under `root`, refusing any result that escapes `root` (.., absolute, symlinks)."""
    root_resolved = Path(root).resolve()
    candidate = root_resolved.joinpath(*[os.fspath(p) for p in parts])
    resolved = candidate.resolve()
    if resolved != root_resolved and not resolved.is_relative_to(root_resolved):
        shown = "/".join(os.fspath(p) for p in parts)
        raise UnsafePathError(
            f"refusing to write '{shown}': it resolves to {resolved}, outside the output folder {root_resolved}"
            "\n    hint: use a plain name without '..', '/' or a symlink that leaves the output folder"
        )
    return resolved


def check_name(name: str, what: str) -> str:
    """Accept `name` as a single path component, or raise UnsafePathError naming `what`."""
    bad = (
        not name
        or name in {".", ".."}
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or name.startswith(".")
    )
    if bad:
        raise UnsafePathError(
            f"{what} {name!r} cannot be used as a folder name inside the output folder"
            "\n    hint: use letters, digits, '-', '_' or '.', not starting with '.' and without '/' or '..'"
        )
    return name


def sanitize_name(text: str) -> str:
    """Turn free text (e.g. parameter values) into one safe, readable path component.

    Unsafe characters become '_'; a long name is cut and suffixed with a short
    hash so that two different inputs never collapse into one folder.
    """
    name = _SAFE_CHARS.sub("_", text).strip("._-") or "x"
    if name != text or len(name) > _MAX_NAME:  # lossy: keep inputs distinguishable
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        name = f"{name[: _MAX_NAME - 9]}-{digest}"
    return name


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT/SIGTERM while a batch of atomic renames publishes a report.

    A signal that arrives meanwhile is delivered right after, so a report is
    either fully published or not at all. Python handlers are swapped (rather than
    the thread's signal mask) because a process-directed signal goes to any thread
    that does not block it, and Python still runs its handler in the main thread.
    """
    sigs = (signal.SIGINT, signal.SIGTERM)
    pending: list[int] = []
    try:
        old = {s: signal.signal(s, lambda signum, _frame: pending.append(signum)) for s in sigs}
    except ValueError:  # not the main thread: signals are the main thread's business
        yield
        return
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        for signum in pending[:1]:
            signal.raise_signal(signum)


def _raise_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Make SIGTERM unwind like Ctrl-C so `finally` blocks clean up temp files."""
    try:
        old = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)
