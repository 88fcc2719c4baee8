"""The hostile system's Section 05 Markdown, rendered the way GitHub or a Markdown viewer would
(raw HTML allowed), holds no live markup: no tag, handler or `javascript:` link from user text,
Jinja syntax stays literal, and every Mermaid label is entity-coded."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from archbook.load import load_system
from archbook.render import render_document

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile" / "system"


@pytest.fixture(scope="module")
def markdown() -> str:
    return render_document(load_system(HOSTILE))


def _outside_mermaid(text: str) -> str:
    return re.sub(r"```mermaid\n.*?\n```", "", text, flags=re.S)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += [(k, v or "") for k, v in attrs]


def test_html_of_the_document_has_no_live_markup(markdown):
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(_outside_mermaid(markdown))
    parsed = _Tags()
    parsed.feed(html)
    assert parsed.tags <= {"h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "em", "code", "pre", "ul", "ol", "li", "table",
                           "thead", "tbody", "tr", "th", "td", "a", "br", "hr", "blockquote"}, parsed.tags
    assert not [k for k, _ in parsed.attrs if k.startswith("on")]
    assert not [v for k, v in parsed.attrs if k in ("href", "src") and not v.startswith(("#", "http"))]
    assert "<script>" in markdown.replace("&lt;", "<").replace("&gt;", ">")  # shown as text, not dropped
    assert "{{ 7*191 }}" in markdown and "1337" not in markdown


def test_mermaid_labels_cannot_break_out(markdown):
    blocks = re.findall(r"```mermaid\n(.*?)\n```", markdown, flags=re.S)
    assert len(blocks) >= 2
    for block in blocks:
        assert '"]-->end' not in block and "%%{init" not in block and "<script" not in block
        assert "`" not in block  # backticks would start Mermaid's markdown strings
