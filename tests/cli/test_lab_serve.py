"""`archbook lab` and `archbook serve` without a browser: command lines, environment, errors, the app."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from archbook.cli import main
from archbook.cli.lab import OFFLINE_ARGS, find_project_root, lab_command, require_kernel
from archbook.cli.serve import serve_command, serve_env
from archbook.errors import ArchbookError
from archbook.widgets.app import APP_NOTEBOOK, JUPYTER_DIR, SYSTEM_ENV, TEMPLATE, capacity_app

REPO = Path(__file__).resolve().parents[2]


def test_lab_command_is_this_python_localhost_offline_and_rooted(tmp_path):
    (tmp_path / "notebooks").mkdir()
    cmd = lab_command(tmp_path, port=9123, open_browser=False, token="abc")
    assert cmd[:4] == [sys.executable, "-m", "jupyter", "lab"]
    for arg in (f"--ServerApp.root_dir={tmp_path}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port=9123",
                "--MappingKernelManager.default_kernel_name=archbook", "--IdentityProvider.token=abc",
                "--no-browser", "--LabApp.default_url=/lab/tree/notebooks", *OFFLINE_ARGS):
        assert arg in cmd
    bare = lab_command(tmp_path / "elsewhere")
    assert not any(a.startswith(("--LabApp.default_url", "--ServerApp.port", "--IdentityProvider.token"))
                   for a in bare) and "--no-browser" not in bare


def test_project_root_is_found_from_inside_it(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data" / "x").mkdir(parents=True)
    assert find_project_root(tmp_path / "data" / "x") == tmp_path.resolve()
    assert find_project_root(tmp_path / "notebooks") == tmp_path.resolve()


def test_missing_kernel_names_the_fix():
    with pytest.raises(ArchbookError, match=r"kernel 'no-such-kernel' is not registered(.|\n)*make venv"):
        require_kernel("no-such-kernel")
    require_kernel()  # `make venv` registered the real one


def test_lab_with_a_missing_folder_exits_1_without_traceback(tmp_path, capsys):
    assert main(["lab", "--dir", str(tmp_path / "nope"), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert "nope: no such folder" in err and "Traceback" not in err


def test_serve_with_a_missing_system_exits_1_without_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "data/nope", "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert "data/nope" in err and "no such scenario file or system folder" in err and "Traceback" not in err


def test_serve_command_runs_the_app_with_the_offline_template():
    cmd = serve_command(8999, open_browser=False)
    assert cmd[:4] == [sys.executable, "-m", "voila", str(APP_NOTEBOOK)]
    for arg in ("--port=8999", "--Voila.ip=127.0.0.1", f"--template={TEMPLATE}", "--strip_sources=True",
                "--no-browser"):
        assert arg in cmd
    assert "--token" not in cmd and "--token" in serve_command(8999, token=True)


def test_serve_env_points_voila_at_the_template_and_the_system(tmp_path):
    env = serve_env(tmp_path / "queue.yaml", {"JUPYTER_PATH": "/other"})
    assert env[SYSTEM_ENV] == str(tmp_path / "queue.yaml")
    assert env["JUPYTER_PATH"].split(":") == [str(JUPYTER_DIR), "/other"]
    template = JUPYTER_DIR / "voila" / "templates" / TEMPLATE
    assert (template / "conf.json").is_file() and "extends 'lab/index.html.j2'" in (template / "index.html.j2").read_text()


def test_app_notebook_is_code_light_and_output_free():
    nb = nbformat.read(APP_NOTEBOOK, as_version=4)
    assert nb.metadata.kernelspec.name == "archbook"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source.splitlines()[-1] for c in code] == ["capacity_app()"]
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_capacity_app_reads_the_system_from_the_environment(monkeypatch):
    monkeypatch.setenv(SYSTEM_ENV, str(REPO / "data" / "video-editor"))
    app = capacity_app(jobs=2000, replications=1)
    heading, panel = app.children
    assert "Capacity: video-editor" in heading.value
    assert "archbook-p95" in panel.html.value and panel.image.value[:4] == b"\x89PNG"


def test_capacity_app_names_a_missing_system(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(SYSTEM_ENV, raising=False)
    with pytest.raises(ArchbookError, match="nowhere.*no such scenario file"):
        capacity_app("nowhere")
