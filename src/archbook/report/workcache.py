"""Finished notebook runs kept until their report is published.

A build publishes all or nothing, so without this a slow notebook that
succeeded would run again after another notebook failed or the build was
interrupted. Each successful result is stored under
`<out>/.archbook-work/<system>/<key>/<input hash>/` (outside the report folder)
by renaming a completed temp folder into place, and is reused only when the
input hash matches. Publishing a report clears its work cache.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from archbook.atomic import atomic_directory
from archbook.report.execute import JobResult

__all__ = ["WorkCache"]


class WorkCache:
    """Successful JobResults of one system's report, keyed by notebook and input hash."""

    def __init__(self, out: Path, system_name: str):
        self.root = Path(out) / ".archbook-work" / system_name

    def _slot(self, key: str, digest: str) -> Path:
        return self.root / key / digest

    def store(self, result: JobResult) -> None:
        if not result.ok:
            return
        slot = self._slot(result.key, result.input_hash)
        if slot.is_dir():
            return
        with atomic_directory(slot) as tmp:  # a slot is complete or absent
            (tmp / "notebook.ipynb").write_bytes(result.notebook)
            (tmp / "page.html").write_text(result.html or "", encoding="utf-8")
            for rel, data in result.artifacts.items():
                target = tmp / "artifacts" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            meta = {"key": result.key, "notebook_name": result.notebook_name, "seconds": result.seconds}
            (tmp / "result.json").write_text(json.dumps(meta))

    def load(self, key: str, digest: str) -> JobResult | None:
        slot = self._slot(key, digest)
        try:
            meta = json.loads((slot / "result.json").read_text())
            artifacts_dir = slot / "artifacts"
            artifacts = {p.relative_to(artifacts_dir).as_posix(): p.read_bytes()
                         for p in sorted(artifacts_dir.rglob("*")) if p.is_file()} if artifacts_dir.is_dir() else {}
            return JobResult(key=key, notebook_name=meta["notebook_name"], input_hash=digest, ok=True,
                             notebook=(slot / "notebook.ipynb").read_bytes(),
                             html=(slot / "page.html").read_text(encoding="utf-8"),
                             artifacts=artifacts, seconds=float(meta.get("seconds", 0.0)))
        except (OSError, ValueError, KeyError):
            return None

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        try:
            self.root.parent.rmdir()  # only when no other system's cache is left
        except OSError:
            pass
