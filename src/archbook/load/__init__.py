"""Reading a system folder, in stages; each imports only the stages below it (tests/load/test_stages.py):

- system      `system.py` orchestrates: one pass per document, all problems gathered, then the model.
- validate    `openapi.py` (+ `oas_fast.py`, `coverage.py`), `asyncapi.py`, `crossref.py`: schemas,
              archbook's rules, cross-references, and what the renderer will not show.
- resolve     `discover.py` (which API documents), `resolving.py` (`$ref`s to files inside the folder,
              bundled once; cycles), `jsonrefs.py` (pointer helpers), `find.py` (the folder itself).
- read        `reading.py` over `yamlsrc.py` (YAML with line marks) and `jsonsrc.py` (JSON, lazy line marks).
- diagnose    `diagnose.py`: turning errors into located `Problem(file, line, field, message, hint)`s.

OpenAPI documents are then normalised by `archbook.apis.openapi` into `archbook.model.api.HttpApi`.
"""
from __future__ import annotations

__all__ = ["load_system", "validate_system", "find_system", "load_yaml_with_lines"]

# Lazy (PEP 562): `archbook sweep` reads only a queue.yaml, and importing the system loader
# would build every architecture model first (0.35 s, a twentieth of a warm sweep).
_LAZY = {"load_system": "archbook.load.system", "validate_system": "archbook.load.system",
         "find_system": "archbook.load.find", "load_yaml_with_lines": "archbook.load.yamlsrc"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'archbook.load' has no attribute {name!r}")
