"""Remember which OpenAPI documents openapi-spec-validator already passed.

SPEED SHORTCUT: importing and running openapi-spec-validator costs about 0.2 s in a fresh
process, most of a cold `load_system`. Its verdict depends only on the document and on the
validator's code, so a *passing* verdict is recorded as an empty marker file named by a hash
of both; the next fresh process with the same document and the same installed validator
skips it. Failing documents are never recorded (they are re-checked every time), and every
other check of archbook still runs. The marker lives in the user cache directory
(`$ARCHBOOK_CACHE_DIR`, else `$XDG_CACHE_HOME/archbook`, else `~/.cache/archbook`), never in
the system folder or an output folder; `ARCHBOOK_NO_CACHE=1` turns it off. Any error while
reading or writing the cache simply means "not cached".
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

__all__ = ["cache_dir", "is_known_valid", "remember_valid"]

_FORMAT = "openapi-ok-v1"
_VALIDATOR_MODULES = ("openapi_spec_validator", "openapi_schema_validator", "jsonschema", "jsonschema_path")


def cache_dir() -> Path | None:
    if os.environ.get("ARCHBOOK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("ARCHBOOK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archbook"


def _validator_stamp() -> str:
    """Where and when the validator's packages were installed: changes on any upgrade, no import needed."""
    parts = []
    for name in _VALIDATOR_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            parts.append(f"{name}:missing")
            continue
        st = os.stat(spec.origin)
        parts.append(f"{name}:{spec.origin}:{st.st_mtime_ns}:{st.st_size}")
    return "|".join(parts)


def _marker(doc: dict) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        # repr keeps key order and types (200 vs "200"), so equal reprs mean equal documents
        digest = hashlib.sha256(f"{_FORMAT}\n{_validator_stamp()}\n{doc!r}".encode()).hexdigest()
    except (OSError, ValueError, RecursionError):
        return None
    return folder / f"{_FORMAT}-{digest}"


def is_known_valid(doc: dict) -> bool:
    marker = _marker(doc)
    try:
        return marker is not None and marker.is_file()
    except OSError:
        return False


def remember_valid(doc: dict) -> None:
    marker = _marker(doc)
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch(exist_ok=True)  # empty file: creation is atomic enough, content-free
    except OSError:
        pass
