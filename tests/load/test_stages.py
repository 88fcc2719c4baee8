"""load/ is a stack of stages, each importing only the stages below it (issue 15.3):

    system (orchestrates) > validate > resolve > read > diagnose

Checked on the real import graph with grimp; type-only imports (`if TYPE_CHECKING`) are ignored.
"""
from __future__ import annotations

import grimp

STAGES = {
    "diagnose": ["diagnose"],
    "read": ["yamlsrc", "jsonsrc", "reading", "fastimport", "gitrev", "csvfile"],
    "resolve": ["jsonrefs", "resolving", "discover", "find", "confine", "included"],
    "validate": ["openapi", "oas_fast", "asyncapi", "asyncapi_coverage", "viewcheck", "crossref", "coverage", "schema_export"],
    "system": ["system", "scenario", "apiset"],
}
ORDER = list(STAGES)


def _stage(module: str) -> str | None:
    name = module.removeprefix("archbook.load.")
    return next((s for s, mods in STAGES.items() if name in mods), None)


def test_every_load_module_has_a_stage():
    graph = grimp.build_graph("archbook", exclude_type_checking_imports=True)
    modules = {m for m in graph.modules if m.startswith("archbook.load.")}
    assert sorted(m for m in modules if _stage(m) is None) == []


def test_stages_import_only_stages_below():
    graph = grimp.build_graph("archbook", exclude_type_checking_imports=True)
    upward = []
    for module in graph.modules:
        here = _stage(module) if module.startswith("archbook.load.") else None
        if here is None:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            there = _stage(imported) if imported.startswith("archbook.load.") else None
            if there is not None and ORDER.index(there) > ORDER.index(here):
                upward.append(f"{module} ({here}) imports {imported} ({there})")
    assert upward == []
