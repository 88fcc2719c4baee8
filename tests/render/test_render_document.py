"""The whole Section 05 document: complete for the example, safe for hostile names."""
from __future__ import annotations

import re

import mistune
import pytest

from archbook.checklist import SEED_ITEMS, evaluate
from archbook.render import markdown as md
from archbook.render import render_document, render_section

_HTML = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])
_FENCE = re.compile(r"^(`{3,})[^\n]*\n.*?^\1\s*$", re.S | re.M)

HEADINGS = ["## Table of Contents", "## 5.1 System Architecture", "### High-Level Architecture Diagram",
            "### Component Breakdown", "### Data Flow Diagrams", "## 5.2 Design Patterns", "### Patterns in Use", "## 5.3 API Design",
            "### REST API Endpoints", "### WebSocket API", "### API Versioning Strategy", "## Quality Checklist",
            "## Version History"]


def _assert_complete(system, doc):
    for heading in HEADINGS:
        assert f"\n{heading}\n" in doc, heading
    for comp in system.components:
        assert f"#### Component: {md.text(comp.name)}\n" in doc
    for flow in system.flows:
        assert f"#### Flow: {md.text(flow.title)}\n" in doc
    for pat in system.patterns:
        assert f"#### Pattern: {md.text(pat.name)}\n" in doc
    for op in system.operations():
        assert f"##### Endpoint: {op.method.upper()} {md.text(op.path)}\n" in doc
    for ch in system.ws_channels():
        for msg in ch.messages:
            title = msg.title or msg.name
            assert f"*{md.text(title)}:*" in doc, title
    for item in SEED_ITEMS:
        assert f"| {item} |" in doc.replace(r"\(", "(")
    for release in system.architecture.system.history:
        assert f"**{md.text(release.version)}** ({release.date}): " in doc
    # one architecture diagram + one sequence diagram per flow
    assert doc.count("```mermaid\ngraph TB") == 1
    assert doc.count("```mermaid\nsequenceDiagram") == len(system.flows)


def test_mini_document_complete_and_green(mini):
    doc = render_document(mini)
    _assert_complete(mini, doc)
    assert "❌" not in doc and doc.count("✅ Pass") == len(evaluate(mini))
    assert doc.index("**2.0** (2025-01-02)") < doc.index("**2.1** (2025-03-04)")


def test_video_editor_document_complete_and_green(video_editor):
    doc = render_document(video_editor)
    _assert_complete(video_editor, doc)
    failing = [str(r) for r in evaluate(video_editor) if not r.passed]
    assert failing == []
    assert "❌" not in doc
    for name in ("Next.js Application", "ComfyUI Gateway", "Repository Pattern", "Command Pattern",
                 "POST /api/generate-video", "Job Status Updates"):
        assert md.text(name) in doc


def test_toc_links_resolve_to_headings(mini):
    doc = render_document(mini)
    anchors = {md.anchor(h.lstrip("# ")) for h in re.findall(r"^#{2,3} .+$", doc, re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", doc)
    assert links and set(links) <= anchors


def test_hostile_document_injects_no_html(hostile):
    doc = render_document(hostile)
    prose = _FENCE.sub("", doc)
    assert "<" not in prose.replace("&lt;", "")  # no raw tag at all outside code blocks
    html = _HTML(doc)
    assert "<script" not in html and "</code><script>" not in html
    assert "&lt;script&gt;" in html
    # the pattern's hostile code block cannot close its own fence
    assert "````typescript\n```\n</code><script>alert(1)</script>\n```\n````" in doc
    # tables keep their shape: every checklist row has 4 cells
    rows = [ln for ln in doc.split("## Quality Checklist")[1].splitlines() if ln.startswith("| ")]
    assert rows and all(len(re.split(r"(?<!\\)\|", ln)) == 6 for ln in rows)


def test_render_section(mini):
    assert render_section(mini, "5.1").startswith("## 5.1 System Architecture\n")
    assert render_section(mini, "5.2").startswith("## 5.2 Design Patterns\n")
    s3 = render_section(mini, "5.3")
    assert s3.startswith("## 5.3 API Design\n") and "## Quality Checklist" not in s3
    with pytest.raises(KeyError, match="5.4"):
        render_section(mini, "5.4")


def test_document_without_optional_artefacts(incomplete):
    doc = render_document(incomplete)
    assert "*No WebSocket channels documented.*" in doc
    assert "*No API versioning strategy documented.*" in doc
    assert "❌ Fail" in doc
