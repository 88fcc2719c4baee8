"""The GitHub schema as published defines two fields of EnterpriseOwnerInfo twice (a real bug that
`archbook validate` reports with their lines). `without_duplicate_fields` drops each later copy,
giving the valid 1.2 MB schema the render tests and the benchmark use."""
from __future__ import annotations

from graphql import ObjectTypeDefinitionNode, parse

__all__ = ["without_duplicate_fields"]


def without_duplicate_fields(sdl: str) -> str:
    cuts = []
    for d in parse(sdl, no_location=False).definitions:
        if isinstance(d, ObjectTypeDefinitionNode):
            seen = set()
            for f in d.fields:
                if f.name.value in seen:
                    cuts.append((f.loc.start, f.loc.end))
                seen.add(f.name.value)
    for start, end in sorted(cuts, reverse=True):
        sdl = sdl[:start] + sdl[end:]
    return sdl
