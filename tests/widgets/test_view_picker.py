"""The view picker lists the document's views and shows each one's diagram."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "render"))
import large_system  # noqa: E402

from archbook.widgets.view_picker import view_markdown, view_options, view_picker  # noqa: E402


def test_small_system_offers_the_whole_diagram():
    from archbook.load import load_system

    system = load_system("data/video-editor")
    assert view_options(system) == [("Whole system", "architecture")]
    text = view_markdown(system, "architecture")
    assert text.startswith("```mermaid\ngraph TB\n") and "click" not in text


def test_large_system_lists_overview_then_views_and_switches():
    arch = large_system.model(300, 900)
    options = view_options(arch)
    assert options[0] == ("Overview (level 1)", "overview") and ("billing (group-billing)", "group-billing") in options
    assert len(options) == 1 + 42
    picker = view_picker(arch)
    first = picker.output.outputs[0]["data"]["text/markdown"]
    assert first.startswith("#### Overview\n\n```mermaid\ngraph TB\n")
    picker.dropdown.value = "group-billing"
    shown = picker.output.outputs[0]["data"]["text/markdown"]
    assert shown.startswith("#### billing\n\nGroup billing: its components;") and 'click n' in shown
    with pytest.raises(KeyError, match="unknown view 'nope'"):
        view_markdown(arch, "nope")
