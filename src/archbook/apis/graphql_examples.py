"""GraphQL example operations: the user's, checked against the schema, or generated from it.

Convention, in the system's `examples/` folder (or `graphql.examples`): `NAME.graphql` holds one
operation (plus any fragments), `NAME.variables.json` its variables and `NAME.response.json` an
example response. Each example is parsed and validated with graphql-core's `validate()`; using a
deprecated field is a warning; the variables are coerced against the operation's variable
definitions; the response must have the operation's result shape (`graphql_shape`). An example
documents every root field it selects. A root field with no example gets a generated one, which
goes through the same checks.
"""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from graphql import (DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLSchema, GraphQLSyntaxError,
                     InlineFragmentNode, OperationDefinitionNode, Source, validate)
from graphql.execution.values import get_variable_values
from graphql.validation import specified_rules
from graphql.validation.rules.custom.no_deprecated import NoDeprecatedCustomRule

from archbook.apis.graphql import Display, located
from archbook.apis.graphql_generate import generate_example
from archbook.apis.graphql_lexer import parse_document
from archbook.apis.graphql_shape import response_problems
from archbook.errors import Problem
from archbook.model.graphql import GqlExample, GraphQLApi

__all__ = ["attach_examples", "check_example", "root_fields"]


def _read_json(path: Path, problems: list[Problem], display: Display):
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except ValueError as exc:
        problems.append(Problem(display(path), getattr(exc, "lineno", None), "", f"invalid JSON: {exc}",
                                "fix the JSON syntax"))
    return None


def _operation(doc) -> OperationDefinitionNode | None:
    ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
    return ops[0] if len(ops) == 1 else None


def root_fields(doc, schema: GraphQLSchema) -> list[str]:
    """`Root.field` refs the document's operation selects at its top level (fragments followed)."""
    op = _operation(doc)
    root = schema.get_root_type(op.operation) if op is not None else None
    if root is None:
        return []
    frags = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
    out, todo = [], [op.selection_set]
    while todo:
        for sel in todo.pop().selections:
            if isinstance(sel, FieldNode) and not sel.name.value.startswith("__"):
                out.append(f"{root.name}.{sel.name.value}")
            elif isinstance(sel, InlineFragmentNode):
                todo.append(sel.selection_set)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in frags:
                todo.append(frags.pop(sel.name.value).selection_set)
    return list(dict.fromkeys(out))


_DEPRECATED = re.compile(r"^The (field|argument|enum value|input field) .+ is deprecated")


def _validated(schema: GraphQLSchema, doc) -> tuple[list, list]:
    """(errors, deprecated-use warnings) of one `validate()` pass with the spec's rules plus NoDeprecated."""
    found = validate(schema, doc, [*specified_rules, NoDeprecatedCustomRule])
    deprecated = [e for e in found if _DEPRECATED.match(e.message)]
    return [e for e in found if not _DEPRECATED.match(e.message)], deprecated


def check_example(schema: GraphQLSchema, ex: GqlExample, problems: list[Problem]) -> list[str]:
    """Validate one example (operation, variables, response); its root-field refs, [] if it is invalid."""
    where = ex.file or f"example {ex.name}"
    try:
        doc = parse_document(Source(ex.query, where))
    except GraphQLSyntaxError as exc:
        file, line = located(exc, where)[-1]
        problems.append(Problem(file, line, "", f"example {ex.name}: {exc.message}", "fix the GraphQL syntax"))
        return []
    errors, deprecated = _validated(schema, doc)
    problems += [Problem(*located(err, where)[-1], "", f"example {ex.name}: {err.message.rstrip('.')}",
                         "make the operation valid against the schema") for err in errors]
    op = _operation(doc)
    if op is None and not errors:
        problems.append(Problem(where, 1, "", f"example {ex.name}: the file must hold exactly one operation",
                                "put each operation in its own NAME.graphql"))
    if errors or op is None:
        return []
    problems += [Problem(*located(err, where)[-1], "", f"example {ex.name} uses a deprecated element: "
                         f"{err.message.rstrip('.')}", "update the example to the replacement the deprecation names",
                         severity="warning") for err in deprecated]
    _check_variables(schema, op, ex, problems)
    if ex.response is not None:
        shown = ex.file.removesuffix(".graphql") + ".response.json" if ex.file else where
        problems += [Problem(shown, None, "", f"example {ex.name} response: {msg}",
                             "make the response match the operation's selection and the schema's types")
                     for msg in response_problems(schema, doc, ex.response)]
    return root_fields(doc, schema)


