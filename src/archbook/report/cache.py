"""Input hashes that decide whether a notebook run is up to date.

A run is skipped on a rerun when the hash of everything that can change its
output is unchanged: the notebook's content, its parameters, every file of the
system folder, archbook itself (version and source), the offline scripts and
the export options.
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import archbook

__all__ = ["input_hash", "system_files", "package_fingerprint"]

_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".git"}


def system_files(system_dir: Path) -> dict[str, bytes]:
    """Every regular file of a system folder (relative POSIX path -> bytes), hidden ones excluded."""
    root = Path(system_dir)
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            files[rel.as_posix()] = path.read_bytes()
    return files


@functools.lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """archbook's version plus a hash of its source, so code changes invalidate old runs."""
    digest = hashlib.sha256(archbook.__version__.encode())
    root = Path(archbook.__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2", ".json", ".yaml", ".css", ".js"} \
                and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{archbook.__version__}+{digest.hexdigest()[:16]}"


def input_hash(notebook_text: str, parameters: dict, system_dir: Path, *extra: str) -> str:
    """Hex digest over a run's inputs; `extra` carries options such as export settings."""
    digest = hashlib.sha256()

    def part(label: str, data: bytes) -> None:
        digest.update(label.encode() + b"\0" + len(data).to_bytes(8, "big") + data)

    part("notebook", notebook_text.encode("utf-8"))
    part("parameters", json.dumps(parameters, sort_keys=True, default=str).encode())
    for rel, data in system_files(system_dir).items():
        part(f"system:{rel}", data)
    part("archbook", package_fingerprint().encode())
    for item in extra:
        part("extra", item.encode())
    return digest.hexdigest()
