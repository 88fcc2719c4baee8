"""Atomic writes and output-path safety (archbook.report.paths)."""
from __future__ import annotations

import os
import signal

import pytest

from archbook.atomic import TMP_PREFIX, atomic_directory, atomic_write_text
from archbook.report.paths import check_name, safe_join, sanitize_name, signals_deferred
from archbook.errors import UnsafePathError


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "deep" / "page.html"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]


def test_atomic_write_failure_keeps_old_file_and_cleans_temp(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    atomic_write_text(target, "old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_atomic_directory_appears_whole(tmp_path):
    target = tmp_path / "slot"
    with atomic_directory(target) as tmp:
        (tmp / "a.txt").write_text("a")
        assert not target.exists()  # nothing visible until the block succeeds
    assert [p.name for p in target.iterdir()] == ["a.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["slot"]


def test_atomic_directory_failure_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError, match="half way"):
        with atomic_directory(tmp_path / "slot") as tmp:
            (tmp / "a.txt").write_text("a")
            raise RuntimeError("half way")
    assert list(tmp_path.iterdir()) == []


def test_atomic_directory_never_overwrites(tmp_path):
    (tmp_path / "slot").mkdir()
    (tmp_path / "slot" / "old.txt").write_text("old")
    with pytest.raises(OSError):
        with atomic_directory(tmp_path / "slot") as tmp:
            (tmp / "new.txt").write_text("new")
    assert [p.name for p in (tmp_path / "slot").iterdir()] == ["old.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["slot"]


@pytest.mark.parametrize("parts", [("..", "x"), ("a", "..", "..", "x"), ("/etc/passwd",)])
def test_safe_join_rejects_escapes(tmp_path, parts):
    with pytest.raises(UnsafePathError, match="outside the output folder"):
        safe_join(tmp_path / "out", *parts)


def test_safe_join_rejects_symlink_out(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError):
        safe_join(out, "link", "x.html")
    assert safe_join(out, "sub", "x.html") == (out / "sub" / "x.html").resolve()


@pytest.mark.parametrize("name", ["..", ".", "", "a/b", "..\\x", ".hidden"])
def test_check_name_rejects(name):
    with pytest.raises(UnsafePathError, match="cannot be used as a folder name"):
        check_name(name, "grid name")


def test_sanitize_name_is_safe_stable_and_distinct():
    assert sanitize_name("arrival-1.5") == "arrival-1.5"
    tricky = ["../../etc", "a/b", "a_b", "x" * 200, "ünï cödé"]
    names = [sanitize_name(t) for t in tricky]
    assert all(n and "/" not in n and not n.startswith(".") and len(n) <= 80 for n in names)
    assert len(set(names)) == len(names)  # lossy inputs keep a hash suffix
    assert names == [sanitize_name(t) for t in tricky]


def test_signals_deferred_delivers_after_block():
    received = []
    old = signal.signal(signal.SIGUSR1, lambda *_: received.append(1))
    try:
        with signals_deferred():
            pass
        # SIGINT/SIGTERM are held inside; other signals are untouched
        with signals_deferred():
            os.kill(os.getpid(), signal.SIGUSR1)
        assert received == [1]
        with pytest.raises(KeyboardInterrupt):
            with signals_deferred():
                os.kill(os.getpid(), signal.SIGINT)
                received.append("after-kill")  # still runs: SIGINT is held until the block ends
        assert received[-1] == "after-kill"
    finally:
        signal.signal(signal.SIGUSR1, old)
