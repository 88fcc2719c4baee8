"""Mermaid generation: structure of the diagrams and escaping of labels (parsing is in test_mermaid_parse)."""
from __future__ import annotations

import re

import pytest

from archbook.render.mermaid import architecture_diagram, label, sequence_diagram
from sample_systems import HOSTILE


@pytest.mark.parametrize("char", list('"#&<>;%`[]{}()|\\-=:,') + ["\n"])
def test_label_removes_every_syntax_character(char):
    out = label(f"a{char}b")
    assert char not in out.replace("#", "").replace(";", "") or char in "#;"
    assert out.count('"') == 0 and "<" not in out and "\n" not in out


def test_label_entity_codes_and_unicode_kept():
    assert label('say "hi"') == "say #quot;hi#quot;"
    assert label("a#b;c") == "a#35;b#59;c"
    assert label("<script>") == "#lt;script#gt;"
    assert label("Ünï 日本 ✓") == "Ünï 日本 ✓"
    assert label("   ") == "#32;"


def test_architecture_one_subgraph_per_layer_and_shapes(mini):
    text = architecture_diagram(mini.architecture)
    assert text.startswith("graph TB\n")
    assert re.findall(r'subgraph L\d+\["([^"]+)"\]', text) == [lay.name for lay in mini.architecture.layers]
    assert 'n5[("PostgreSQL")]' in text and 'n6[("Redis Cache")]' in text      # store, cache: cylinders
    assert 'n3>"Job Queue"]' in text                                               # queue: flag
    assert 'n8{{"Gemini API"}}' in text and "class n8 external" in text           # external: hexagon + class
    assert 'n1("Web App")' in text and 'n0(("End User"))' in text                  # client rounded, actor circle
    assert 'n4[["GPU Worker"]]' in text                                            # worker: subroutine
    assert text.count("subgraph") == text.count("\n    end")


def test_architecture_edges_labels_and_async_dashes(mini):
    text = architecture_diagram(mini.architecture)
    assert 'n1 -->|"REST"| n2' in text
    assert "n1 -.-> n2" in text and "n4 -.-> n3" in text
    assert len(re.findall(r"^\s+n\d+ -", text, re.M)) == len(mini.architecture.edges())
    assert 'n1 -->|"REST"|' not in architecture_diagram(mini.architecture, edge_labels=False)


def test_architecture_single_layer(mini):
    text = architecture_diagram(mini.architecture, layer="data")
    assert text.count("subgraph") == 1 and "PostgreSQL" in text and "Web App" not in text
    assert "-->" not in text  # no edges inside the data layer
    with pytest.raises(KeyError, match="unknown layer 'nope'"):
        architecture_diagram(mini.architecture, layer="nope")


def test_architecture_focus_neighbourhood(mini):
    one = architecture_diagram(mini.architecture, focus="Queue", depth=1)
    names = set(re.findall(r'"([^"]+)"', one))
    assert {"Job Queue", "API Routes", "GPU Worker", "Redis Cache"} <= names
    assert "Web App" not in names and "PostgreSQL" not in names
    two = architecture_diagram(mini.architecture, focus="Queue", depth=2)
    assert "Web App" in two and "PostgreSQL" in two and "End User" not in two
    with pytest.raises(KeyError):
        architecture_diagram(mini.architecture, focus="Nope")


def test_sequence_diagram_arrows_blocks_and_notes(mini):
    flow = mini.flows[0]
    text = sequence_diagram(flow, mini.architecture)
    lines = [ln.strip() for ln in text.splitlines()]
    assert lines[0] == "sequenceDiagram"
    assert "actor p0 as End User" in lines and "participant p2 as API" in lines  # flow label wins
    assert "p1->>p1: Validate input" in lines            # self call
    assert "p1->>p2: POST /api/jobs" in lines            # request
    assert "p2-)p3: Enqueue job" in lines                # async
    assert "p2-->>p1: #123;jobId#44; status#58; #quot;queued#quot;#125;" in lines  # response, escaped
    assert "Note over p3,p4: Worker picks up job" in lines
    assert "loop Poll status" in lines and "alt complete" in lines and "else failed" in lines
    assert "opt WebSocket connected" in lines
    assert lines.count("end") == 3


def test_hostile_ids_never_reach_mermaid(hostile):
    graph = architecture_diagram(hostile.architecture)
    seq = sequence_diagram(hostile.flows[0], hostile.architecture)
    for text in (graph, seq):
        assert "<" not in text and "%%" not in text and "script>" not in text
        assert HOSTILE not in text
    # the component with id "end" is drawn as a generated id, and "end" only closes blocks
    assert not re.search(r"^\s*end\b(?!$)", graph, re.M)
    assert all(ln.strip() == "end" for ln in seq.splitlines() if ln.strip().startswith("end"))
    assert re.findall(r'"([^"]*)"', graph)  # every label is quoted and contains no raw quote


def test_component_in_undeclared_layer_is_still_drawn(mini):
    arch = mini.architecture.model_copy(deep=True)
    arch.components[5].layer = "nowhere"
    text = architecture_diagram(arch)
    assert '\n    n5[("PostgreSQL")]\n' in text and "n2 --> n5" in text
