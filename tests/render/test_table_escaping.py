"""Styled tables escape every cell and label: a pandas Styler does not by itself."""
from __future__ import annotations

import pandas as pd

from archbook.render import tables

EVIL = '<img src=x onerror="alert(1)">'


def test_plain_styler_would_not_escape():
    """The reason `tables.style` exists (if pandas ever changes this, the test says so)."""
    assert EVIL in pd.DataFrame({"a": [EVIL]}).style.to_html()


def test_style_escapes_cells_and_both_axes():
    frame = pd.DataFrame({EVIL: [EVIL]}, index=pd.Index([EVIL], name=EVIL))
    out = tables.style(frame).map(lambda v: "color: red").to_html()
    assert "<img" not in out and out.count("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;") >= 3


def test_style_with_formatter_escapes_its_result():
    frame = pd.DataFrame({"a": [True, False]}, index=[EVIL, "ok"])
    out = tables.style(frame, lambda v: EVIL if v else "").to_html()
    assert "<img" not in out and "&lt;img" in out
