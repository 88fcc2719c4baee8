"""The diff against the previous version that versioning.yaml's changelog names.

The one place where the diff package reads files (through `archbook.load`): the CLI's
render, the report builder and notebook 03 all call this, so they show the same changelog.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archbook.diff.engine import DiffReport

__all__ = ["changes_since_previous"]


def changes_since_previous(system, today: dt.date | None = None) -> DiffReport | None:
    """`DiffReport` from the newest changelog entry's `previous` to `system`; None if none is named."""
    from archbook.load.apiset import changelog_pair

    pair = changelog_pair(system.root, system.versioning)
    if not pair:
        return None
    from archbook.diff.engine import diff_api_sets  # only now: the engine's imports cost start-up

    return diff_api_sets(*pair, today=today)
