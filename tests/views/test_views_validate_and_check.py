"""`validate` names the view that is wrong or too big for Mermaid; the checklist item names the view
(or flow) that breaks the complexity budget, and passes with the largest diagram's size."""
from __future__ import annotations

import re

from archbook.checklist import evaluate
from archbook.checklist.views_rule import ITEM
from archbook.cli import main
from archbook.load import load_system, validate_system


def _errors(folder):
    _, problems = validate_system(folder)
    return [p for p in problems if p.severity == "error"]


def _item(system):
    (result,) = [r for r in evaluate(system, include_custom=False) if r.item == ITEM]
    return result


def test_unknown_names_in_views_are_errors_with_hints(large_folder):
    folder = large_folder([
        {"id": "bad", "title": "Bad", "include": [{"layer": "servces"}, {"component": "zzz*"}],
         "collapse": [{"group": "billng"}]},
        {"id": "bad", "title": "Twice", "include": [{"tag": "nope"}, {"neighbours_of": "Nobody"}]},
    ])
    got = {(p.field, p.message, p.hint.split("known")[0].split(";")[0].strip()) for p in _errors(folder)}
    assert got == {
        ("views[1].id", "duplicate view id `bad`", "view ids must be unique"),
        ("views[0].include[0].layer", "view `bad`: unknown layer `servces`", "did you mean `services`?"),
        ("views[0].include[1].component", "view `bad`: `zzz*` matches no component", ""),
        ("views[0].collapse[0].group", "view `bad`: unknown group `billng`", "did you mean `billing`?"),
        ("views[1].include[0].tag", "view `bad`: unknown tag `nope`", ""),
        ("views[1].include[1].neighbours_of", "view `bad`: unknown component `Nobody`", ""),
        ("views[0].include", "view `bad` selects no component", "check its include and exclude"),
        ("views[1].include", "view `bad` selects no component", "check its include and exclude"),
    }
    assert all(p.line and p.file.endswith("architecture.yaml") for p in _errors(folder))


def test_view_too_big_for_mermaid_fails_validate_naming_it(large_folder, capsys):
    folder = large_folder([{"id": "everything", "title": "All of it", "include": [{"component": "*"}]},
                           {"id": "overview", "title": "Mine"}])
    messages = [p.message for p in _errors(folder)]
    assert messages == ["view `everything` is too big for Mermaid to draw: 900 edges (Mermaid draws at most 499)",
                        "view id `overview` is taken by a generated view",
                        "view `overview` is too big for Mermaid to draw: 900 edges (Mermaid draws at most 499)"]
    assert main(["validate", str(folder)]) == 1
    assert "error [views[0]]: view `everything` is too big for Mermaid to draw" in capsys.readouterr().err


def test_checklist_passes_on_generated_views(large_folder):
    result = _item(load_system(large_folder()))
    assert result.passed and result.section == "5.1"
    # overview + 42 views (3 layer white boxes, 30 groups, 3 ungrouped layers in 9 parts) + 300 card neighbourhoods; flows: "long" in 4 parts, "phased" in 2
    assert re.fullmatch(r"343 architecture diagrams and 6 sequence diagrams within 40 nodes and 80 edges each "
                        r"\(largest: [\w.-]+, (\d+) nodes, (\d+) edges\)", result.reason), result.reason


def test_checklist_names_the_view_over_budget(large_folder):
    views = [{"id": "services-all", "title": "Every service", "include": [{"layer": "services"}]},
             {"id": "billing", "title": "Billing", "include": [{"group": "billing"}], "neighbours": "collapsed"}]
    result = _item(load_system(large_folder(views)))
    assert not result.passed
    assert result.reason.startswith("view services-all: 150 nodes (budget 40), ")
    assert "billing" not in result.reason


def test_budget_configurable_and_flow_budget_named(large_folder):
    folder = large_folder(diagram_budget={"nodes": 60, "edges": 10})
    result = _item(load_system(folder))
    assert not result.passed
    assert result.reason.startswith("view layer-external: 22 edges (budget 10); ") and " more" in result.reason
    assert "nodes (budget" not in result.reason and "view overview" not in result.reason  # strongest 10 edges kept
    folder = large_folder(flows=[{"id": "wide", "title": "Wide", "participants": [f"ui-x-{i:03d}" for i in range(15)],
                                  "steps": [{"loop": "again", "steps": [
                                      {"from": f"ui-x-{i % 15:03d}", "to": f"ui-x-{(i + 1) % 15:03d}", "message": "m"}
                                      for i in range(90)]}]}])
    result = _item(load_system(folder))
    assert "flow wide phase 'Wide': 90 steps (budget 80) (split it with `phase:` markers)" in result.reason


def test_video_editor_passes_with_its_single_diagram(capsys):
    from sample_systems import load_example

    result = _item(load_example("data/video-editor"))
    assert result.passed and result.reason == ("1 architecture diagram and 4 sequence diagrams within 40 nodes and "
                                               "80 edges each (largest: architecture, 18 nodes, 18 edges)")
