"""JSON Schema for each YAML file of a system folder (and for GRID.yaml), generated from the pydantic models.

Editors (yaml-language-server) use these for completion and inline errors. The design files'
schemas come from the models, so they cannot drift from what `load_system` accepts; the
OpenAPI and AsyncAPI schemas are the published ones the loader validates with. `grid` is
the batch-run file of `archbook build --grid` (`archbook.model.grid.GridFile`).
"""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["schemas", "write_schemas"]

_ASYNCAPI = Path(__file__).with_name("schemas") / "asyncapi-3.0.0.json"


def _design_models() -> dict:
    from archbook.model.architecture import Architecture
    from archbook.model.grid import GridFile
    from archbook.model.patterns import PatternsFile
    from archbook.model.versioning import Versioning

    models = {"architecture": Architecture, "patterns": PatternsFile, "versioning": Versioning, "grid": GridFile}
    try:  # written by the simulation engineer; optional so the loader never depends on it
        from archbook.model.queue import Scenario
    except ImportError:
        Scenario = None
    if Scenario is not None:
        models["queue"] = Scenario
    return models


def _participant_accepts_string(schema: dict) -> None:
    """A flow participant may be written as a bare id (`- User`); the model's before-validator allows it."""
    defs = schema.get("$defs", {})
    if "Participant" in defs:
        defs["Participant"] = {"anyOf": [{"type": "string", "description": "A component id."}, defs["Participant"]]}


def schemas() -> dict[str, dict]:
    """file stem -> JSON Schema (Draft 2020-12)."""
    out = {}
    for stem, model in _design_models().items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"archbook {stem}.yaml"
        _participant_accepts_string(schema)
        out[stem] = schema
    out["asyncapi"] = json.loads(_ASYNCAPI.read_text(encoding="utf-8"))
    openapi = _openapi_schema()
    if openapi is not None:
        out["openapi"] = openapi
    return out


def _openapi_schema() -> dict | None:
    """The OpenAPI 3.1 schema bundled with openapi-spec-validator (the one the loader uses)."""
    try:
        from importlib.resources import files

        text = (files("openapi_spec_validator") / "resources" / "schemas" / "v3.1" / "schema.json").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None
    return json.loads(text)


def write_schemas(out_dir: str | Path) -> list[Path]:
    """Write `<stem>.schema.json` for every file into `out_dir` (atomically); return the paths."""
    from archbook.atomic import atomic_write_text

    out_dir = Path(out_dir)
    return [atomic_write_text(out_dir / f"{stem}.schema.json", json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
            for stem, schema in schemas().items()]
