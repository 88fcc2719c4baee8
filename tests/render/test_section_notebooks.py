"""The three section notebooks run under papermill for every example system.

nbval (`make test`) already runs them with their default system (the video editor), so by default
this runs the other example systems; `-m slow` adds the video editor as well.
"""
from __future__ import annotations

import nbformat
import pytest

from sample_systems import EXAMPLES, REPO

NOTEBOOKS = ["01_system_architecture", "02_design_patterns", "03_api_design"]
SECTION = {"01_system_architecture": "5.1", "02_design_patterns": "5.2", "03_api_design": "5.3"}
CASES = [pytest.param(nb, rel, marks=[pytest.mark.slow] if rel == "data/video-editor" else [], id=f"{nb}-{rel}")
         for rel in EXAMPLES for nb in NOTEBOOKS]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs(name):
    nb = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", as_version=4)
    assert nb.metadata.kernelspec.name == "archbook"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert 'system = "data/video-editor"' in code[0].source and "out_dir = None" in code[0].source
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert max(len(c.source.splitlines()) for c in code) <= 15


@pytest.mark.parametrize("name, rel", CASES)
def test_runs_under_papermill(name, rel, tmp_path):
    import papermill as pm

    out_dir = tmp_path / "sections"
    pm.execute_notebook(str(REPO / "notebooks" / f"{name}.ipynb"), str(tmp_path / "out.ipynb"),
                        parameters={"system": rel, "out_dir": str(out_dir)}, kernel_name="archbook",
                        cwd=str(REPO / "notebooks"), progress_bar=False)
    section = (out_dir / f"section-{SECTION[name].replace('.', '_')}.md").read_text(encoding="utf-8")
    assert section.startswith(f"## {SECTION[name]} ")
    ran = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    markdown = [o["data"]["text/markdown"] for c in ran.cells if c.cell_type == "code"
                for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]
    assert any("| Status | Item | Section | Reason |" in m for m in markdown)  # the checklist table
    if name == "01_system_architecture":
        assert sum("```mermaid\ngraph TB" in m for m in markdown) == 3  # system, one layer, the section
