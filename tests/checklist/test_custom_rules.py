"""Users' own rules: found in the system folder or an entry point, reported like built-ins, never crashing."""
from __future__ import annotations

import sys
import textwrap
from importlib.metadata import EntryPoint

import pytest

from archbook.checklist import custom, evaluate
from archbook.checklist.registry import gaps_reason


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


@pytest.fixture
def system_dir(tmp_path, mini):
    return tmp_path, mini.model_copy(update={"root": str(tmp_path)})


def test_rules_from_system_folder(system_dir):
    root, system = system_dir
    _write(root / "archbook_rules.py", """
        from archbook.checklist import rule

        @rule("Every component has an owner team", section="5.1")
        def owners(system):
            missing = [c.id for c in system.components if not c.purpose.endswith(".")]
            return (not missing, "all purposes end with a full stop" if not missing else ", ".join(missing))

        def check_has_two_flows(system):
            '''At least two data flows.'''
            return len(system.flows) >= 2, f"only {len(system.flows)} flow(s)"

        def helper(system):  # neither decorated nor check_*: not a rule
            raise AssertionError("never called")
    """)
    _write(root / "rules" / "b_api.py", """
        def check_api_prefix(system):
            bad = [op.title for op in system.operations() if not op.path.startswith("/api/")]
            return not bad, "; ".join(bad) or "all paths under /api/"
    """)
    custom_results = [r for r in evaluate(system) if r.origin == "custom"]
    assert [(r.item, r.section, r.passed, r.reason) for r in custom_results] == [
        ("Every component has an owner team", "5.1", True, "all purposes end with a full stop"),
        ("At least two data flows", "custom", False, "only 1 flow(s)"),
        ("Api prefix", "custom", True, "all paths under /api/"),
    ]
    assert custom_results[2].rule_id == "rules/b_api.py:check_api_prefix"
    assert all(r.origin != "custom" for r in evaluate(system, include_custom=False))


def test_broken_rules_are_failed_items(system_dir):
    root, system = system_dir
    _write(root / "rules" / "a_syntax.py", "def check_x(system)\n    return True\n")
    _write(root / "rules" / "b_raises.py", """
        def check_boom(system):
            return system.no_such_field
        def check_nonsense(system):
            return 42
        def check_bool(system):
            return False
        def check_exits(system):
            raise SystemExit(3)
    """)
    results = {r.rule_id: r for r in evaluate(system) if r.origin == "custom"}
    load = results["rules/a_syntax.py:load"]
    assert load.item == "Custom rules in rules/a_syntax.py" and not load.passed
    assert load.reason.startswith("could not load: SyntaxError")
    boom = results["rules/b_raises.py:check_boom"]
    assert not boom.passed and "raised AttributeError" in boom.reason and "no_such_field" in boom.reason
    assert results["rules/b_raises.py:check_nonsense"].reason.startswith("rule rules/b_raises.py:check_nonsense returned int")
    assert results["rules/b_raises.py:check_bool"].reason == "failed (no reason given)"
    assert results["rules/b_raises.py:check_exits"].reason == "rule rules/b_raises.py:check_exits raised SystemExit: 3"


def test_entry_point_rules(system_dir, monkeypatch, tmp_path_factory):
    _, system = system_dir
    pkg = tmp_path_factory.mktemp("site")
    _write(pkg / "acme_rules.py", """
        from archbook.checklist import CheckResult, rule

        @rule("ACME: endpoints are tagged", section="5.3")
        def tagged(system):
            return all(op.spec.get("tags") for op in system.operations()), "every operation has a tag"

        def check_result_object(system):
            return CheckResult("ACME: custom result", "5.3", True, "returned a CheckResult", "acme:obj", "custom")
    """)
    monkeypatch.syspath_prepend(str(pkg))
    eps = [EntryPoint("acme", "acme_rules", "archbook.rules"),
           EntryPoint("single", "acme_rules:tagged", "archbook.rules"),
           EntryPoint("missing", "no_such_module_xyz", "archbook.rules")]
    monkeypatch.setattr(custom, "entry_points", lambda group: [e for e in eps if e.group == group])
    results = [r for r in evaluate(system) if r.origin == "custom"]
    assert [(r.item, r.passed) for r in results] == [
        ("ACME: endpoints are tagged", True), ("ACME: custom result", True),
        ("ACME: endpoints are tagged", True), ("Custom rule missing", False)]
    assert "ModuleNotFoundError" in results[-1].reason
    sys.modules.pop("acme_rules", None)


def test_gaps_reason_caps_long_lists():
    passed, reason = gaps_reason([f"gap {i}" for i in range(15)], "ok", limit=12)
    assert not passed and reason.endswith("gap 11; and 3 more")
    assert gaps_reason([], "all fine") == (True, "all fine")
