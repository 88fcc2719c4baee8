"""asyncapi.yaml: an AsyncAPI 3.0 document, checked against the published JSON Schema.

The schema is vendored (`schemas/asyncapi-3.0.0.json`, the npm @asyncapi/specs copy) because
archbook never touches the network at runtime. Message examples are validated against their
message's payload schema.
"""
from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path
from typing import Any

from archbook.errors import Problem
from archbook.load.diagnose import dotted
from archbook.load.jsonrefs import check_refs, descend, example_problems, line_of, resolve_pointer, schema_validator
from archbook.load.openapi import ApiDocument
from archbook.load.reading import display_path, read_yaml
from archbook.load.yamlsrc import LineMap

__all__ = ["load_asyncapi", "check_asyncapi", "message_names"]

SCHEMA_FILE = Path(__file__).with_name("schemas") / "asyncapi-3.0.0.json"


@functools.lru_cache(maxsize=1)
def _meta_validator():
    """The AsyncAPI 3.0.0 schema validator; built once per process (it is a 9000-line schema)."""
    from archbook.load.fastimport import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def load_asyncapi(path: Path, problems: list[Problem], files: dict[str, str]) -> ApiDocument | None:
    if not path.is_file():
        return None
    files["asyncapi"] = str(path)
    parsed = read_yaml(path, problems)
    if parsed is None:
        return None
    doc, lines = parsed
    api = ApiDocument(doc, lines, display_path(path), message_names=message_names(doc))
    problems.extend(check_asyncapi(doc, api.file, lines))
    return api


def message_names(doc: dict) -> set[str]:
    """Names a flow step's `event` may use: message keys (components and channels) and `name` fields."""
    names: set[str] = set()
    for _, msg_key, msg in _messages(doc):
        names.add(msg_key)
        if isinstance(msg, dict) and isinstance(msg.get("name"), str):
            names.add(msg["name"])
    return names


def _messages(doc: dict):
    """(path, key, resolved message) for component messages and channel messages."""
    comps = (doc.get("components") or {}).get("messages") if isinstance(doc.get("components"), dict) else None
    for key, msg in (comps.items() if isinstance(comps, dict) else []):
        yield ("components", "messages", key), key, msg
    channels = doc.get("channels")
    for cname, chan in (channels.items() if isinstance(channels, dict) else []):
        msgs = chan.get("messages") if isinstance(chan, dict) else None
        for key, msg in (msgs.items() if isinstance(msgs, dict) else []):
            path = ("channels", cname, "messages", key)
            if isinstance(msg, dict) and isinstance(msg.get("$ref"), str):
                found = resolve_pointer(doc, msg["$ref"])
                if found is None:
                    continue
                path, msg = found
            yield path, key, msg


def check_asyncapi(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    if str(doc.get("asyncapi", "")) != "3.0.0":
        return [Problem(file, line_of(lines, ("asyncapi",)), "asyncapi",
                        f"`asyncapi: {doc.get('asyncapi', '(missing)')}` is not an AsyncAPI 3.0.0 document",
                        "start the file with `asyncapi: 3.0.0`")]
    out = check_refs(doc, file, lines)
    if out:
        return out
    out = _schema_problems(doc, file, lines)
    if not out:
        out = _example_problems(doc, file, lines)
    return out


def _schema_problems(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    out, seen = [], set()
    for err in _meta_validator().iter_errors(doc):
        err = descend(err)
        path, message, hint = _explain(err)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        out.append(Problem(file, line_of(lines, path), dotted(path), f"invalid AsyncAPI: {message}", hint))
    return out


def _explain(err) -> tuple[tuple, str, str]:
    """(path, message, hint); unknown keys get the key's own line and a "did you mean"."""
    path = tuple(err.absolute_path)
    spec_hint = "see https://www.asyncapi.com/docs/reference/specification/v3.0.0 for the allowed structure"
    if err.validator == "additionalProperties" and isinstance(err.instance, dict) and isinstance(err.schema, dict):
        known = list((err.schema.get("properties") or {}).keys())
        extra = [k for k in err.instance if k not in known and not str(k).startswith("x-")]
        if extra:
            guess = difflib.get_close_matches(str(extra[0]), known, n=1, cutoff=0.6)
            hint = (f"did you mean `{guess[0]}`? " if guess else "") + f"allowed keys here: {', '.join(known)}"
            return path + (extra[0],), f"unknown key `{extra[0]}`", hint
    return path, _short(err.message), spec_hint


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def _example_problems(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    out: list[Problem] = []
    done = set()
    for path, key, msg in _messages(doc):
        if path in done or not isinstance(msg, dict):
            continue
        done.add(path)
        schemas = {"payload": _payload_schema_path(doc, msg, path), "headers": _headers_schema_path(doc, msg, path)}
        validators: dict = {}
        for i, ex in enumerate(msg.get("examples") or []):
            if not isinstance(ex, dict):
                continue
            for part, schema_path in schemas.items():
                if schema_path is None or part not in ex:
                    continue
                if part not in validators:
                    validators[part] = schema_validator(doc, schema_path, draft="7")
                label = f"{'' if part == 'payload' else 'headers of '}example `{ex.get('name', i)}` of message `{key}`"
                out += example_problems(validators[part], ex[part], path + ("examples", i, part), label, file, lines)
    return out


def _headers_schema_path(doc: dict, msg: dict, path: tuple) -> tuple | None:
    """The message's own `headers` schema, else the first trait's (traits are usually `$ref`s)."""
    if isinstance(msg.get("headers"), dict):
        return path + ("headers",)
    for i, trait in enumerate(msg.get("traits") or []):
        here: tuple = path + ("traits", i)
        if isinstance(trait, dict) and isinstance(trait.get("$ref"), str):
            found = resolve_pointer(doc, trait["$ref"])
            if found is None:
                continue
            here, trait = found
        if isinstance(trait, dict) and isinstance(trait.get("headers"), dict):
            return here + ("headers",)
    return None


def _payload_schema_path(doc: dict, msg: dict, path: tuple) -> tuple | None:
    """Path of the payload's JSON Schema; None for schema formats jsonschema cannot check (e.g. Avro)."""
    payload: Any = msg.get("payload")
    if not isinstance(payload, dict):
        return None
    if "schemaFormat" in payload:
        fmt = str(payload.get("schemaFormat"))
        if "json" not in fmt and "asyncapi" not in fmt:
            return None
        return path + ("payload", "schema")
    return path + ("payload",)
