"""find_system resolves a system folder from the cwd or any of its parents."""
from __future__ import annotations

from pathlib import Path

import pytest

from archbook.load import find_system
from archbook.load.find import SystemNotFound

REPO = Path(__file__).resolve().parents[2]


def test_relative_from_a_subfolder(monkeypatch):
    monkeypatch.chdir(REPO / "tests")  # like notebooks/ under papermill
    assert find_system("data/video-editor") == REPO / "data" / "video-editor"


def test_absolute_and_start(tmp_path):
    (tmp_path / "sys").mkdir()
    (tmp_path / "sys" / "architecture.yaml").write_text("x: 1\n")
    assert find_system(tmp_path / "sys") == (tmp_path / "sys").resolve()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_system("sys", start=deep) == (tmp_path / "sys").resolve()


def test_a_folder_with_architecture_wins_over_an_empty_one(tmp_path):
    (tmp_path / "a" / "sys").mkdir(parents=True)  # nearer, but not a system
    (tmp_path / "sys").mkdir()
    (tmp_path / "sys" / "architecture.yaml").write_text("x: 1\n")
    assert find_system("sys", start=tmp_path / "a") == (tmp_path / "sys").resolve()


def test_not_found_names_the_path_and_a_hint(tmp_path):
    with pytest.raises(SystemNotFound, match="no-such-system: no system folder found") as info:
        find_system("no-such-system", start=tmp_path)
    assert "archbook new" in str(info.value)


def test_a_file_of_the_system_means_its_folder(monkeypatch):
    monkeypatch.chdir(REPO)
    assert find_system("data/video-editor/openapi.yaml") == REPO / "data" / "video-editor"
