"""Notebook 03's endpoint picker: choose an endpoint, read its doc, check an example payload.

The payload is validated with jsonschema against the operation's request-body
schema *inside* the OpenAPI document (registered as one resource), so the
schema's `$ref`s to `#/components/schemas/...` resolve exactly as the spec
means them. OpenAPI 3.1 schemas are JSON Schema 2020-12.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass

import ipywidgets as widgets
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from archbook.model.api import resolve_ref
from archbook.render.cards import endpoint_doc
from archbook.widgets.component_picker import markdown_output

__all__ = ["endpoint_picker", "EndpointPicker", "PayloadError", "validate_payload", "request_schema_pointer",
           "NoRequestBody", "request_example"]

DOC_URI = "urn:archbook:openapi"


class NoRequestBody(LookupError):
    """The operation takes no JSON request body, so there is nothing to validate against."""


@dataclass(frozen=True)
class PayloadError:
    """One reason a payload does not match: where (a JSON path such as `$.settings.width`) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _escape_pointer(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def request_schema_pointer(op, openapi: dict) -> str:
    """JSON pointer, inside `openapi`, of the operation's JSON request-body schema."""
    parts = list(op.json_path) + ["requestBody"]
    body = op.spec.get("requestBody")
    if isinstance(body, dict) and isinstance(body.get("$ref"), str) and body["$ref"].startswith("#/"):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in body["$ref"][2:].split("/")]
    body = resolve_ref(openapi, body)
    content = (body or {}).get("content") or {}
    media = next((m for m in content if m == "application/json" or m.endswith("+json")), None)
    if media is None or "schema" not in content[media]:
        raise NoRequestBody(f"{op.title} has no JSON request body")
    return "/" + "/".join(_escape_pointer(p) for p in [*parts, "content", media, "schema"])


def validate_payload(op, openapi: dict, payload: str) -> list[PayloadError]:
    """Errors of a pasted JSON payload against `op`'s request schema; [] means it is valid."""
    try:
        value = json.loads(payload)
    except json.JSONDecodeError as exc:
        return [PayloadError("$", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")]
    registry = Registry().with_resource(DOC_URI, Resource(contents=openapi, specification=DRAFT202012))
    schema = {"$ref": f"{DOC_URI}#{request_schema_pointer(op, openapi)}"}
    validator = Draft202012Validator(schema, registry=registry)
    errors = sorted(validator.iter_errors(value), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [PayloadError(e.json_path, e.message) for e in errors]


def _verdict_html(errors: list[PayloadError] | None, note: str = "") -> str:
    if note:
        return f'<div class="archbook-payload-note">{html.escape(note)}</div>'
    if errors is None:
        return ""
    if not errors:
        return '<div class="archbook-payload-ok"><b>OK</b>: the payload matches the request schema.</div>'
    items = "".join(f"<li><code>{html.escape(e.path)}</code>: {html.escape(e.message)}</li>" for e in errors)
    return f'<div class="archbook-payload-errors"><b>{len(errors)} error(s)</b><ul>{items}</ul></div>'


class EndpointPicker:
    """A Dropdown of operations, the chosen one's doc, and a payload checker; `.widget` is the panel."""

    def __init__(self, system, operation: str | None = None):
        self.openapi = system.openapi or {}
        self._system_api = getattr(system, "http_api", None)
        self.operations = {op.title: op for op in system.operations()}
        if not self.operations:
            raise ValueError(f"{getattr(system, 'root', 'system')}: no OpenAPI operations to pick from")
        first = operation if operation in self.operations else next(iter(self.operations))
        self.dropdown = widgets.Dropdown(options=list(self.operations), value=first, description="Endpoint",
                                         layout=widgets.Layout(width="28rem"))
        self.doc = widgets.Output()
        self.payload = widgets.Textarea(placeholder="Paste an example JSON request body here", rows=8,
                                        continuous_update=False, layout=widgets.Layout(width="100%"))
        self.check = widgets.Button(description="Validate", button_style="primary")
        self.example = widgets.Button(description="Insert example", tooltip="fill in the documented example body")
        self.verdict = widgets.HTML()
        for w, cls in ((self.dropdown, "picker"), (self.doc, "doc"), (self.payload, "payload"),
                       (self.verdict, "verdict")):
            w.add_class(f"archbook-endpoint-{cls}")
        self.dropdown.observe(lambda ch: self.show(ch["new"]), names="value")
        self.payload.observe(lambda ch: self.validate(), names="value")
        self.check.on_click(lambda _: self.validate())
        self.example.on_click(lambda _: self.insert_example())
        buttons = widgets.HBox([self.check, self.example])
        self.widget = widgets.VBox([self.dropdown, self.doc, self.payload, buttons, self.verdict])
        self.show(first)

    def _http_api(self):
        """The normalised API the loader built (or, for a hand-made model, built here once)."""
        if getattr(self, "_api", None) is None:
            from archbook.apis.openapi import build_http_api

            self._api = self._system_api or build_http_api(self.openapi)
        return self._api

    @property
    def operation(self):
        return self.operations[self.dropdown.value]

    def show(self, title: str) -> None:
        api = self._http_api()
        op = next(o for o in api.operations if o.title.upper() == title.upper())
        self.doc.outputs = markdown_output(endpoint_doc(op, api))
        self.validate()

    def validate(self) -> list[PayloadError] | None:
        """Check the current payload; shows and returns the errors (None when there is nothing to check)."""
        text = self.payload.value.strip()
        if not text:
            self.verdict.value = _verdict_html(None)
            return None
        try:
            errors = validate_payload(self.operation, self.openapi, text)
        except NoRequestBody as exc:
            self.verdict.value = _verdict_html(None, f"{exc}: nothing to validate.")
            return None
        self.verdict.value = _verdict_html(errors)
        return errors

    def insert_example(self) -> None:
        """Start the user from the documented example (or one built from the schema)."""
        try:
            self.payload.value = json.dumps(request_example(self.operation, self.openapi), indent=2)
        except NoRequestBody as exc:
            self.verdict.value = _verdict_html(None, f"{exc}: nothing to validate.")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def request_example(op, openapi: dict):
    """The request body's documented `example`, else one generated from its schema."""
    from archbook.render.schema_text import example_from_schema

    pointer = request_schema_pointer(op, openapi)  # raises NoRequestBody
    body = resolve_ref(openapi, op.spec.get("requestBody")) or {}
    media = next(m for m in body["content"] if pointer.endswith(_escape_pointer(m) + "/schema"))
    content = body["content"][media]
    if "example" in content:
        return content["example"]
    return example_from_schema(content["schema"], openapi)


def endpoint_picker(system, operation: str | None = None) -> EndpointPicker:
    """The picker for a loaded system; `operation` is a title such as "POST /api/generate-video"."""
    return EndpointPicker(system, operation)
