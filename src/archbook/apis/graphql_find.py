"""Where a system's GraphQL schema files are, without importing graphql-core.

Why its own module: every `validate` asks whether a system has a GraphQL schema; most have
none, and importing graphql-core just to learn that costs a tenth of a second at start-up.
"""
from __future__ import annotations

from pathlib import Path

from archbook.model.graphql import GraphQLConfig

__all__ = ["SUFFIXES", "find_documents"]

SUFFIXES = (".graphql", ".graphqls")


def find_documents(root: Path, config: GraphQLConfig | None) -> list[Path]:
    """The schema files: those named in architecture.yaml, else every SDL file in the folder itself."""
    if config is not None and config.schema_files:
        return [root / name for name in config.schema_files]
    return sorted(p for p in root.iterdir() if p.suffix in SUFFIXES and p.is_file())
