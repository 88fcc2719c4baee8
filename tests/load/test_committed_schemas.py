"""The committed `schemas/` folder (which the data files' yaml-language-server modelines point at)
must equal what the pydantic models generate today: one source of truth, no drift."""
import json
from pathlib import Path

from archbook.load.schema_export import schemas

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def test_committed_schemas_match_the_models():
    generated = schemas()
    committed = {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")}
    assert committed == set(generated), "run `archbook schema --out schemas` and commit the result"
    for stem, schema in generated.items():
        on_disk = json.loads((SCHEMAS / f"{stem}.schema.json").read_text(encoding="utf-8"))
        assert on_disk == schema, f"schemas/{stem}.schema.json is stale: run `archbook schema --out schemas`"
