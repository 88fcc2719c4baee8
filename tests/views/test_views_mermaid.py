"""Every diagram of a 300-component system's document is drawn by the real Mermaid (default limits)
in headless Chromium; collapsed boxes keep their links; hostile names stay text."""
from __future__ import annotations

import os
import re

import pytest

from archbook.load import load_system
from archbook.model import SystemModel
from archbook.model.views import MERMAID_MAX_EDGES, MERMAID_MAX_TEXT
from archbook.render import render_document
from mermaid_harness import parse_all, unavailable_reason

pytestmark = pytest.mark.browser
_BLOCK = re.compile(r"```mermaid\n(.*?)\n```", re.S)
_EDGE = re.compile(r"^\s+n\d+ (?:-->|-\.->)(?:\|.*?\|)? n\d+$", re.M)


def _browser():
    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the Mermaid browser test cannot run: {reason}")
        pytest.skip(reason)


def _hostile_large() -> SystemModel:
    from sample_systems import _with_api, hostile

    data = hostile().model_dump(by_alias=True, exclude={"http_apis"})  # the loader's view is rebuilt below
    data["architecture"]["diagram_budget"] = {"nodes": 4, "edges": 4}
    for i, comp in enumerate(data["architecture"]["components"]):
        comp["group"] = "g1" if i % 2 else None
    evil = data["architecture"]["system"]["name"]
    data["architecture"]["views"] = [{"id": "mine", "title": evil, "description": evil,
                                      "collapse": [{"group": "g1"}], "include": [{"layer": "api"}, {"group": "g1"}]}]
    return _with_api(SystemModel.model_validate(data))


def test_hostile_view_title_is_escaped_in_the_document():
    from test_render_document import _FENCE

    doc = render_document(_hostile_large())
    heading = next(line for line in doc.splitlines() if line.startswith("#### View: Evil"))
    assert "\\[x\\]" in heading and "&lt;script&gt;" in heading
    prose = _FENCE.sub("", doc)
    assert "<script" not in prose and "&lt;script&gt;" in prose
    assert set(re.findall(r"<(\w+)", prose)) == {"a"}  # only the generated anchors are raw HTML
    assert set(re.findall(r'<a id="([^"]*)"></a>', prose)) >= {"view-overview", "view-mine"}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    _browser()
    from large_folders import write_system

    large = load_system(write_system(tmp_path_factory.mktemp("views") / "large"))
    blocks = {"large": _BLOCK.findall(render_document(large)), "hostile": _BLOCK.findall(render_document(_hostile_large()))}
    texts = blocks["large"] + blocks["hostile"]
    # parse everything; lay out (render to SVG) the overview, every view, a sample of cards and flows, all hostile ones
    heavy = [i < 60 or i % 25 == 0 or i >= len(blocks["large"]) for i in range(len(texts))]
    results = parse_all(texts, heavy)
    return blocks, dict(zip(range(len(texts)), zip(texts, results)))


def test_every_diagram_within_mermaid_defaults_and_budget(drawn):
    blocks, _ = drawn
    large = blocks["large"]
    assert len(large) == 343 + 6  # architecture diagrams (see test_views_validate_and_check) + flow parts
    for text in large:
        assert len(text) <= MERMAID_MAX_TEXT and len(_EDGE.findall(text)) < MERMAID_MAX_EDGES
        if text.startswith("graph"):
            nodes = set(re.findall(r"^\s+(n\d+)[\[({>]", text, re.M))
            assert len(nodes) <= 40 and len(_EDGE.findall(text)) <= 80, text[:200]


def test_real_mermaid_draws_every_diagram(drawn):
    _, results = drawn
    failures = {i: r["error"] for i, (_, r) in results.items() if not r["ok"]}
    assert failures == {}
    assert sum(r["svg"] is not None for _, r in results.values()) >= 60


def test_collapsed_boxes_link_to_their_views(drawn):
    blocks, results = drawn
    overview_svg = results[0][1]["svg"]
    assert blocks["large"][0].startswith("graph TB") and "click n0 href" in blocks["large"][0]
    links = set(re.findall(r'href="#(view-[A-Za-z0-9_.-]+)"', overview_svg))
    assert links == {"view-layer-ui", "view-layer-edge", "view-whitebox-api", "view-whitebox-services",
                     "view-whitebox-data", "view-layer-external"}


def test_hostile_names_in_views_render_as_text(drawn):
    blocks, results = drawn
    first = len(blocks["large"])
    hostile = [results[i] for i in range(first, first + len(blocks["hostile"]))]
    assert any("click " in text for text, _ in hostile)
    for text, r in hostile:
        assert r["svg"] and "<script" not in r["svg"]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in r["svg"] for _, r in hostile)
