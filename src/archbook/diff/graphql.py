"""GraphQL changes through graphql-core's own `find_breaking_changes` and `find_dangerous_changes`.

Their change types become check ids (`graphql-field-removed`, `graphql-arg-default-value-change`),
breaking ones at level breaking and dangerous ones at level warning.
"""
from __future__ import annotations

import re

from graphql.utilities import BreakingChangeType, DangerousChangeType, find_breaking_changes, find_dangerous_changes

from archbook.diff.change import Change
from archbook.diff.registry import change, define

__all__ = ["diff_graphql"]

A = "graphql"


def _id(kind) -> str:
    return "graphql-" + kind.name.lower().replace("_", "-")


for _kind in BreakingChangeType:
    define(_id(_kind), "breaking", A, f"graphql-core breaking change {_kind.name}", "update the queries that use it",
           oasdiff=False)
for _kind in DangerousChangeType:
    define(_id(_kind), "warning", A, f"graphql-core dangerous change {_kind.name}", "check the queries that use it",
           oasdiff=False)

_WHERE = re.compile(r"[A-Za-z_]\w*\.\w+(?:\(\w+:\))?")


def diff_graphql(old, new) -> list[Change]:
    """Changes between two graphql-core schemas (as `archbook.apis.graphql` builds them)."""
    found = [*find_breaking_changes(old, new), *find_dangerous_changes(old, new)]
    out = []
    for c in found:
        where = _WHERE.search(c.description)
        out.append(change(_id(c.type), where.group(0) if where else c.description.split(" ", 1)[0], c.description))
    return sorted(out, key=lambda c: c.sort_key)
