"""sim.pool: the workers' allocator keeps freed memory; where that is impossible, nothing breaks."""
from __future__ import annotations

import platform

import pytest

from archbook.sim import pool


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_thresholds_are_set_in_the_workers():
    with pool.worker_pool(1) as workers:
        assert workers.submit(pool.keep_freed_memory).result() is True


def test_without_glibc_it_reports_false(monkeypatch):
    monkeypatch.setattr(pool.ctypes.util, "find_library", lambda name: "libdoes-not-exist.so.9")
    assert pool.keep_freed_memory() is False
