"""Markdown escaping: user text cannot format, link, break a table or inject HTML."""
from __future__ import annotations

import mistune
import pytest

from archbook.render import markdown as md

_HTML = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def test_text_escapes_markdown_and_html():
    out = md.text("a *b* _c_ `d` [e](f) <script>x</script> & |")
    assert out == r"a \*b\* \_c\_ \`d\` \[e\](f) &lt;script&gt;x&lt;/script&gt; &amp; \|"
    html = _HTML(str(out))
    assert "<em>" not in html and "<code>" not in html and "<a " not in html and "<script" not in html


def test_text_neutralises_line_start_markers():
    assert md.text("# title") == r"\# title"
    assert md.text("- item\n1. one") == "\\- item\n1\\. one"
    html = _HTML(str(md.text("- item\n12) one\n+ x")))
    assert "<li>" not in html and "<ol" not in html


def test_cell_keeps_table_shape():
    table = md.table(["A", "B"], [["x|y\nz", "<b>"]])
    assert table.splitlines()[2] == r"| x\|y z | &lt;b&gt; |"
    html = _HTML(str(table))
    assert html.count("<td>") == 2 and "<b>" not in html


def test_code_block_fence_outgrows_backticks_in_code():
    block = md.code_block("a\n````\n</pre><script>", "ts; rm -rf")
    assert block.startswith("`````tsrm-rf\n") and block.endswith("\n`````")
    html = _HTML(str(block))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_inline_code_with_backticks():
    assert md.inline_code("a`b") == "``a`b``"
    assert md.inline_code("x|y") == r"`x\|y`"


def test_anchor_matches_github():
    assert md.anchor("5.1 System Architecture") == "51-system-architecture"
    assert md.anchor("API Versioning Strategy") == "api-versioning-strategy"


# --- user Markdown (prose): formatting kept, raw HTML sanitised by nh3, unsafe links inert ---

@pytest.mark.parametrize("value, expected", [
    ("See [docs](https://x.io), *emph*, `a<b>` and **bold**", "See [docs](https://x.io), *emph*, `a<b>` and **bold**"),
    ("<img src=x onerror=alert(1)> hi <b>ok</b>", "hi <b>ok</b>"),
    ("a </script><script>alert(1)</script>", "a"),
    ('<a href="javascript:alert(1)">z</a>', '<a rel="noopener noreferrer">z</a>'),
    ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
    ("[x](JaVa&#115;cript:alert(1))", r"\[x\](JaVa&amp;\#115;cript:alert(1))"),
    ("<script>x</script> [y](javascript:alert(1))", r"&lt;script&gt;x&lt;/script&gt; \[y\](javascript:alert(1))"),
    ("```\nan unclosed fence", "\\`\\`\\`\nan unclosed fence"),
    ("- one\n- two", "- one\n- two"),
    (None, ""),
])
def test_prose_keeps_markdown_and_sanitises_html(value, expected):
    from archbook.render.markdown import prose

    assert str(prose(value)) == expected


def test_prose_inline_stays_on_one_line():
    from archbook.render.markdown import prose

    assert str(prose("first\n\n# second <i>x</i>", inline=True)) == "first # second <i>x</i>"


def test_component_purpose_keeps_its_link(tmp_path):
    from archbook.render.templating import environment

    out = environment().from_string("{{ v|prose }}").render(v="Uses [S3](https://aws.amazon.com/s3/) <svg onload=x>")
    assert out == "Uses [S3](https://aws.amazon.com/s3/)"
