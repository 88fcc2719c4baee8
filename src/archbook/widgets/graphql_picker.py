"""Notebook 03's GraphQL picker: choose a root operation, read its doc, check an operation you write.

The operation (and its JSON variables) is checked exactly as archbook checks example files:
parsed and validated with graphql-core against the system's schema, deprecated fields flagged,
variables coerced against the operation's variable definitions.
"""
from __future__ import annotations

import html
import json

import ipywidgets as widgets

from archbook.render.cards import graphql_operation_doc
from archbook.widgets.component_picker import markdown_output

__all__ = ["GraphQLPicker", "graphql_picker", "check_operation"]


def check_operation(schema, query: str, variables: str = "") -> list[str]:
    """Every problem of an operation text (and its JSON variables) against `schema`; [] when valid."""
    from archbook.apis.graphql_examples import check_example
    from archbook.model.graphql import GqlExample

    try:
        values = json.loads(variables) if variables.strip() else None
    except json.JSONDecodeError as exc:
        return [f"variables are not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
    problems: list = []
    check_example(schema, GqlExample("operation", query, values, None, "user", "operation"), problems)
    return [(f"line {p.line}: " if p.line else "") + f"{p.severity}: "
            + p.message.removeprefix("example operation").lstrip(": ") for p in problems]


def _verdict_html(problems: list[str] | None) -> str:
    if problems is None:
        return ""
    if not problems:
        return '<div class="archbook-payload-ok"><b>OK</b>: the operation is valid against the schema.</div>'
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return f'<div class="archbook-payload-errors"><b>{len(problems)} problem(s)</b><ul>{items}</ul></div>'


class GraphQLPicker:
    """A Dropdown of root operations, the chosen one's doc, and an operation checker; `.widget` is the panel."""

    def __init__(self, system, operation: str | None = None):
        from archbook.apis.graphql import graphql_schema

        self.api = system.graphql
        if self.api is None or not self.api.operations:
            raise ValueError(f"{getattr(system, 'root', 'system')}: no GraphQL operations to pick from")
        self.schema = graphql_schema(system.root, system.architecture.graphql)
        refs = [op.ref for op in self.api.operations]
        self.dropdown = widgets.Dropdown(options=refs, value=operation if operation in refs else refs[0],
                                         description="Operation", layout=widgets.Layout(width="28rem"))
        self.doc = widgets.Output()
        self.query = widgets.Textarea(placeholder="Write a query, mutation or subscription", rows=8,
                                      continuous_update=False, layout=widgets.Layout(width="100%"))
        self.variables = widgets.Textarea(placeholder="Variables (JSON)", rows=3, continuous_update=False,
                                          layout=widgets.Layout(width="100%"))
        self.check = widgets.Button(description="Validate", button_style="primary")
        self.example = widgets.Button(description="Insert example", tooltip="fill in the operation's first example")
        self.verdict = widgets.HTML()
        self.dropdown.observe(lambda ch: self.show(ch["new"]), names="value")
        for w in (self.query, self.variables):
            w.observe(lambda ch: self.validate(), names="value")
        self.check.on_click(lambda _: self.validate())
        self.example.on_click(lambda _: self.insert_example())
        self.widget = widgets.VBox([self.dropdown, self.doc, self.query, self.variables,
                                    widgets.HBox([self.check, self.example]), self.verdict])
        self.show(self.dropdown.value)

    def show(self, ref: str) -> None:
        self.doc.outputs = markdown_output(graphql_operation_doc(self.api, ref))
        self.validate()

    def validate(self) -> list[str] | None:
        if not self.query.value.strip():
            self.verdict.value = _verdict_html(None)
            return None
        problems = check_operation(self.schema, self.query.value, self.variables.value)
        self.verdict.value = _verdict_html(problems)
        return problems

    def insert_example(self) -> None:
        examples = self.api.operation(self.dropdown.value).examples
        if examples:
            self.variables.value = json.dumps(examples[0].variables or {}, indent=2)
            self.query.value = examples[0].query

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def graphql_picker(system, operation: str | None = None) -> GraphQLPicker:
    """The picker for a loaded system; `operation` is a root field such as "Mutation.createJob"."""
    return GraphQLPicker(system, operation)
