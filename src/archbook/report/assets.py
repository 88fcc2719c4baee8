"""Locate the offline JavaScript that reports inline (mermaid, require.js, widget manager).

`make assets` fetches these files from the npm registry into `vendor/js/` at
set-up time; a report never loads them from a CDN. They are found at run time
through `$ARCHBOOK_ASSETS`, else a `vendor/js` folder above the current
directory or above the installed package.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import os
import re
from pathlib import Path

from archbook.errors import ArchbookError

__all__ = ["ASSET_FILES", "ASSETS_FOLDER", "find_assets", "asset_bytes", "data_url", "inline_script", "script_tag",
           "shared_name", "shared_files", "assets_fingerprint"]

#: Where a report folder keeps the shared copies (see `shared_files`).
ASSETS_FOLDER = "_assets"

#: The files a report may inline, by the role they play.
ASSET_FILES = ("mermaid.min.js", "require.js", "embed-amd.js")

# HTML ends an inline script at `</script`; and after `<!--`, a `<script` makes the real
# `</script>` not end it (the "double escaped" state). Such files go in as data: URLs.
_END_TAG = re.compile(rb"</script", re.IGNORECASE)
_START_TAG = re.compile(rb"<script", re.IGNORECASE)


def _candidates() -> list[Path]:
    env = os.environ.get("ARCHBOOK_ASSETS")
    if env:
        return [Path(env)]
    starts = [Path.cwd().resolve(), Path(__file__).resolve().parent]
    found: list[Path] = []
    for start in starts:
        for folder in (start, *start.parents):
            found.append(folder / "vendor" / "js")
    return found


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in ASSET_FILES)


def find_assets() -> Path:
    """The folder holding every file in ASSET_FILES, or an ArchbookError saying how to get it."""
    for folder in _candidates():
        if _complete(folder):
            return folder
    where = os.environ.get("ARCHBOOK_ASSETS")
    looked = f"$ARCHBOOK_ASSETS={where}" if where else "vendor/js above the current folder and above the archbook package"
    raise ArchbookError(
        f"the offline report scripts ({', '.join(ASSET_FILES)}) are missing; looked in {looked}"
        "\n    hint: run `make assets` in the archbook repository (fetches them once with npm), "
        "or point $ARCHBOOK_ASSETS at a folder that holds them"
    )


@functools.lru_cache(maxsize=8)
def _read(folder: str, name: str) -> bytes:
    return (Path(folder) / name).read_bytes()


def asset_bytes(name: str) -> bytes:
    """Contents of one asset file (cached per process: these files are megabytes)."""
    if name not in ASSET_FILES:
        raise ValueError(f"unknown asset {name!r}")
    return _read(str(find_assets()), name)


@functools.lru_cache(maxsize=8)
def _data_url(folder: str, name: str) -> str:
    encoded = base64.b64encode(_read(folder, name)).decode("ascii")
    return f"data:text/javascript;base64,{encoded}"


def data_url(name: str) -> str:
    """A data: URL carrying the asset, for template slots that want a URL (require.js, widgets)."""
    asset_bytes(name)  # validates the name and the folder
    return _data_url(str(find_assets()), name)


def inline_script(name: str) -> str:
    """A complete <script> element carrying the asset with no request to any host.

    Plain inline text is smallest; a file that could end the element early
    (see _END_TAG) is embedded as a base64 data: URL instead.
    """
    raw = asset_bytes(name)
    if _END_TAG.search(raw) or (b"<!--" in raw and _START_TAG.search(raw)):
        return f'<script src="{data_url(name)}"></script>'
    return f"<script>\n{raw.decode('utf-8')}\n</script>"


@functools.lru_cache(maxsize=8)
def _digest(folder: str, name: str) -> str:
    return hashlib.sha256(_read(folder, name)).hexdigest()[:12]  # once per file: they are megabytes


def shared_name(name: str) -> str:
    """`mermaid.min.js` -> `mermaid.min.<content hash>.js`: a new version gets a new name, so a
    page never runs a script other than the one it was built with, however it is cached."""
    asset_bytes(name)  # validates the name and the folder
    digest = _digest(str(find_assets()), name)
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{digest}.{ext}"


def shared_files() -> dict[str, bytes]:
    """The files a report folder holds once for all its pages, by path relative to the folder.
    A 250-operation API page was 7.3 MB with the scripts inlined, 3.6 MB of them the widget
    manager: every page of a report carried its own copy."""
    return {f"{ASSETS_FOLDER}/{shared_name(n)}": asset_bytes(n) for n in ASSET_FILES}


def script_tag(name: str, href: str | None) -> str:
    """The asset as a <script>: inlined when `href` is None (a page that stands alone), else a
    relative reference into the report's `_assets/` folder (`href` is its URL from the page)."""
    if href is None:
        return inline_script(name)
    return f'<script src="{html.escape(href.rstrip("/") + "/" + shared_name(name), quote=True)}"></script>'


def assets_fingerprint() -> str:
    """Short hash of the asset files, part of a report's input hash."""
    digest = hashlib.sha256()
    for name in ASSET_FILES:
        digest.update(name.encode() + b"\0" + asset_bytes(name))
    return digest.hexdigest()[:16]
