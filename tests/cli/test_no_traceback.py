"""Every subcommand, given every kind of bad argument, answers with one clear line and a
non-zero exit: never a traceback, never an exception escaping `main`.

Run in-process (an exception reaching pytest fails the test). The closed pipe, Ctrl-C and the
internal-error path are checked through the real entry point or the guard itself.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archbook.cli import main as cli_main
from archbook.cli.guard import EXIT_INTERNAL, EXIT_PIPE, run_guarded

REPO = Path(__file__).resolve().parents[2]
BROKEN = REPO / "tests" / "data" / "broken"
SYSTEM = str(REPO / "data" / "video-editor")
QUEUE = str(REPO / "data" / "video-editor" / "queue.yaml")
NOWHERE = "/nonexistent/archbook-test"
UNWRITABLE = "/dev/null/sub/out"  # /dev/null is a file: nothing can be made under it, not even by root
README = str(REPO / "README.md")
SYNTAX = str(BROKEN / "yaml-syntax-error")


@pytest.fixture(scope="module")
def bad_templates(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("tpl")
    (folder / "component_card.md.j2").write_text("{% if c %}\n{{ c.name \n", encoding="utf-8")
    return str(folder)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("bomb")
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    (folder / "queue.yaml").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(folder / "queue.yaml")


CASES = {
    "validate": [[NOWHERE], [README], [SYNTAX], [SYNTAX, "--json"], ["--json"]],
    "check": [[NOWHERE], [README], [SYNTAX, "--strict"], [SYNTAX, "--json"]],
    "render": [[NOWHERE], [SYNTAX], [SYSTEM, "-o", UNWRITABLE + ".md"], [SYSTEM, "--templates", NOWHERE],
               [SYSTEM, "--templates", "{bad_templates}"], [SYSTEM, "--section", "9"], [SYSTEM, "-o", SYSTEM]],
    "simulate": [[NOWHERE], [README], ["{bomb}"], [str(BROKEN / "queue-negative-rate")], [QUEUE, "--set", "nonsense"],
                 [QUEUE, "--set", "workers.count=many"], [QUEUE, "--set", "no.such.key=1"], [QUEUE, "--reps", "x"],
                 [QUEUE, "--reps", "0"]],
    "sweep": [[NOWHERE, "--out", "/tmp/x.csv"], [QUEUE, "--workers", "abc", "--out", "/tmp/x.csv"],
              [QUEUE, "--workers", "9:2", "--out", "/tmp/x.csv"], [QUEUE, "--slo", "p95<", "--out", "/tmp/x.csv"],
              [QUEUE, "--arrival-multiplier", "x", "--out", "/tmp/x.csv"], [QUEUE, "--out", "/tmp/x.txt"],
              [QUEUE]],
    "build": [[NOWHERE], [SYNTAX], [SYSTEM, "--only", "99"], [SYSTEM, "-p", "novalue"], [SYSTEM, "--params", NOWHERE],
              [SYSTEM, "--params", README], [SYSTEM, "--notebooks", NOWHERE], [SYSTEM, "--grid", NOWHERE],
              [SYSTEM, "--jobs", "x"], [SYSTEM, "--out", UNWRITABLE, "--only", "99"]],
    "new": [["../escape", "--dir", "{tmp}"], ["", "--dir", "{tmp}"], ["ok-name", "--dir", UNWRITABLE]],
    "schema": [["--out", UNWRITABLE]],
    "lab": [["--dir", NOWHERE], ["--port", "x"]],
    "serve": [[NOWHERE], [README], ["--port", "x"]],
    "": [[], ["nosuchcommand"], ["--nope"]],
}
RUNS = [(cmd, i) for cmd, variants in CASES.items() for i in range(len(variants))]


@pytest.mark.parametrize("command, index", RUNS, ids=[f"{c or 'top'}-{i}" for c, i in RUNS])
def test_bad_arguments_give_one_line_not_a_traceback(command, index, capsys, bad_templates, bomb, tmp_path):
    argv = [a.format(bad_templates=bad_templates, bomb=bomb, tmp=tmp_path) for a in CASES[command][index]]
    argv = ([command] if command else []) + argv
    try:
        code = cli_main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    assert code not in (0, None), f"{argv} succeeded:\n{out}{err}"
    assert "Traceback" not in out + err and (err.strip() or "--json" in argv), argv
    assert code != EXIT_INTERNAL, f"{argv} hit an internal error: {err}"


def test_unwritable_output_names_the_place(capsys):
    assert cli_main(["render", SYSTEM, "-o", UNWRITABLE + ".md"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("archbook render: /dev/null") and len(err.splitlines()) == 1


def test_broken_template_names_file_and_line(capsys, bad_templates):
    assert cli_main(["render", SYSTEM, "--templates", bad_templates]) == 1
    err = capsys.readouterr().err
    assert f"template error in {bad_templates}/component_card.md.j2:2:" in err


def test_internal_error_saves_the_traceback(capsys):
    def broken(_args):
        raise ZeroDivisionError("division by zero")

    assert run_guarded("demo", broken, None) == EXIT_INTERNAL
    err = capsys.readouterr().err.strip()
    assert err.startswith("archbook demo: internal error: ZeroDivisionError: division by zero; the traceback is saved in ")
    saved = Path(err.split("saved in ")[1].split(" (please")[0])
    assert "Traceback" in saved.read_text() and "ZeroDivisionError" in saved.read_text()
    assert "Traceback" not in err
    saved.unlink()


def _cli(*args, **kw):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen([sys.executable, "-m", "archbook.cli", *args], env=env, stderr=subprocess.PIPE, text=True, **kw)


def test_closed_pipe_is_one_line():
    proc = _cli("render", SYSTEM, stdout=subprocess.PIPE)
    proc.stdout.close()  # the reader went away before anything was written (as `| head -1` does, sooner)
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == EXIT_PIPE
    assert "Traceback" not in err and "broken pipe" in err and len(err.strip().splitlines()) == 1


def test_ctrl_c_is_one_line():
    proc = _cli("simulate", QUEUE, "--set", "horizon.jobs=5000000", "--reps", "50", stdout=subprocess.DEVNULL)
    time.sleep(12)  # past imports and numba's compile: a SIGINT inside LLVM can crash it (see the report)
    proc.send_signal(signal.SIGINT)
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 130
    assert "Traceback" not in err and err.strip().endswith("interrupted")
