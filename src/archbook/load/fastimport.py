"""Import jsonschema without its 1.2 s start-up cost.

SPEED SHORTCUT: `jsonschema._format` imports `rfc3987_syntax` (installed here as part of
jupyter's `jsonschema[format-nongpl]`), which builds a Lark grammar at import time and takes
over a second. archbook never checks the `iri` format, so while jsonschema is first imported
we hide that module; afterwards it is importable again for anyone who wants it. The only
effect is that jsonschema's FormatChecker in this process will not check "iri" strings.
"""
from __future__ import annotations

import sys

__all__ = ["jsonschema"]


def _import_jsonschema():
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        import jsonschema

        return jsonschema
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes `import` raise ImportError
    try:
        import jsonschema
        import jsonschema.exceptions  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]
    return jsonschema


jsonschema = _import_jsonschema()
