"""Validating stage for OpenAPI 3.0.x / 3.1.x documents: the official schema of the stated version
(fast path: `oas_fast`), openapi-spec-validator's semantic rules, plus archbook's rules.

archbook's own rules: every `x-rate-limit` is a valid `RateLimit`, and every example (media
type `example`/`examples`, parameter examples, schema `examples`) validates against its
schema with jsonschema (Draft 2020-12, local refs resolved in the document).
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from archbook.errors import Problem
from archbook.load.diagnose import dotted, pydantic_problems
from archbook.load.jsonrefs import check_refs, descend, example_problems, line_of, resolve_pointer, schema_validator
from archbook.load.yamlsrc import LineMap
from archbook.model.api import HTTP_METHODS, RateLimit

__all__ = ["ApiDocument", "load_openapi", "check_openapi"]


@dataclass
class ApiDocument:
    """A parsed API document with its line marks and the names other files may reference.

    `api` is the normalised model (`HttpApi`) for OpenAPI documents that validated.
    """

    doc: dict
    lines: LineMap
    file: str
    operation_ids: set[str] = field(default_factory=set)
    message_names: set[str] = field(default_factory=set)
    api: Any = None


def load_openapi(path: Path, problems: list[Problem], files: dict[str, str], folder: Path | None = None) -> ApiDocument | None:
    """Read, resolve (multi-file refs inside `folder`), validate and normalise one OpenAPI document.

    None when absent or when it has errors (problems say why). Each stage runs once per document.
    """
    from archbook.apis.openapi import build_http_api
    from archbook.load.resolving import resolve_document

    if not path.is_file():
        return None
    files.setdefault("openapi", str(path))
    if files["openapi"] != str(path):
        files[f"openapi:{path.name}"] = str(path)
    before = len(problems)
    resolved = resolve_document(path, folder or path.parent, problems)
    if resolved is None:
        return None
    doc, lines = resolved.doc, resolved.lines
    api = ApiDocument(doc, lines, resolved.file, operation_ids=_operation_ids(doc))
    problems.extend(check_openapi(doc, api.file, lines))
    if not any(p.severity == "error" for p in problems[before:]):
        api.api = build_http_api(doc, api.file)
    return api


def _operation_ids(doc: dict) -> set[str]:
    ids = set()
    for _, _, op in _operations(doc):
        if isinstance(op.get("operationId"), str):
            ids.add(op["operationId"])
    return ids


def _operations(doc: dict):
    paths = doc.get("paths")
    for url, item in (paths.items() if isinstance(paths, dict) else []):
        if isinstance(item, dict):
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    yield ("paths", url, method), item, item[method]


SUPPORTED = ("3.0", "3.1")


def document_version(doc: dict) -> str:
    """The version the document states (`openapi: 3.0.3`, or `swagger: "2.0"`), as written."""
    return str(doc.get("openapi") or doc.get("swagger") or "")


def check_openapi(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    """Everything wrong with one (resolved) OpenAPI 3.0/3.1 document, located."""
    version = document_version(doc)
    if "swagger" in doc and "openapi" not in doc:
        return [Problem(file, line_of(lines, ("swagger",)), "swagger",
                        f"this is a Swagger {version} (OpenAPI 2) document; archbook reads OpenAPI 3.0 and 3.1",
                        "convert it once and commit the result: `npx swagger2openapi openapi.yaml -o openapi.yaml` "
                        "or paste it into https://editor.swagger.io and use Edit > Convert to OpenAPI 3")]
    if version[:3] not in SUPPORTED or not re.match(r"^3\.[01]\.\d+", version):
        return [Problem(file, line_of(lines, ("openapi",)), "openapi",
                        f"`openapi: {version or '(missing)'}` is not an OpenAPI 3.0 or 3.1 document",
                        "start the file with `openapi: 3.1.0` (or the 3.0.x version it follows)")]
    ref_problems = check_refs(doc, file, lines)
    if ref_problems:  # the validators cannot run over dangling refs
        return ref_problems
    out = _spec_problems(doc, file, lines, version[:3])
    out += _rate_limit_problems(doc, file, lines)
    if not out:  # examples are only meaningful in a valid document
        out += _example_problems(doc, file, lines)
    return out


# ---------------------------------------------------------------------------- the spec itself
_OPENAPI_KEYS = [
    "openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs", "webhooks",
    "jsonSchemaDialect", "summary", "description", "operationId", "parameters", "requestBody", "responses",
    "callbacks", "deprecated", "content", "headers", "schema", "example", "examples", "required", "name", "in",
    "schemas", "securitySchemes", "type", "scheme", "bearerFormat", "properties", "items", "enum", "default",
    "minimum", "maximum", "format", "title", "version", "url", "value", "links", "style", "explode",
    "termsOfService", "contact", "license", "identifier", "email", "variables", "pathItems", "requestBodies",
    "responses", "headers", "securitySchemes", "bearerFormat", "flows", "openIdConnectUrl", "allowEmptyValue",
    "allowReserved", "encoding", "contentType", "operationRef", "externalValue", "nullable", "discriminator",
    "additionalProperties", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "$ref",
]


def _spec_problems(doc: dict, file: str, lines: LineMap, version: str) -> list[Problem]:
    """Fast path first (jsonschema-rs against the official OAS schema, then the cheap semantic rules);
    only a document that fails it pays for openapi-spec-validator's full, well-worded pass."""
    from archbook.load import oas_fast

    if oas_fast.passes(doc, version):
        return []
    errors = _structural_errors(doc, version)
    if not errors:
        errors = _semantic_errors(doc, version)
        if errors is None:
            return [Problem(file, None, "", "openapi-spec-validator could not check this document",
                            f"check the document's structure against the OpenAPI {version} specification")]
    found = [_explain(descend(err), doc) for err in errors]
    # A misspelt required key is reported once, as the unknown key with its suggestion.
    explained = {(path[:-1], guess) for path, _, hint, guess in found if guess}
    out, seen = [], set()
    for path, message, hint, _ in found:
        required = re.match(r"'([^']+)' is a required property", message)
        if (required and (path, required.group(1)) in explained) or (path, message) in seen:
            continue
        seen.add((path, message))
        out.append(Problem(file, line_of(lines, path), dotted(path), f"invalid OpenAPI: {message}",
                           hint.replace("v3.1.0", f"v{version}.0")))
    return out


