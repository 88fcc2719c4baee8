"""Reuse the Python-built design models of tests/render (complete, hostile, incomplete)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "render" / "sample_systems.py"
if "sample_systems" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("sample_systems", _PATH)
    sys.modules["sample_systems"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["sample_systems"])
sample_systems = sys.modules["sample_systems"]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def mini():
    return sample_systems.mini()


@pytest.fixture
def incomplete():
    return sample_systems.incomplete()
