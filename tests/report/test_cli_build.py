"""The `archbook build` command: parameters, exit codes, interruption, PDF."""
from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from buildkit import FIXTURE_NOTEBOOKS, REPO, SYSTEM, fixture_workers, require_chromium

from archbook.cli import main
from archbook.cli.build import parse_parameters
from archbook.errors import ArchbookError


def test_parameters_are_yaml_scalars_and_p_wins(tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("reps: 3\nlabel: base\n")
    got = parse_parameters(["reps=5", "rate=0.5", "autoscale=true", "name=video editor", "empty="], str(params))
    assert got == {"reps": 5, "label": "base", "rate": 0.5, "autoscale": True, "name": "video editor", "empty": ""}
    assert parse_parameters(["x=[1, 2]"]) == {"x": "[1, 2]"}  # only scalars are parsed


@pytest.mark.parametrize("pair", ["noequals", "1x=2", "a b=3"])
def test_bad_parameter_is_a_clear_error(pair):
    with pytest.raises(ArchbookError, match="NAME=VALUE"):
        parse_parameters([pair])


def test_params_file_must_be_a_mapping(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("- 1\n- 2\n")
    with pytest.raises(ArchbookError, match="must be a mapping"):
        parse_parameters([], str(bad))


def test_notebook_error_exits_1_naming_notebook_cell_error(tmp_path, capsys):
    code = main(["build", str(SYSTEM), "--out", str(tmp_path), "--notebooks", str(FIXTURE_NOTEBOOKS), "--only", "02",
                 "-p", "fail=true", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert "02_second.ipynb: cell 4: RuntimeError: second page failed on purpose" in err
    assert "Traceback" not in err
    assert (tmp_path / "video-editor" / "notebooks" / "02_second.failed.ipynb").is_file()
    assert not (tmp_path / "video-editor" / "index.html").exists()


def test_missing_system_is_a_clear_error(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build_cmd(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "archbook.cli", "build", str(SYSTEM), "--out", str(out),
            "--notebooks", str(FIXTURE_NOTEBOOKS), "--jobs", "2", "--no-progress", *extra]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_build_leaves_old_report_and_rerun_completes(fixture_report, tmp_path, sig):
    out = tmp_path / "out"
    shutil.copytree(fixture_report.report_dir, out / "video-editor")
    report = out / "video-editor"
    before = _snapshot(report)
    proc = subprocess.Popen(_build_cmd(out, "-p", "sleep_s=60", "-p", "arrival_multiplier=2"), cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    kernels = []
    while time.monotonic() < deadline and not kernels:  # wait until a notebook is executing
        time.sleep(0.3)
        kernels = [p for p in psutil.Process(proc.pid).children(recursive=True)
                   if "ipykernel" in " ".join(p.cmdline())]
    assert kernels, "the build never started a kernel"
    time.sleep(1.0)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0, err
    assert "interrupted" in err and "Traceback" not in err
    assert _snapshot(report) == before  # nothing half-written, old report intact
    assert not [p for p in out.rglob("*") if p.name.startswith(".archbook-tmp-")]  # no temp files anywhere
    gone, alive = psutil.wait_procs(kernels, timeout=15)
    assert not alive, f"kernels left running: {[p.pid for p in alive]}"

    done = subprocess.run(_build_cmd(out, "-p", "arrival_multiplier=2"), cwd=REPO, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    after = _snapshot(out)
    assert not [name for name in after if ".archbook-tmp-" in name]
    capacity = (out / "video-editor" / "artifacts" / "capacity.json").read_text()
    assert f'"recommended_workers": {fixture_workers(2)}' in capacity
    index = (out / "video-editor" / "index.html").read_text()
    assert "01_fixture.html" in index and "02_second.html" in index and "section05.html" in index


def test_pdf_is_printed_by_chromium(fixture_report, tmp_path):
    require_chromium()
    out = tmp_path / "out"
    shutil.copytree(fixture_report.report_dir, out / "video-editor")
    done = subprocess.run(_build_cmd(out, "--pdf"), cwd=REPO, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    for name in ("section05.pdf", "index.pdf"):
        data = (out / "video-editor" / name).read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 20_000
    assert 'href="section05.pdf"' in (out / "video-editor" / "index.html").read_text()
    # Chromium, with the flags and time budget used for printing, has drawn every diagram by then.
    from archbook.report.pdf import CHROMIUM_FLAGS

    page = out / "video-editor" / "section05.html"
    dom = subprocess.run(["/usr/bin/chromium", *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          "--virtual-time-budget=20000", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert 'data-archbook-mermaid="done"' in dom
    assert dom.count('<figure class="archbook-mermaid">') == page.read_text().count('<pre class="mermaid">') >= 2


def test_pdf_without_chromium_says_so(fixture_report, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARCHBOOK_CHROMIUM", str(tmp_path / "no-chromium"))
    out = tmp_path / "out"
    shutil.copytree(fixture_report.report_dir, out / "video-editor")
    code = main(["build", str(SYSTEM), "--out", str(out), "--notebooks", str(FIXTURE_NOTEBOOKS), "--pdf",
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1 and "--pdf needs Chromium" in err and "apt-get install chromium" in err
