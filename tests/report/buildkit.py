"""Paths and helpers shared by the build tests (imported as `buildkit`)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

__all__ = ["REPO", "FIXTURES", "FIXTURE_NOTEBOOKS", "SYSTEM", "CHROMIUM", "fixture_workers", "require_chromium"]

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_NOTEBOOKS = FIXTURES / "notebooks"
SYSTEM = REPO / "data" / "video-editor"
CHROMIUM = Path("/usr/bin/chromium")


def fixture_workers(arrival_multiplier: float = 1.0, autoscale: bool = True) -> int:
    """What 01_fixture.ipynb computes, so tests can check its numbers independently."""
    import math

    return math.ceil(4 * arrival_multiplier * (0.75 if autoscale else 1.0))


def require_chromium() -> None:
    """Skip when chromium is absent, except under CI=true where its absence is a failure."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing but CI=true: these tests must run (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed: install Debian's chromium to run this test")
