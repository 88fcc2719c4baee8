"""Lazy package attributes (PEP 562), so that importing a package costs only what is used:
`archbook sweep` reads a queue.yaml and must not build every architecture model on the way."""
from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, homes: Mapping[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` that imports `homes[name]` (a module path) on first access of `name`."""
    def __getattr__(name: str):
        if name in homes:
            return getattr(importlib.import_module(homes[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
