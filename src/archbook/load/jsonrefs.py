"""JSON-pointer helpers shared by the OpenAPI and AsyncAPI checks.

Both documents use local `$ref`s (`#/components/...`). A dangling one makes the validators
crash deep inside `referencing`, so refs are checked first and reported with their line.
Example checks validate against a subschema *in place* (through a registry holding the whole
document) so that the subschema's own local refs resolve.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from archbook.errors import Problem
from archbook.load.diagnose import dotted
from archbook.load.yamlsrc import LineMap

__all__ = ["DOC_URI", "pointer", "resolve_pointer", "walk_refs", "check_refs", "schema_validator", "example_problems",
           "line_of", "descend"]

DOC_URI = "urn:archbook:document"


def pointer(path: tuple) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path) if path else ""


def resolve_pointer(doc: Any, ref: str) -> tuple[tuple, Any] | None:
    """`#/a/b` -> (('a', 'b'), node), or None when it leads nowhere."""
    if ref != "#" and not ref.startswith("#/"):
        return None
    node, path = doc, []
    for raw in ref[2:].split("/") if ref != "#" else []:
        part: Any = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                return None
            part = int(part)
        elif not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
        path.append(part)
    return tuple(path), node


def walk_refs(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield path + ("$ref",), ref
        for key, value in node.items():
            if key != "$ref":
                yield from walk_refs(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_refs(value, path + (i,))


def line_of(lines: LineMap, path: tuple) -> int | None:
    return lines(path) if path in lines else lines.nearest(path)


def check_refs(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    """Every `$ref` must be local and point at something that exists."""
    out = []
    for path, ref in walk_refs(doc):
        if not ref.startswith("#"):
            out.append(Problem(file, line_of(lines, path), dotted(path), f"external $ref `{ref}` is not supported",
                               "keep the whole document in one file and use local refs like `#/components/schemas/Job`"))
        elif resolve_pointer(doc, ref) is None:
            out.append(Problem(file, line_of(lines, path), dotted(path), f"$ref `{ref}` points to nothing",
                               "check the spelling of the referenced name under `components`"))
    return out


_REGISTRIES: dict[int, tuple[Any, Any]] = {}  # id(doc) -> (doc, registry): one registry per document


def schema_validator(doc: dict, schema_path: tuple, draft: str = "2020-12"):
    """A jsonschema validator for the subschema at `schema_path`, resolving refs inside `doc`.

    `draft` is "2020-12", "7" or "oas30" (OpenAPI 3.0's schema dialect: `nullable`, boolean
    `exclusiveMinimum`, from openapi-schema-validator). The registry is built once per document.
    """
    from archbook.load.fastimport import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4, DRAFT7, DRAFT202012

    spec = {"2020-12": DRAFT202012, "7": DRAFT7, "oas30": DRAFT4}.get(draft, DRAFT7)
    if draft == "oas30":
        from openapi_schema_validator import OAS30Validator as cls
    else:
        cls = jsonschema.Draft202012Validator if draft == "2020-12" else jsonschema.Draft7Validator
    cached = _REGISTRIES.get(id(doc))
    if cached is None or cached[0] is not doc or cached[1][0] != draft:
        registry = Registry().with_resource(DOC_URI, Resource.from_contents(doc, default_specification=spec))
        _REGISTRIES.clear()
        _REGISTRIES[id(doc)] = cached = (doc, (draft, registry))
    return cls({"$ref": f"{DOC_URI}#{pointer(schema_path)}"}, registry=cached[1][1])


def example_problems(validator, value: Any, value_path: tuple, what: str, file: str, lines: LineMap,
                     limit: int = 3) -> list[Problem]:
    """Problems for an example `value` (located at `value_path`) that its schema rejects."""
    from archbook.load.fastimport import jsonschema

    out = []
    errors = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
    for err in errors[:limit]:
        err = jsonschema.exceptions.best_match([err]) or err
        inner = tuple(err.absolute_path)
        where = f" at `{dotted(inner)}`" if inner else ""
        path = value_path + inner
        out.append(Problem(file, line_of(lines, path), dotted(path),
                           f"{what} does not match its schema{where}: {err.message}",
                           "fix the example or the schema so that they agree"))
    return out


def descend(err):
    """Follow `oneOf` failures into the branch that was meant.

    Most AsyncAPI (and many OpenAPI) objects are `oneOf: [Reference, Object]`; the Reference branch always fails
    with "'$ref' is a required property", which is noise unless the user wrote a `$ref`.
    jsonschema's best_match stops at such ties, so we drop that branch and take the deepest error.
    """
    while err.context:
        wrote_ref = isinstance(err.instance, dict) and "$ref" in err.instance
        branch = [c for c in err.context if wrote_ref or not (c.validator == "required" and "'$ref'" in c.message)]
        if not branch:
            break
        err = max(branch, key=lambda c: len(c.absolute_path))
    return err
