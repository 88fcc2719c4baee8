"""API evolution: classify the changes between two versions of a system's APIs and enforce
the versioning policy. One small rule per change kind; ids and levels follow oasdiff."""
from __future__ import annotations

from archbook.diff.change import LEVELS, Change
from archbook.diff.engine import DiffReport, diff_api_sets
from archbook.diff.registry import CHECKS, checks_table

__all__ = ["Change", "LEVELS", "DiffReport", "diff_api_sets", "CHECKS", "checks_table"]
