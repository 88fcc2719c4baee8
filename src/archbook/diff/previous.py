"""The diff against the previous version that versioning.yaml's changelog names.

The one place where the diff package reads files (through `archbook.load`): the CLI's
render, the report builder and notebook 03 all call this, so they show the same changelog.
"""
from __future__ import annotations

import datetime as dt

from archbook.diff.engine import DiffReport, diff_api_sets

__all__ = ["changes_since_previous"]


def changes_since_previous(system, today: dt.date | None = None) -> DiffReport | None:
    """`DiffReport` from the newest changelog entry's `previous` to `system`; None if none is named."""
    from archbook.load.apiset import changelog_pair

    pair = changelog_pair(system.root, system.versioning)
    return diff_api_sets(*pair, today=today) if pair else None
