"""`archbook new NAME [--dir data] [--openapi FILE ...] [--asyncapi FILE]`: scaffold a system folder
that validates, from the bundled template, optionally around API documents a team already has.

Given documents are copied in (with the files their relative `$ref`s name) instead of the
template's; one per kind takes the conventional name, several are listed under `apis:` in
architecture.yaml. Refuses to overwrite anything and rejects names that would escape `--dir`.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from archbook.errors import ArchbookError, UnsafePathError

__all__ = ["register", "run", "scaffold", "TEMPLATE_DIR", "TEMPLATE_FILES"]

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "load" / "templates"
TEMPLATE_FILES = ("architecture.yaml", "patterns.yaml", "openapi.yaml", "asyncapi.yaml", "versioning.yaml", "queue.yaml")
API_KINDS = ("openapi", "asyncapi")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def register(subparsers) -> None:
    p = subparsers.add_parser("new", help="scaffold a new system folder that validates")
    p.add_argument("name", help="folder name for the system, e.g. payments (letters, digits, - _ .)")
    p.add_argument("--dir", default="data", help="parent folder (default: data)")
    p.add_argument("--openapi", action="append", default=[], metavar="FILE",
                   help="an existing OpenAPI 3.0/3.1 document to start from (repeat for one per service)")
    p.add_argument("--asyncapi", action="append", default=[], metavar="FILE",
                   help="an existing AsyncAPI document to start from")
    p.set_defaults(func=run)


def _check_name(name: str) -> None:
    if "/" in name or "\\" in name or name in (".", "..") or ".." in name or not _NAME.match(name):
        raise UnsafePathError(
            f"`{name}` is not a valid system name\n    hint: use letters, digits, `-`, `_` and `.` only "
            "(no path separators or `..`), starting with a letter or digit")


def _title(name: str) -> str:
    return re.sub(r"[-_.]+", " ", name).strip().title() or name


def scaffold(name: str, parent: str | Path = "data", apis: dict[str, list[str]] | None = None) -> Path:
    """Create `parent/name/` with the template files (and the given API documents); return the folder."""
    from archbook.cli import api_import

    apis = {k: [Path(f) for f in v] for k, v in (apis or {}).items() if v}
    copies = api_import.plan(apis)  # raises before anything is written
    _check_name(name)
    parent = Path(parent)
    target = parent / name
    if target.exists():
        raise ArchbookError(f"{target} already exists; refusing to overwrite it\n"
                            "    hint: choose another name or remove the folder first")
    parent.mkdir(parents=True, exist_ok=True)
    # Build in a temporary sibling and rename, so a failure never leaves a half-made system behind.
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=parent))
    try:
        for fname in TEMPLATE_FILES:
            if Path(fname).stem in API_KINDS and apis:
                continue  # the team's own documents only: no placeholder API of another kind
            text = (TEMPLATE_DIR / fname).read_text(encoding="utf-8")
            if fname == "architecture.yaml":
                text = api_import.adapt_architecture(text, apis, copies)
            (tmp / fname).write_text(text.replace("__SYSTEM_NAME__", _title(name)), encoding="utf-8")
        api_import.copy_into(tmp, copies)
        os.rename(tmp, target)  # fails if `target` appeared meanwhile: still no overwrite
    except BaseException:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def run(args) -> int:
    target = scaffold(args.name, args.dir, {"openapi": args.openapi, "asyncapi": args.asyncapi})
    print(f"created {target}/ with {', '.join(sorted(p.name for p in target.iterdir()))}")
    print(f"next: edit the TODOs, then `archbook validate {target}`")
    return 0
