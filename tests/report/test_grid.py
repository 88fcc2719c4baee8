"""`archbook build --grid`: parallel runs, summary, reruns, failures, unsafe names, Dask."""
from __future__ import annotations

import csv
import json

import pytest
from buildkit import FIXTURE_NOTEBOOKS, FIXTURES, SYSTEM, fixture_workers

from archbook.report.grid import expand_grid, load_grid, run_grid
from archbook.errors import ArchbookError, UnsafePathError, ValidationFailed


@pytest.fixture(scope="module")
def grid8(tmp_path_factory):
    out = tmp_path_factory.mktemp("grid")
    return out, run_grid(SYSTEM, FIXTURES / "grid8.yaml", out=out, jobs=2, notebooks_dir=FIXTURE_NOTEBOOKS,
                         progress=False)


def test_grid_of_8_summary_agrees_with_each_run(grid8):
    out, result = grid8
    assert len(result.executed) == 8 and not result.failed
    with open(result.summary_csv, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 8
    for row in rows:
        run_dir = result.grid_dir / "runs" / row["run"]
        capacity = json.loads((run_dir / "artifacts" / "capacity.json").read_text())
        params = json.loads((run_dir / "run.json").read_text())["parameters"]
        assert float(row["arrival_multiplier"]) == params["arrival_multiplier"]
        assert row["autoscale"] == json.dumps(params["autoscale"])
        expected = fixture_workers(params["arrival_multiplier"], params["autoscale"])
        assert int(row["recommended_workers"]) == capacity["recommended_workers"] == expected
        assert float(row["cost_per_hour"]) == capacity["cost_per_hour"]
        assert float(row["p95_wait_s"]) == capacity["p95_wait_s"]
        assert row["status"] == "ok" and (run_dir / "01_fixture.html").is_file()
    html = result.summary_html.read_text()
    assert html.count("<tr>") == 9 and "runs/arrival_multiplier-0.5_autoscale-true/01_fixture.html" in html


def test_grid_rerun_skips_up_to_date_runs(grid8):
    out, first = grid8
    again = run_grid(SYSTEM, FIXTURES / "grid8.yaml", out=out, jobs=2, notebooks_dir=FIXTURE_NOTEBOOKS,
                     progress=False)
    assert again.executed == [] and len(again.skipped) == 8
    assert again.summary_csv.read_text() == first.summary_csv.read_text()


def test_failed_run_does_not_stop_the_others(tmp_path):
    result = run_grid(SYSTEM, FIXTURES / "grid_fail.yaml", out=tmp_path, jobs=2, notebooks_dir=FIXTURE_NOTEBOOKS,
                      progress=False)
    assert [s["run"] for s in result.failed] == ["fail-true"]
    failed = result.failed[0]
    assert failed["notebook_name"] == "01_fixture.ipynb" and failed["cell"] == 4
    assert failed["error"].startswith("ValueError: fixture asked to fail")
    assert (result.grid_dir / "runs" / "fail-true" / "01_fixture.failed.ipynb").is_file()
    rows = {r["run"]: r for r in result.rows}
    assert rows["fail-false"]["status"] == "ok" and rows["fail-false"]["recommended_workers"] == fixture_workers(2)
    assert rows["fail-true"]["status"] == "failed" and rows["fail-true"]["failed_cell"] == 4
    assert "fixture asked to fail" in result.summary_csv.read_text()


def test_run_names_are_sanitised(tmp_path):
    grid = tmp_path / "g.yaml"
    grid.write_text('notebook: "01"\nparameters:\n  label: ["../../etc", "a/b", "ok"]\n')
    names = [r.name for r in expand_grid(load_grid(grid))]
    assert names[2] == "label-ok"
    assert all("/" not in n and ".." not in n.split("-")[1:2] and not n.startswith(".") for n in names)


@pytest.mark.parametrize("name", ["../escape", "..", "/abs"])
def test_unsafe_grid_name_is_rejected(tmp_path, name):
    grid = tmp_path / "g.yaml"
    grid.write_text(f'name: "{name}"\nnotebook: "01"\nparameters: {{x: [1]}}\n')
    with pytest.raises(UnsafePathError):
        load_grid(grid)


def test_bad_grid_file_names_file_line_and_field(tmp_path):
    grid = tmp_path / "g.yaml"
    grid.write_text('notebook: "01"\nparamters: {x: [1]}\n')
    with pytest.raises(ValidationFailed) as info:
        load_grid(grid)
    text = str(info.value)
    assert f"{grid}:2" in text and "unknown key `paramters`" in text and "parameters" in text


def test_grid_on_dask_local_cluster(tmp_path):
    from dask.distributed import LocalCluster

    grid = tmp_path / "g.yaml"
    grid.write_text('notebook: "01"\nparameters:\n  arrival_multiplier: [1, 2]\n')
    # In-process workers keep the test quick; tcp makes the client connect exactly as to a real cluster.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        result = run_grid(SYSTEM, grid, out=tmp_path / "out", scheduler=cluster.scheduler_address,
                          notebooks_dir=FIXTURE_NOTEBOOKS, progress=False)
    assert not result.failed and len(result.executed) == 2
    assert [r["recommended_workers"] for r in result.rows] == [fixture_workers(1), fixture_workers(2)]
    page = (result.grid_dir / "runs" / "arrival_multiplier-2" / "01_fixture.html").read_text()
    assert "renderWidgets" in page and "data-jupyter-widgets-cdn-only" in page  # offline widget manager
    executed = (result.grid_dir / "runs" / "arrival_multiplier-2" / "01_fixture.ipynb").read_text()
    assert "archbook-run-" not in executed and f'system = \\"{SYSTEM}\\"' in executed  # real paths shown


