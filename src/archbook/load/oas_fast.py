"""The fast path of OpenAPI validation: is this document valid, in milliseconds?

openapi-spec-validator's full pass walks every schema in Python (over 4 s on a 300-operation
document). Almost every document a user validates is valid, so we first ask jsonschema-rs
whether the document matches the official OAS JSON Schema of its version (the one
openapi-spec-validator ships), then check openapi-spec-validator's semantic rules that the
schema cannot express: unique operationIds, declared path parameters, and (3.1) that every
schema object is valid JSON Schema 2020-12. Only a document failing this pays for the slow,
well-worded pass (see `load.openapi`).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

__all__ = ["official_schema", "passes"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@lru_cache(maxsize=4)
def official_schema(version: str) -> dict:
    """The OAS JSON Schema for "3.0" or "3.1", as bundled with openapi-spec-validator.

    Found with `find_spec`, which does not import the package (its import takes seconds)."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("openapi_spec_validator")
    folder = Path(next(iter(spec.submodule_search_locations)))  # type: ignore[union-attr]
    return json.loads((folder / "resources" / "schemas" / f"v{version}" / "schema.json").read_text("utf-8"))


@lru_cache(maxsize=4)
def _validator(version: str):
    import jsonschema_rs

    return jsonschema_rs.validator_for(official_schema(version))


def passes(doc: dict, version: str) -> bool:
    """True when `doc` is certainly a valid OpenAPI `version` document (no errors to report)."""
    try:
        if not _validator(version).is_valid(doc):
            return False
    except Exception:  # noqa: BLE001  (an unexpected value: let the slow path explain it)
        return False
    return _unique_ids(doc) and _path_params_declared(doc) and (version != "3.1" or _schemas_valid(doc))


def _operations(doc: dict):
    for path, item in (doc.get("paths") or {}).items():
        if isinstance(item, dict) and "$ref" not in item:
            for method in _METHODS:
                if isinstance(item.get(method), dict):
                    yield path, item, item[method]


def _unique_ids(doc: dict) -> bool:
    ids = [op["operationId"] for _, _, op in _operations(doc) if "operationId" in op]
    return len(ids) == len(set(ids))


def _path_params_declared(doc: dict) -> bool:
    params = (doc.get("components") or {}).get("parameters") or {}
    for path, item, op in _operations(doc):
        names = set(re.findall(r"\{([^}]+)\}", path))
        if not names:
            continue
        for p in list(item.get("parameters") or []) + list(op.get("parameters") or []):
            if isinstance(p, dict) and isinstance(p.get("$ref"), str):
                p = params.get(p["$ref"].rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~"), {})
            if isinstance(p, dict) and p.get("in") == "path":
                names.discard(p.get("name"))
        if names:
            return False
    return True


def _schemas_valid(doc: dict) -> bool:
    """Every named schema is valid JSON Schema (3.1's dialect); inline ones are rarely wrong and the
    official schema already checks their shape."""
    import jsonschema_rs

    for schema in ((doc.get("components") or {}).get("schemas") or {}).values():
        if isinstance(schema, dict) and not jsonschema_rs.meta.is_valid(schema):
            return False
    return True