def _check_variables(schema, op, ex: GqlExample, problems: list[Problem]) -> None:
    coerced = get_variable_values(schema, op.variable_definitions or (), ex.variables or {})
    shown = ex.file.removesuffix(".graphql") + ".variables.json" if ex.file else f"example {ex.name}"
    if isinstance(coerced, list):
        problems += [Problem(shown, None, "", f"example {ex.name} variables: {e.message.rstrip('.')}",
                             "give every required variable a value of its declared type") for e in coerced]


def _user_examples(folder: Path, problems: list[Problem], display: Display) -> list[GqlExample]:
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.graphql")):
        stem = path.with_suffix("")
        variables = _read_json(Path(f"{stem}.variables.json"), problems, display)
        out.append(GqlExample(path.stem, path.read_text("utf-8"), variables,
                              _read_json(Path(f"{stem}.response.json"), problems, display), "user", display(path)))
    return out


def _generated(schema: GraphQLSchema, api: GraphQLApi, refs: list[str]) -> dict[str, GqlExample]:
    """Generated examples for `refs`, validated together in one document (one `validate()` call
    instead of hundreds); an operation the batch reports a problem for is dropped, as is one whose
    variables or response would not pass (both would be bugs of the generator)."""
    names = [ref.split(".", 1)[1] for ref in refs]
    clash = {n.lower() for n in names if sum(m.lower() == n.lower() for m in names) > 1}
    examples = [generate_example(schema, api.operation(ref).root, name,
                                 ref.replace(".", "_") if name.lower() in clash else None)
                for ref, name in zip(refs, names)]
    if not examples:
        return {}
    docs = [parse_document(Source(ex.query, ex.name)) for ex in examples]  # one parse each: the lexer slows on long texts
    sources = {id(doc.loc.source): i for i, doc in enumerate(docs)}
    merged = DocumentNode(definitions=tuple(doc.definitions[0] for doc in docs))
    bad = {sources.get(id(node.loc.source)) for err in validate(schema, merged) for node in err.nodes or () if node.loc}
    out = {}
    for i, (ref, ex, op) in enumerate(zip(refs, examples, merged.definitions)):
        scratch: list[Problem] = []
        single = DocumentNode(definitions=(op,))
        _check_variables(schema, op, ex, scratch)
        if i not in bad and not scratch and not response_problems(schema, single, ex.response):
            out[ref] = ex
    return out


def attach_examples(api: GraphQLApi, schema: GraphQLSchema, folder: Path, problems: list[Problem],
                    display: Display = str) -> GraphQLApi:
    """The API with every root operation carrying its examples (the user's, else a generated one)."""
    by_ref: dict[str, list[GqlExample]] = {}
    for ex in _user_examples(folder, problems, display):
        for ref in check_example(schema, ex, problems):
            by_ref.setdefault(ref, []).append(ex)
    generated = _generated(schema, api, [op.ref for op in api.operations if op.ref not in by_ref])
    for examples in by_ref.values():  # the success case first, error responses after it
        examples.sort(key=lambda ex: bool(isinstance(ex.response, dict) and ex.response.get("errors")))
    ops = [dataclasses.replace(op, examples=tuple(by_ref.get(op.ref) or ([generated[op.ref]] if op.ref in generated else [])))
           for op in api.operations]
    return dataclasses.replace(api, operations=tuple(ops))
