"""Seed derivation without mutation.

`SeedSequence.spawn()` advances the parent's child counter, so spawning from a caller's
SeedSequence twice gives different children: `simulate(d, seed=ss)` would not repeat
itself. Here the i-th child is built from (entropy, spawn_key + (i,)), which is exactly
what the first `spawn()` of a fresh sequence returns, but never touches the parent."""
from __future__ import annotations

import numpy as np

__all__ = ["as_seed_sequence", "child", "children"]


def as_seed_sequence(seed, default=None) -> np.random.SeedSequence:
    """An int, None (-> `default`) or a SeedSequence, as a SeedSequence (never copied in place)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(default if seed is None else int(seed))


def child(ss: np.random.SeedSequence, i: int) -> np.random.SeedSequence:
    """The i-th child of `ss`, the same as `SeedSequence(...).spawn(i + 1)[i]` on a fresh one."""
    return np.random.SeedSequence(ss.entropy, spawn_key=tuple(ss.spawn_key) + (int(i),), pool_size=ss.pool_size)


def children(ss: np.random.SeedSequence, n: int) -> list[np.random.SeedSequence]:
    return [child(ss, i) for i in range(n)]