def _semantic_errors(doc: dict, version: str) -> list | None:
    """openapi-spec-validator's semantic rules (unique operationIds, declared path parameters, schema
    meta-validation); None when it cannot run on this document."""
    from archbook.load.fastimport import jsonschema  # noqa: F401  (fast import before the validator pulls it in)
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    cls = OpenAPIV30SpecValidator if version == "3.0" else OpenAPIV31SpecValidator
    try:
        validator = cls(doc)
        return list(validator.root_validator(validator.schema_path))
    except Exception:  # it crashes on some malformed documents; never show that
        return None


def _structural_errors(doc: dict, version: str) -> list:
    """The official OpenAPI JSON Schema (the one openapi-spec-validator ships) with Python jsonschema:
    slower than the fast path, but its messages and paths locate every structural mistake."""
    from archbook.load import oas_fast
    from archbook.load.fastimport import jsonschema

    schema = oas_fast.official_schema(version)
    return list(jsonschema.validators.validator_for(schema)(schema).iter_errors(doc))


def _explain(err, doc: dict) -> tuple[tuple, str, str, str | None]:
    """(path, message, hint, suggested key) for one validator error."""
    path = _error_path(err, doc)
    unexpected = re.search(r"\(('[^)]*') (?:was|were) unexpected\)", err.message)
    if unexpected:
        key = re.findall(r"'([^']+)'", unexpected.group(1))[0]
        close = difflib.get_close_matches(key, _OPENAPI_KEYS, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else "remove the key, or prefix a custom one with `x-`"
        return path + (key,), f"unknown key `{key}`", hint, close[0] if close else None
    return path, err.message, _spec_hint(err.message), None


def _error_path(err, doc: dict) -> tuple:
    path = tuple(getattr(err, "absolute_path", ()) or ())
    if not path:
        # Errors from the semantic checks carry no path; their message names the method and the URL.
        found = re.search(r"for '(\w+)'(?: operation)? in '([^']+)'", err.message)
        return ("paths", found.group(2), found.group(1)) if found else ()
    if _at(doc, path) is not _MISSING and _at(doc, path) == err.instance:
        return path
    # Schema meta-validation errors are relative to the schema object checked; find that schema.
    for schema_path, _ in _schemas(doc, (), False):
        value = _at(doc, schema_path + path)
        if value is not _MISSING and value == err.instance:
            return schema_path + path
    return path


_MISSING = object()


def _at(doc: Any, path: tuple) -> Any:
    node = doc
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return _MISSING
    return node


def _spec_hint(message: str) -> str:
    if "is not unique" in message:
        return "every operationId must be unique"
    if "was not resolved" in message:
        return "declare each `{param}` of the path under `parameters` with `in: path, required: true`"
    return "see https://spec.openapis.org/oas/v3.1.0 for the allowed structure"


# ---------------------------------------------------------------------------- x-rate-limit
def _rate_limit_problems(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    out = []
    for path, _, op in _operations(doc):
        if "x-rate-limit" not in op:
            continue
        raw = op["x-rate-limit"]
        here = path + ("x-rate-limit",)
        if not isinstance(raw, dict):
            out.append(Problem(file, line_of(lines, here), dotted(here), "x-rate-limit must be a mapping",
                               "write e.g. `x-rate-limit: {requests: 10, window_s: 60, scope: user}`"))
            continue
        try:
            RateLimit.model_validate(raw)
        except ValidationError as exc:
            out.extend(pydantic_problems(exc, RateLimit, file, lines, prefix=here))
    return out


# ---------------------------------------------------------------------------- examples
def _example_problems(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    out: list[Problem] = []
    for path, item, op in _operations(doc):
        for i, param in _parameters(item, op, path):
            out += _param_examples(doc, param, i, file, lines)
        title = f"{path[2].upper()} {path[1]}"
        body = _deref(doc, op.get("requestBody"), path + ("requestBody",))
        if body:
            out += _content_examples(doc, body[1], body[0], f"request example of {title}", file, lines)
        for code, resp in (op.get("responses") or {}).items():
            resolved = _deref(doc, resp, path + ("responses", code))
            if resolved:
                out += _content_examples(doc, resolved[1], resolved[0], f"{code} response example of {title}", file, lines)
    out += _schema_examples(doc, file, lines)
    # Examples that disagree with their schema are a documentation defect the reader should hear
    # about, not an invalid document (the specification says examples SHOULD match): warnings.
    return [dataclasses.replace(p, severity="warning") for p in _unique(out)]


def _dialect(doc: dict) -> str:
    return "oas30" if str(doc.get("openapi", "")).startswith("3.0") else "2020-12"


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:  # a component shared by several operations is reported once
        if (p.line, p.field, p.message) not in seen:
            seen.add((p.line, p.field, p.message))
            out.append(p)
    return out


def _deref(doc: dict, node: Any, path: tuple) -> tuple[tuple, dict] | None:
    """(path, node) after following `$ref`s, so problems point at the definition's line."""
    for _ in range(16):
        if not isinstance(node, dict):
            return None
        if "$ref" not in node:
            return path, node
        found = resolve_pointer(doc, node["$ref"])
        if found is None:
            return None
        path, node = found
    return None


def _parameters(item: dict, op: dict, op_path: tuple):
    item_path = op_path[:-1]
    for base, params in ((item_path, item.get("parameters")), (op_path, op.get("parameters"))):
        for i, param in enumerate(params or []):
            yield i, (base + ("parameters", i), param)


def _param_examples(doc: dict, located: tuple, _i: int, file: str, lines: LineMap) -> list[Problem]:
    path, param = located
    resolved = _deref(doc, param, path)
    if not resolved or "schema" not in resolved[1]:
        return []
    path, param = resolved
    what = f"example of parameter `{param.get('name', '?')}`"
    return _examples_against(doc, path + ("schema",), param, path, what, file, lines)


def _content_examples(doc: dict, node: dict, path: tuple, what: str, file: str, lines: LineMap) -> list[Problem]:
    out = []
    for media, entry in (node.get("content") or {}).items():
        if isinstance(entry, dict) and "schema" in entry:
            here = path + ("content", media)
            out += _examples_against(doc, here + ("schema",), entry, here, f"{what} ({media})", file, lines)
    return out


def _examples_against(doc, schema_path, holder: dict, holder_path: tuple, what: str, file, lines) -> list[Problem]:
    """`holder` has `example` and/or `examples` (name -> Example object, possibly a $ref)."""
    validator = None
    out = []
    targets = []
    if "example" in holder:
        targets.append((holder_path + ("example",), holder["example"], what))
    for name, ex in (holder.get("examples") or {}).items():
        resolved = _deref(doc, ex, holder_path + ("examples", name))
        if resolved and "value" in resolved[1]:
            targets.append((resolved[0] + ("value",), resolved[1]["value"], f"{what} `{name}`"))
    for value_path, value, label in targets:
        validator = validator or schema_validator(doc, schema_path, _dialect(doc))
        out += example_problems(validator, value, value_path, label, file, lines)
    return out


def _schema_examples(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    """`examples` (and the deprecated `example`) written inside schemas, anywhere in the document."""
    out = []
    for schema_path, schema in _schemas(doc, (), False):
        values = []
        if isinstance(schema.get("examples"), list):
            values += [(schema_path + ("examples", i), v) for i, v in enumerate(schema["examples"])]
        if "example" in schema:
            values.append((schema_path + ("example",), schema["example"]))
        if values:
            validator = schema_validator(doc, schema_path, _dialect(doc))
            for value_path, value in values:
                out += example_problems(validator, value, value_path, f"schema example {dotted(value_path)}", file, lines)
    return out


def _schemas(node: Any, path: tuple, in_schema: bool):
    """Yield (path, schema) for every schema object: found under a `schema` key or `components.schemas`."""
    if isinstance(node, dict):
        if in_schema:
            yield path, node
        for key, value in node.items():
            if key in ("example", "examples") or (in_schema and key in ("default", "enum", "const")):
                continue  # values, not schemas
            child_is_schema = key == "schema" or (path == ("components", "schemas"))
            if in_schema and key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
                for name, sub in (value.items() if isinstance(value, dict) else []):
                    yield from _schemas(sub, path + (key, name), True)
                continue
            if in_schema and key in ("items", "additionalProperties", "not", "if", "then", "else", "contains"):
                child_is_schema = True
            if in_schema and key in ("allOf", "anyOf", "oneOf", "prefixItems") and isinstance(value, list):
                for i, sub in enumerate(value):
                    yield from _schemas(sub, path + (key, i), True)
                continue
            if in_schema and not child_is_schema:
                continue
            yield from _schemas(value, path + (key,), child_is_schema)
    elif isinstance(node, list) and not in_schema:
        for i, value in enumerate(node):
            yield from _schemas(value, path + (i,), False)
