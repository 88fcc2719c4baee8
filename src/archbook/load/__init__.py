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

from archbook.lazy import lazy_attributes

__all__ = ["load_system", "validate_system", "find_system", "load_yaml_with_lines"]

# Lazy: the system loader builds every architecture model (0.35 s of a warm `archbook sweep`).
__getattr__ = lazy_attributes(__name__, {
    "load_system": "archbook.load.system", "validate_system": "archbook.load.system",
    "find_system": "archbook.load.find", "load_yaml_with_lines": "archbook.load.yamlsrc"})
