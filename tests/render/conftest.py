"""Fixtures: design models built in Python (complete, hostile, incomplete) and the example systems."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import sample_systems  # noqa: E402
from sample_systems import EXAMPLES, load_example  # noqa: E402


@pytest.fixture
def mini():
    return sample_systems.mini()


@pytest.fixture
def hostile():
    return sample_systems.hostile()


@pytest.fixture
def incomplete():
    return sample_systems.incomplete()


@pytest.fixture(scope="session")
def video_editor():
    return load_example("data/video-editor")


@pytest.fixture(scope="session", params=EXAMPLES)
def example_system(request):
    return load_example(request.param)
