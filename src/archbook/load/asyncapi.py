"""asyncapi.yaml: an AsyncAPI 2.0-2.6 or 3.0-3.1 document, checked against its version's JSON Schema.

The schemas are vendored (`schemas/asyncapi-<version>.json`, from npm @asyncapi/specs, see
schemas/NOTE.md) because archbook never touches the network at runtime. A valid document is
confirmed by jsonschema-rs (fast); only an invalid one goes through Python jsonschema, whose
error tree gives the located, explained messages. Message examples are validated against
their message's payload and headers schemas. What the renderer does not show is a warning.
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

__all__ = ["load_asyncapi", "check_asyncapi", "message_names", "schema_version", "SUPPORTED_VERSIONS"]

SCHEMA_DIR = Path(__file__).with_name("schemas")
SUPPORTED_VERSIONS = ("2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0")


def schema_version(declared: Any) -> str | None:
    """The vendored schema for a declared version: '2.6.0' -> '2.6.0', '3.0.1' -> '3.0.0'; None if unsupported."""
    parts = str(declared).split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    minor = f"{parts[0]}.{parts[1]}.0"
    return minor if minor in SUPPORTED_VERSIONS else None


@functools.lru_cache(maxsize=None)
def _schema(version: str) -> dict:
    return json.loads((SCHEMA_DIR / f"asyncapi-{version}.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _fast_validator(version: str):
    """jsonschema-rs for the yes/no answer (about 100x faster on a large document)."""
    import jsonschema_rs

    return jsonschema_rs.Draft7Validator(_schema(version))


@functools.lru_cache(maxsize=None)
def _meta_validator(version: str):
    """Python jsonschema, for explained errors; built once per version (the 3.x schemas are 9000 lines)."""
    from archbook.load.fastimport import jsonschema

    return jsonschema.Draft7Validator(_schema(version))


def load_asyncapi(path: Path, problems: list[Problem], files: dict[str, str]) -> ApiDocument | None:
    if not path.is_file():
        return None
    files.setdefault("asyncapi", str(path))
    if files["asyncapi"] != str(path):
        files[f"asyncapi:{path.name}"] = str(path)
    parsed = read_yaml(path, problems)
    if parsed is None:
        return None
    doc, lines = parsed
    api = ApiDocument(doc, lines, display_path(path), message_names=message_names(doc))
    found = check_asyncapi(doc, api.file, lines)
    problems.extend(found)
    if not found:
        from archbook.load.asyncapi_coverage import unrendered_problems

        problems.extend(unrendered_problems(doc, api.file, lines))
    return api


def message_names(doc: dict) -> set[str]:
    """Names a flow step's `event` may use: message keys (components and channels), `name` and
    `messageId` fields; for 2.x anonymous messages, the key the event model gives them."""
    names: set[str] = set()
    for _, msg_key, msg in _messages(doc):
        names.add(msg_key)
        for field in ("name", "messageId"):
            if isinstance(msg, dict) and isinstance(msg.get(field), str):
                names.add(msg[field])
    try:
        from archbook.apis.asyncapi import event_api_for

        names |= {n for ch in event_api_for(doc).channels for m in ch.messages for n in (m.key, m.name)}
    except Exception:  # a malformed document: its schema errors are reported; names stay as found above
        pass
    return names


def _follow(doc: dict, path: tuple, node: Any) -> tuple[tuple, Any] | None:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return resolve_pointer(doc, node["$ref"])
    return path, node


def _v2_messages(doc: dict, cname: str, chan: dict):
    """2.x: the message of each `publish`/`subscribe`, or each of its `oneOf`."""
    for keyword in ("publish", "subscribe"):
        op = chan.get(keyword)
        if not isinstance(op, dict) or not isinstance(op.get("message"), dict):
            continue
        found = _follow(doc, ("channels", cname, keyword, "message"), op["message"])
        if found is None:
            continue
        path, msg = found
        items = msg.get("oneOf") if isinstance(msg, dict) and isinstance(msg.get("oneOf"), list) else None
        for i, item in enumerate(items) if items is not None else [(None, msg)]:
            here = _follow(doc, path + ("oneOf", i) if i is not None else path, item)
            if here is not None and isinstance(here[1], dict):
                key = here[0][-1] if here[0][:2] == ("components", "messages") else \
                    here[1].get("messageId") or here[1].get("name") or f"{op.get('operationId') or keyword}"
                yield here[0], str(key), here[1]


def _messages(doc: dict):
    """(path, key, resolved message) for component messages and channel messages (2.x and 3.x)."""
    comps = (doc.get("components") or {}).get("messages") if isinstance(doc.get("components"), dict) else None
    for key, msg in (comps.items() if isinstance(comps, dict) else []):
        yield ("components", "messages", key), key, msg
    channels = doc.get("channels")
    for cname, chan in (channels.items() if isinstance(channels, dict) else []):
        if not isinstance(chan, dict):
            continue
        if not str(doc.get("asyncapi", "")).startswith("3."):
            yield from _v2_messages(doc, cname, chan)
            continue
        msgs = chan.get("messages")
        for key, msg in (msgs.items() if isinstance(msgs, dict) else []):
            found = _follow(doc, ("channels", cname, "messages", key), msg)
            if found is not None:
                yield found[0], key, found[1]


def check_asyncapi(doc: dict, file: str, lines: LineMap) -> list[Problem]:
    declared = doc.get("asyncapi", "(missing)")
    version = schema_version(declared)
    if version is None:
        return [Problem(file, line_of(lines, ("asyncapi",)), "asyncapi",
                        f"`asyncapi: {declared}` is not a supported AsyncAPI version",
                        f"supported: {', '.join(v.removesuffix('.0') + '.x' for v in SUPPORTED_VERSIONS)}; "
                        "an AsyncAPI 1.x document can be converted with `asyncapi convert` (the AsyncAPI CLI)")]
    out = check_refs(doc, file, lines)
    if out:
        return out
    out = _schema_problems(doc, file, lines, version)
    if not out:
        out = _example_problems(doc, file, lines)
    return out


def _schema_problems(doc: dict, file: str, lines: LineMap, version: str) -> list[Problem]:
    if _fast_validator(version).is_valid(doc):
        return []
    out, seen = [], set()
    for err in _meta_validator(version).iter_errors(doc):
        if _ambiguous_ref(err):
            continue
        err = descend(err)
        path, message, hint = _explain(err, version)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        out.append(Problem(file, line_of(lines, path), dotted(path), f"invalid AsyncAPI: {message}", hint))
    return out


def _ambiguous_ref(err) -> bool:
    """The 2.0-2.2 schemas let a bare `{$ref}` match both the Reference and the object it stands for
    (`oneOf` then fails as "valid under each of"); the reference itself is fine."""
    return (err.validator == "oneOf" and isinstance(err.instance, dict) and "$ref" in err.instance
            and "is valid under each of" in err.message)


def _explain(err, version: str) -> tuple[tuple, str, str]:
    """(path, message, hint); unknown keys get the key's own line and a "did you mean"."""
    path = tuple(err.absolute_path)
    spec_hint = f"see https://www.asyncapi.com/docs/reference/specification/v{version} for the allowed structure"
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
    if not _json_schema_format(msg.get("schemaFormat")):  # 2.x: the format is on the message
        return None
    if "schemaFormat" in payload:
        fmt = str(payload.get("schemaFormat"))
        if not _json_schema_format(fmt):
            return None
        return path + ("payload", "schema")
    return path + ("payload",)


def _json_schema_format(fmt: Any) -> bool:
    """JSON Schema (in JSON or YAML) or the AsyncAPI schema; not Avro, RAML, Protobuf, ..."""
    text = str(fmt or "").lower()
    return not text or any(k in text for k in ("schema+json", "schema+yaml", "asyncapi", "application/json"))
