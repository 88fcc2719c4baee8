"""The generated large system (tests/render/large_system.py), written to a folder like a user's."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "render"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_folders import write_system  # noqa: E402


@pytest.fixture
def large_folder(tmp_path):
    return lambda views=None, **kw: write_system(tmp_path / "large", views, **kw)
