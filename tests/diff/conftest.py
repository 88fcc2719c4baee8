"""The small OpenAPI document of diffdocs.py, fresh for each test."""
import copy

import pytest

from diffdocs import BASE


@pytest.fixture
def doc():
    return copy.deepcopy(BASE)
