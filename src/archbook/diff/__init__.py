"""API evolution: classify the changes between two versions of a system's APIs and enforce
the versioning policy. One small rule per change kind; ids and levels follow oasdiff.

The names below are loaded on first use: `render` imports `archbook.diff.previous` for every
system, and most have no previous version, so the engine (and graphql-core) stay unloaded.
"""
from __future__ import annotations

import importlib

__all__ = ["Change", "LEVELS", "DiffReport", "diff_api_sets", "CHECKS", "checks_table"]

_HOME = {"Change": "change", "LEVELS": "change", "DiffReport": "engine", "diff_api_sets": "engine",
         "CHECKS": "registry", "checks_table": "registry"}


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module 'archbook.diff' has no attribute {name!r}")
    return getattr(importlib.import_module(f"archbook.diff.{_HOME[name]}"), name)
