"""The process pool the simulator's parallel runs use: forked workers whose allocator keeps
the memory a replication frees for the next one.

Every replication allocates its per-job arrays afresh (about 5 MB for 200 k jobs, freed when
its metrics are taken). glibc serves blocks that size with mmap, or trims the heap top back
to the kernel when they are freed, so the next replication faults every page in again: the
README's sweep took 280 k page faults and 0.9 s of system time for it, 0.6 s of which this
saves (bench/bench_sweep.py). Raising the mmap and trim thresholds in the workers keeps the
pages mapped; the parent process (a notebook kernel, say) is left as it is.
"""
from __future__ import annotations

import ctypes
import ctypes.util
from concurrent.futures import ProcessPoolExecutor

__all__ = ["worker_pool", "keep_freed_memory"]

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
MMAP_THRESHOLD = 32 << 20  # glibc's largest: blocks above it are mmapped anyway
TRIM_THRESHOLD = 512 << 20  # free memory kept at the heap top before giving it back


def keep_freed_memory() -> bool:
    """Raise glibc's thresholds in this process; False where there is no glibc (macOS, musl)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def worker_pool(size: int) -> ProcessPoolExecutor:
    """A pool of `size` worker processes, each keeping freed memory (`keep_freed_memory`)."""
    return ProcessPoolExecutor(max_workers=size, initializer=keep_freed_memory)
