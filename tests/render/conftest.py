"""Fixtures: design models built in Python (complete, hostile, incomplete) and the example systems."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import sample_systems  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# every example system under data/ (the video editor and a second one, e.g. data/doc-ocr)
EXAMPLES = sorted(f"data/{p.parent.name}" for p in (REPO / "data").glob("*/architecture.yaml"))


@pytest.fixture
def mini():
    return sample_systems.mini()


@pytest.fixture
def hostile():
    return sample_systems.hostile()


@pytest.fixture
def incomplete():
    return sample_systems.incomplete()


def load_example(rel: str):
    """Load an example system through the real loader."""
    from archbook.load import load_system

    path = REPO / rel
    if not path.is_dir():
        pytest.fail(f"example system {rel} is missing")
    return load_system(path)


@pytest.fixture(scope="session")
def video_editor():
    return load_example("data/video-editor")


@pytest.fixture(scope="session", params=EXAMPLES)
def example_system(request):
    return load_example(request.param)
