"""docs/bad-inputs.md lists at least 40 bad inputs, each with the exact message archbook gives today."""
from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests" / "data" / "broken" / "make_table.py"


def _make_table():
    spec = importlib.util.spec_from_file_location("make_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doc_is_current_and_long_enough():
    module = _make_table()
    text = (REPO / "docs" / "bad-inputs.md").read_text(encoding="utf-8")
    assert text == module.table(), "docs/bad-inputs.md is stale: run tests/data/broken/make_table.py"
    assert sum(line.startswith("| `") for line in text.splitlines()) >= 40


def test_readme_links_the_table():
    assert "docs/bad-inputs.md" in (REPO / "README.md").read_text(encoding="utf-8")
