"""Paths a system names stay inside its folder; trace and service-time CSVs fail with file, row and column."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from archbook.errors import ValidationFailed
from archbook.load.confine import confined_path, path_problem
from archbook.sim.arrivals import read_trace
from archbook.sim.distributions import empirical_values
from archbook.load.scenario import load_scenario

QUEUE = """\
arrivals: {process: trace, trace: {path: PATH}}
classes: [{name: n, share: 1.0, service: {dist: exponential, mean_s: 1.0}}]
workers: {count: 2}
horizon: {replications: 1}
"""


@pytest.mark.parametrize("text, reason", [
    ("../../../../etc/passwd", "climbs out of the system folder with `..`"),
    ("traces/../../x.csv", "climbs out of the system folder with `..`"),
    ("/etc/passwd", "is an absolute path; give a path relative to the system folder"),
    ("C:\\data\\t.csv", "is an absolute path; give a path relative to the system folder"),
    ("~/t.csv", "is an absolute path; give a path relative to the system folder"),
    ("https://example.com/t.csv", "is a URL; archbook reads only files inside the system folder"),
    ("traces/./week.csv", None), ("traces/sub/../week.csv", None),
])
def test_path_text_rules(text, reason):
    assert path_problem(text) == reason


def test_symlink_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "sys").mkdir()
    os.symlink("/etc/passwd", tmp_path / "sys" / "t.csv")
    with pytest.raises(ValidationFailed) as info:
        confined_path(tmp_path / "sys", "t.csv", file="queue.yaml", line=3, field="arrivals.trace.path")
    p = info.value.problems[0]
    assert (p.file, p.line) == ("queue.yaml", 3)
    assert p.message == "path `t.csv` leads outside the system folder (to /etc/passwd), through a symlink"


def test_symlink_inside_the_folder_is_fine(tmp_path):
    (tmp_path / "real.csv").write_text("x\n1\n")
    os.symlink(tmp_path / "real.csv", tmp_path / "link.csv")
    assert confined_path(tmp_path, "link.csv", file="q", line=None, field="f") == (tmp_path / "real.csv").resolve()


def _scenario(tmp_path: Path, csv: bytes | str, path: str = "t.csv"):
    (tmp_path / "queue.yaml").write_text(QUEUE.replace("PATH", path))
    if csv is not None:
        (tmp_path / "t.csv").write_bytes(csv.encode() if isinstance(csv, str) else csv)
    return load_scenario(tmp_path / "queue.yaml")


def _trace_problem(tmp_path, csv):
    sc = _scenario(tmp_path, csv)
    with pytest.raises(ValidationFailed) as info:
        read_trace(sc.arrivals, tmp_path)
    p = info.value.problems[0]
    return Path(p.file).name, p.line, p.field, p.message


def test_trace_path_outside_is_a_located_scenario_error(tmp_path):
    with pytest.raises(ValidationFailed) as info:
        _scenario(tmp_path, None, "../../../../etc/passwd")
    p = info.value.problems[0]
    assert (Path(p.file).name, p.line, p.field) == ("queue.yaml", 1, "arrivals.trace.path")
    assert p.message == "path `../../../../etc/passwd` climbs out of the system folder with `..`"


@pytest.mark.parametrize("csv, expected", [
    ("timestamp,user\n0,a\n1,b,extra\n", ("t.csv", 3, "", "row 3 has 3 fields, the header has 2")),
    (b"timestamp,user\n0,caf\xe9\n", ("t.csv", 2, "", "not UTF-8 text: byte 0xe9 in row 2")),
    ("", ("t.csv", 1, "", "the CSV is empty")),
    ("timestamp,user\n", ("t.csv", 1, "timestamp", "the trace has no rows")),
    ("timestamp,user\n0,a\ninf,b\n",
     ("t.csv", 3, "timestamp", "cannot read timestamp `inf`: expected seconds (a number), as in the first row")),
    ("timestamp,user\n0,a\nsoon,b\n",
     ("t.csv", 3, "timestamp", "cannot read timestamp `soon`: expected seconds (a number), as in the first row")),
    ("timestamp,user\n2025-11-10T00:00:00Z,a\n2025-13-45T00:00:00Z,b\n",
     ("t.csv", 3, "timestamp", "cannot read timestamp `2025-13-45T00:00:00Z`: expected an ISO-8601 time such as "
                               "2025-11-09T13:00:00Z")),
    ("timestamp,user\n0,a\n5,b\n2,c\n",
     ("t.csv", 4, "timestamp", "timestamp `2` is earlier than the row before it (`5`); the trace must be in time order")),
    ("timestamp,user,width\n0,a,512\n1,b,wide\n", ("t.csv", 3, "width", "`width` value `wide` is not a number")),
    ("time,user\n0,a\n", ("t.csv", 1, "arrivals.trace.timestamp_column", "no column `timestamp`")),
])
def test_trace_csv_mistakes(tmp_path, csv, expected):
    assert _trace_problem(tmp_path, csv) == expected


def test_empty_setting_cells_are_allowed(tmp_path):
    trace = read_trace(_scenario(tmp_path, "timestamp,user,width\n0,a,512\n1,b,\n").arrivals, tmp_path)
    assert trace.settings["width"][0] == 512 and trace.settings["width"][1] != trace.settings["width"][1]


def test_empirical_csv_outside_is_refused(tmp_path):
    from archbook.model.queue import Empirical

    with pytest.raises(ValidationFailed) as info:
        empirical_values(Empirical(dist="empirical", path="../x.csv", column="s"), tmp_path)
    assert "climbs out of the system folder" in info.value.problems[0].message