def test_remote_jobs_carry_the_system_folder_with_them():
    """A Dask worker may not see our disk: the job ships the system files and the notebook reads those."""
    from archbook.report.execute import Job, run_job

    nb = FIXTURE_NOTEBOOKS / "02_second.ipynb"
    job = Job(key="02", notebook_name=nb.name, notebook_text=nb.read_text(), parameters={},
              system_dir="/nowhere/video-editor", input_hash="h", export=False, out_dir_shown="/published/artifacts",
              system_files={"architecture.yaml": b"a: 1\n", "api/openapi.yaml": b"b: 2\n"})
    result = run_job(job)
    assert result.ok, result.error
    text = result.notebook.decode()
    assert "['api', 'architecture.yaml']" in text  # listed from the shipped copy
    assert 'system = \\"/nowhere/video-editor\\"' in text and "archbook-run-" not in text


def test_grid_parameter_the_notebook_does_not_declare_is_rejected(tmp_path):
    grid = tmp_path / "g.yaml"
    grid.write_text('notebook: "01"\nparameters:\n  arrival_multipler: [1, 2]\n')
    with pytest.raises(ArchbookError, match="arrival_multipler is not declared"):
        run_grid(SYSTEM, grid, out=tmp_path, notebooks_dir=FIXTURE_NOTEBOOKS, progress=False)
    assert not (tmp_path / "video-editor").exists()


def test_runs_leave_the_callers_working_folder_alone(tmp_path):
    """Jobs in threads (Dask workers) must not chdir the process: the kernel alone gets the folder."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from archbook.report.execute import Job, run_job

    import nbformat

    nb = nbformat.read(FIXTURE_NOTEBOOKS / "02_second.ipynb", as_version=4)
    nb.cells[-1].source = "import os\nprint('cwd=' + os.getcwd())"
    before = os.getcwd()
    folders = [tmp_path / "a", tmp_path / "b"]
    jobs = []
    for i, folder in enumerate(folders):
        folder.mkdir()
        jobs.append(Job(key=str(i), notebook_name="02.ipynb", notebook_text=nbformat.writes(nb), parameters={},
                        system_dir=str(SYSTEM), input_hash="h", export=False, cwd=str(folder)))
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run_job, jobs))
    assert all(r.ok for r in results) and os.getcwd() == before
    for result, folder in zip(results, folders):
        assert f"cwd={folder}" in result.notebook.decode()  # each kernel ran in its own folder


def test_grid_file_model_coerces_and_explains(tmp_path):
    grid = tmp_path / "g.yaml"
    grid.write_text("notebook: 4\nparameters: {x: 1, y: [a, b]}\nfixed:\n")
    spec = load_grid(grid)
    assert (spec.notebook, spec.parameters, spec.fixed, spec.name) == ("04", {"x": [1], "y": ["a", "b"]}, {}, "g")
    grid.write_text("notebook: \"01\"\nparameters:\n  ok: [1]\n  a-b: [1]\n  empty: []\n")
    with pytest.raises(ValidationFailed) as info:
        load_grid(grid)
    got = {(p.line, p.field): p.message for p in info.value.problems}
    assert got.keys() == {(4, "parameters.a-b"), (5, "parameters.empty")}
    assert "not a valid Python name" in got[(4, "parameters.a-b")] and "at least 1 item" in got[(5, "parameters.empty")]


def test_summary_gets_one_column_per_class_figure():
    from archbook.report.grid import _capacity_columns, _flat_capacity

    row = _flat_capacity({"recommended_workers": 5, "cost_per_hour": 10.5, "slo_met": True,
                          "slo": {"high": {"wait_p95_s": 30.0}, "normal": {"wait_p95_s": 120.0}},
                          "p95_wait_s": {"overall": 25.1, "high": 14.0}})
    assert row["slo"] == "high.wait_p95_s<=30, normal.wait_p95_s<=120"
    assert row["p95_wait_s.high"] == 14.0 and row["p95_wait_s.overall"] == 25.1 and "p95_wait_s" not in row
    assert _capacity_columns([row]) == ["recommended_workers", "cost_per_hour", "slo", "slo_met",
                                        "p95_wait_s.overall", "p95_wait_s.high"]
