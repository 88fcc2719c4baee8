"""Real public OpenAPI 3.0 and 3.1 documents (tests/data/openapi, see SOURCE.md) validate and render
without an edit, and the rendered section shows everything they hold."""
from __future__ import annotations

from pathlib import Path

import pytest

from archbook.cli.new import scaffold
from archbook.load import validate_system
from archbook.load.reading import read_document
from archbook.model.api import HTTP_METHODS
from archbook.render import markdown as md
from archbook.render import render_section

DATA = Path(__file__).resolve().parents[1] / "data" / "openapi"
DOCS = {
    "box": ("box/openapi.json", "3.0.2", 296),
    "museum": ("museum/openapi.yaml", "3.1.0", 8),
    "callbacks": ("oai/v3.0_callback-example.yaml", "3.0.0", 1),
    "links": ("oai/v3.0_link-example.yaml", "3.0.0", 6),
    "petstore": ("oai/v3.0_petstore-expanded.yaml", "3.0.0", 4),
    "uspto": ("oai/v3.0_uspto.yaml", "3.0.1", 3),
    "examples-json": ("oai/v3.0_api-with-examples.json", "3.0.0", 2),
    "tictactoe": ("oai/v3.1_tictactoe.yaml", "3.1.0", 3),
    "scopes": ("oai/v3.1_non-oauth-scopes.yaml", "3.1.0", 1),
    "webhooks": ("oai/v3.1_webhook-example.yaml", "3.1.0", 0),
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """name -> (model, problems, section 5.3 text), each document started with `archbook new --openapi`."""
    parent = tmp_path_factory.mktemp("systems")
    out = {}
    for name, (rel, _, _) in DOCS.items():
        folder = scaffold(name, parent, {"openapi": [str(DATA / rel)]})
        model, problems = validate_system(folder)
        out[name] = (model, problems, render_section(model, "5.3") if model else "")
    return out


@pytest.mark.parametrize("name", DOCS)
def test_validates_without_errors_and_reports_its_version(loaded, name):
    model, problems, _ = loaded[name]
    assert [str(p) for p in problems if p.severity == "error"] == []
    _, version, n_ops = DOCS[name]
    assert model.http_api.version == version and len(model.http_api.operations) == n_ops


def _raw_items(doc: dict):
    """(kind, text that must appear) for every operation, parameter, response, header and media type."""
    comps = doc.get("components") or {}

    def deref(node, section):
        ref = node.get("$ref", "") if isinstance(node, dict) else ""
        return (comps.get(section) or {}).get(ref.rsplit("/", 1)[-1], {}) if ref else node

    for group in ("paths", "webhooks"):
        for path, item in (doc.get(group) or {}).items():
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                head = "Endpoint" if group == "paths" else "Webhook"
                yield "operation", f"##### {head}: {method.upper()} {md.text(path)}"
                for p in list(item.get("parameters") or []) + list(op.get("parameters") or []):
                    yield "parameter", str(md.inline_code(deref(p, "parameters")["name"]))
                body = deref(op.get("requestBody") or {}, "requestBodies")
                for media in body.get("content") or {}:
                    yield "media type", media
                for status, resp in (op.get("responses") or {}).items():
                    yield "response", f" ({status} "
                    resp = deref(resp, "responses")
                    for header in resp.get("headers") or {}:
                        yield "header", f"Header {md.inline_code(header)}"
                    for media in resp.get("content") or {}:
                        yield "media type", media


@pytest.mark.parametrize("name", DOCS)
def test_nothing_in_the_document_is_missing_from_the_section(loaded, name):
    model, _, text = loaded[name]
    doc, _ = read_document(Path(model.files["openapi"]), [])
    missing = [(kind, want) for kind, want in _raw_items(doc) if want not in text]
    assert missing == []


def test_every_named_schema_is_shown_once_and_never_unknown(loaded):
    _, _, text = loaded["box"]
    model = loaded["box"][0]
    for name in model.http_api.schemas:
        assert text.count(f"interface {name} ") + text.count(f"type {name} = ") == 1, name
    assert "unknown;" not in text and "<unknown" not in text


def test_webhooks_callbacks_links_and_alternatives_are_rendered(loaded):
    assert "### Webhooks" in loaded["webhooks"][2] and "##### Webhook: POST newPet" in loaded["webhooks"][2]
    assert "**Callback `onData`** (to `{$request.query.callbackUrl}/data`)" in loaded["callbacks"][2]
    assert "Link `userRepositories` → operation `getRepositoriesByOwner`" in loaded["links"][2]
    museum = loaded["museum"][2]
    assert "##### Webhook: POST publishNewEvent" in museum


def test_swagger_2_gets_the_conversion_hint(tmp_path):
    folder = scaffold("old", tmp_path, {"openapi": [str(DATA / "oai/v2.0_petstore.yaml")]})
    model, problems = validate_system(folder)
    (err,) = [p for p in problems if p.severity == "error"]
    assert model is None and err.field == "swagger" and err.line == 1
    assert "Swagger 2.0" in err.message and "npx swagger2openapi" in err.hint


def test_unrendered_extensions_are_warned_by_name(loaded):
    warnings = [p.message for p in loaded["box"][1] if p.severity == "warning"]
    assert any(m.startswith("x-box-tag on GET /authorize (and ") and m.endswith("is not rendered") for m in warnings)
