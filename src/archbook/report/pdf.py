"""Print report pages to PDF with the system's headless Chromium.

Chromium draws the Mermaid diagrams exactly as a reader's browser would, so the
PDF matches the HTML. It runs fully offline: background networking, updates
and sync are off, and a throw-away profile is used.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from archbook.errors import ArchbookError

__all__ = ["find_chromium", "print_pdf", "CHROMIUM_FLAGS"]

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--no-default-browser-check", "--disable-extensions",
)
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str:
    """Path of a Chromium binary ($ARCHBOOK_CHROMIUM first), or an ArchbookError saying how to get one."""
    env = os.environ.get("ARCHBOOK_CHROMIUM")
    candidates = [env] if env else list(_NAMES)
    for name in candidates:
        found = shutil.which(name)
        if found:
            return found
    raise ArchbookError(
        "--pdf needs Chromium, but " + (f"$ARCHBOOK_CHROMIUM={env} is not executable" if env
                                         else "no chromium binary is on PATH")
        + "\n    hint: install it (Debian/Ubuntu: `sudo apt-get install chromium`), set $ARCHBOOK_CHROMIUM "
          "to its path, or drop --pdf"
    )


def print_pdf(html_file: Path, *, budget_ms: int = 20000, timeout_s: float = 120.0) -> bytes:
    """PDF bytes of the page at `html_file`.

    `--virtual-time-budget` lets the page's scripts (mermaid) finish before printing.
    """
    chromium = find_chromium()
    html_file = Path(html_file).resolve()
    with tempfile.TemporaryDirectory(prefix="archbook-pdf-") as tmp:
        target = Path(tmp) / "out.pdf"
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
               f"--virtual-time-budget={budget_ms}", f"--print-to-pdf={target}", html_file.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ArchbookError(f"Chromium did not finish printing {html_file.name} within {timeout_s:.0f} s") from exc
        if not target.is_file() or target.stat().st_size == 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            raise ArchbookError(f"Chromium could not print {html_file.name} to PDF (exit {proc.returncode}): "
                                + " | ".join(detail))
        return target.read_bytes()
