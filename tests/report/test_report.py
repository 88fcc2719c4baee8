"""`archbook build` on the fixture notebooks: files, index, document, reruns, failures."""
from __future__ import annotations

import json
import re
import shutil

import nbformat
import pytest

from archbook.report.index import IndexPage, render_index
from archbook.report.report import BuildOptions, build_report, select_notebooks
from archbook.errors import ArchbookError, NotebookRunError

from buildkit import FIXTURE_NOTEBOOKS, SYSTEM, fixture_workers


def test_report_has_every_output(fixture_report):
    d = fixture_report.report_dir
    assert d.name == "video-editor"
    expected = {"index.html", "01_fixture.html", "02_second.html", "section05.md", "section05.html", "report.json",
                "notebooks/01_fixture.ipynb", "notebooks/02_second.ipynb", "artifacts/capacity.json",
                "artifacts/charts/fixture.png"}
    assert expected <= {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()}
    assert not [p for p in d.rglob("*") if "tmp" in p.name]
    assert sorted(fixture_report.executed) == ["01_fixture", "02_second"]


def test_executed_notebook_has_injected_parameters_and_widget_state(fixture_report):
    nb = nbformat.read(fixture_report.report_dir / "notebooks" / "01_fixture.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f'system = "{SYSTEM}"' in injected.source
    assert f'out_dir = "{fixture_report.report_dir / "artifacts"}"' in injected.source  # not the temp folder
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert any(m["state"].get("value") == fixture_workers() for m in state.values())


def test_index_shows_checklist_capacity_and_charts(fixture_report):
    html = (fixture_report.report_dir / "index.html").read_text()
    from archbook import load_system

    assert f"<h1>{load_system(SYSTEM).name}</h1>" in html  # the system's name, not the last notebook's title
    capacity = json.loads((fixture_report.report_dir / "artifacts" / "capacity.json").read_text())
    assert capacity["recommended_workers"] == fixture_workers()
    manifest = json.loads((fixture_report.report_dir / "report.json").read_text())
    total = manifest["checklist"]["total"]
    assert total >= 14 and f"{manifest['checklist']['passed']}/{total}" in html
    assert re.search(rf'<div class="value">{capacity["recommended_workers"]}</div>\s*'
                     r'<div class="label">recommended workers', html)
    assert f'{capacity["cost_per_hour"]:,.2f}' in html
    assert html.count('src="data:image/png;base64,') == 1
    for link in ("section05.html", "section05.md", "01_fixture.html", "notebooks/01_fixture.ipynb", "02_second.html"):
        assert f'href="{link}"' in html
    assert "<script" not in html


def test_document_written_as_markdown_and_html(fixture_report):
    md = (fixture_report.report_dir / "section05.md").read_text()
    html = (fixture_report.report_dir / "section05.html").read_text()
    assert md.count("```mermaid") >= 2
    assert html.count('<pre class="mermaid">') == md.count("```mermaid")


def test_index_escapes_user_text():
    page = IndexPage(system_name="<img src=x onerror=alert(1)>", system_dir="/x",
                     checklist=[{"item": "<b>bold</b>", "passed": False, "reason": "a & b <script>"}],
                     capacity={"recommended_workers": 2, "cost_per_hour": 1, "slo": "<i>", "slo_met": True,
                               "p95_wait_s": 1.0})
    html = render_index(page)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "a &amp; b &lt;script&gt;" in html and "<i>" not in html


def test_rerun_skips_up_to_date_notebooks(fixture_report, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(fixture_report.report_dir, out / "video-editor")
    result = build_report(SYSTEM, BuildOptions(out=out, notebooks_dir=FIXTURE_NOTEBOOKS, progress=False))
    assert result.executed == [] and sorted(result.skipped) == ["01_fixture", "02_second"]
    assert "01_fixture.html" in (out / "video-editor" / "index.html").read_text()


def test_failed_notebook_names_cell_and_error_and_keeps_notebook(fixture_report, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(fixture_report.report_dir, out / "video-editor")
    before = (out / "video-editor" / "index.html").read_bytes()
    with pytest.raises(NotebookRunError) as info:
        build_report(SYSTEM, BuildOptions(out=out, notebooks_dir=FIXTURE_NOTEBOOKS, only={"02"},
                                          parameters={"fail": True}, progress=False))
    err = info.value
    assert err.notebook == "02_second.ipynb" and err.cell == 4
    assert "RuntimeError: second page failed on purpose" in str(err)
    kept = nbformat.read(err.kept, as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    assert (out / "video-editor" / "index.html").read_bytes() == before  # the old report is untouched


def test_only_rejects_unknown_numbers():
    with pytest.raises(ArchbookError, match="no notebook numbered 07"):
        select_notebooks(FIXTURE_NOTEBOOKS, {"7"})
    assert [p.name for p in select_notebooks(FIXTURE_NOTEBOOKS, {"2"})] == ["02_second.ipynb"]


def test_index_shows_per_class_waits_and_tolerates_odd_values():
    page = IndexPage(system_name="s", system_dir="/x", capacity={
        "recommended_workers": 4, "cost_per_hour": 12.5, "slo": "high.wait_p95_s<=30", "slo_met": False,
        "p95_wait_s": {"high": 12.25, "normal": 80.0, "overall": None}})
    html = render_index(page)
    assert "<b>12.2 s</b> high" in html and "<b>80 s</b> normal" in html and "<b>n/a</b> overall" in html
    assert "12.50" in html and "not met" in html and "high.wait_p95_s&lt;=30" in html


def test_finished_notebooks_are_reused_after_another_fails(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURE_NOTEBOOKS / "01_fixture.ipynb", notebooks)
    second = nbformat.read(FIXTURE_NOTEBOOKS / "02_second.ipynb", as_version=4)
    second.cells[-1].source = "raise RuntimeError('broken for now')"
    nbformat.write(second, notebooks / "02_second.ipynb")
    out = tmp_path / "out"
    with pytest.raises(NotebookRunError, match="broken for now"):
        build_report(SYSTEM, BuildOptions(out=out, notebooks_dir=notebooks, jobs=2, progress=False))
    assert not (out / "video-editor" / "index.html").exists()
    shutil.copy(FIXTURE_NOTEBOOKS / "02_second.ipynb", notebooks)  # the fix
    result = build_report(SYSTEM, BuildOptions(out=out, notebooks_dir=notebooks, jobs=2, progress=False))
    assert result.reused == ["01_fixture"] and result.executed == ["02_second"]
    assert (out / "video-editor" / "01_fixture.html").is_file()
    assert json.loads((out / "video-editor" / "artifacts" / "capacity.json").read_text())["recommended_workers"] == 3
    assert not (out / ".archbook-work").exists()  # publishing clears the work cache


def test_parameters_reach_only_the_notebooks_that_declare_them():
    from archbook.report.report import parameters_for

    nbs = select_notebooks(FIXTURE_NOTEBOOKS)
    given = parameters_for(nbs, {"sleep_s": 0, "fail": False})
    assert given == {nbs[0]: {"sleep_s": 0, "fail": False}, nbs[1]: {"fail": False}}
    with pytest.raises(ArchbookError, match=r"(?s)parameter slep_s is not declared .*01: .*sleep_s.*; 02: fail"):
        parameters_for(nbs, {"slep_s": 1})


def test_report_folder_symlinked_outside_out_is_rejected(tmp_path):
    from archbook.errors import UnsafePathError

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "video-editor").symlink_to(elsewhere)
    with pytest.raises(UnsafePathError, match="outside the output folder"):
        build_report(SYSTEM, BuildOptions(out=out, notebooks_dir=FIXTURE_NOTEBOOKS, progress=False))
    assert list(elsewhere.iterdir()) == []


def test_index_names_the_system_and_autoscaling_bounds():
    page = IndexPage(system_name="video-editor", system_dir="/x", title="AI <Video> Editor", capacity={
        "recommended_workers": 5, "cost_per_hour": 9.0, "slo": "s", "slo_met": True, "p95_wait_s": 1.0,
        "autoscale_bounds": [4, 16]})
    html = render_index(page)
    assert "<h1>AI &lt;Video&gt; Editor</h1>" in html and "(autoscaling 4–16)" in html


def test_kernel_that_dies_is_reported_not_a_crash(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "archbook", "display_name": "archbook",
                                                            "language": "python"}})
    params = nbformat.v4.new_code_cell("system = ''\nout_dir = ''")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("import os, sys\nprint('going down', file=sys.stderr)\n"
                                                  "sys.stderr.flush()\nos._exit(3)")]
    nbformat.write(nb, notebooks / "01_dies.ipynb")
    shutil.copy(FIXTURE_NOTEBOOKS / "02_second.ipynb", notebooks)
    with pytest.raises(NotebookRunError) as info:
        build_report(SYSTEM, BuildOptions(out=tmp_path / "out", notebooks_dir=notebooks, jobs=2, progress=False))
    assert info.value.notebook == "01_dies.ipynb" and "DeadKernelError" in str(info.value)


def test_kernel_start_that_loses_a_port_race_is_retried(monkeypatch, tmp_path):
    from archbook.report import execute

    calls = []

    def flaky(*args):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(execute, "_papermill", flaky)
    execute._papermill_with_restart(None, tmp_path / "x.ipynb", {}, None, tmp_path, tmp_path / "log")
    assert len(calls) == 2


def test_kernel_that_never_starts_fails_after_bounded_attempts(monkeypatch, tmp_path):
    from archbook.report import execute

    calls = []

    def dead(*args):
        calls.append(1)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(execute, "_papermill", dead)
    with pytest.raises(RuntimeError, match="kernel_info"):
        execute._papermill_with_restart(None, tmp_path / "x.ipynb", {}, None, tmp_path, tmp_path / "log")
    assert len(calls) == execute._START_ATTEMPTS
