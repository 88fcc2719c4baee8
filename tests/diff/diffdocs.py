"""Small OpenAPI documents to edit: each test changes one thing and names the check it expects."""
from archbook.apis.openapi import build_http_api
from archbook.diff.openapi import diff_openapi
from archbook.diff.openapi_view import view_openapi

BASE = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1.0.0"},
    "security": [{"bearer": []}],
    "paths": {
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "getItem",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
                "responses": {
                    "200": {"description": "ok", "headers": {"X-Rate": {"required": True, "schema": {"type": "integer"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                    "404": {"description": "missing"},
                },
            },
            "put": {
                "operationId": "putItem",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                "responses": {"200": {"description": "ok",
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}},
            },
        },
        "/health": {"get": {"operationId": "health", "security": [], "responses": {"200": {"description": "ok"}}}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 50, "minLength": 1},
                    "kind": {"type": "string", "enum": ["a", "b"]},
                    "size": {"type": "integer", "minimum": 0, "maximum": 10},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            }
        },
    },
}


def run(old: dict, new: dict, **kw):
    return diff_openapi(view_openapi(build_http_api(old)), view_openapi(build_http_api(new)), **kw)


def ids(changes) -> set[str]:
    return {c.id for c in changes}


def api_set(doc: dict, label: str = "v", versioning=None):
    from archbook.model.apiset import ApiSet

    return ApiSet(label, http_api=build_http_api(doc), versioning=versioning)


def policy(**changes):
    """The video editor's versioning policy, with `changes` applied (e.g. changelog=[...])."""
    from pathlib import Path

    import yaml

    from archbook.model.versioning import Versioning

    raw = yaml.safe_load((Path(__file__).parents[2] / "data/video-editor/versioning.yaml").read_text())
    return Versioning.model_validate({**raw, **changes})
