"""Read the API documents of a folder (a system, or a bare `history/` snapshot) for a diff.

Each document goes through the same loaders `archbook validate` uses (read, resolve,
validate, normalise), so a diff never compares a broken document; every problem is reported
at once through `ValidationFailed`. Documents are found by their conventional names.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archbook.errors import Problem, ValidationFailed
from archbook.load.asyncapi import load_asyncapi
from archbook.load.diagnose import pydantic_problems
from archbook.load.discover import conventional
from archbook.load.openapi import load_openapi
from archbook.load.reading import display_path, read_yaml
from archbook.model.apiset import ApiSet
from archbook.model.versioning import Versioning

__all__ = ["load_api_set", "load_api_set_at", "load_previous", "changelog_pair", "async_schemas"]


def load_api_set(root: str | Path, label: str | None = None) -> ApiSet:
    """The folder's OpenAPI, AsyncAPI and GraphQL documents and versioning.yaml (each optional)."""
    root = Path(root)
    if not root.is_dir():
        raise ValidationFailed([Problem(display_path(root), None, "", "no such folder",
                                        "pass a system folder, e.g. data/video-editor")])
    problems: list[Problem] = []
    files: dict[str, str] = {}
    openapi = next((load_openapi(p, problems, files, root) for p in conventional(root, "openapi")[:1]), None)
    asyncapi = next((load_asyncapi(p, problems, files) for p in conventional(root, "asyncapi")[:1]), None)
    versioning = _versioning(root / "versioning.yaml", problems)
    graphql = _graphql(root, problems, files)
    if any(p.severity == "error" for p in problems):
        raise ValidationFailed(problems)
    api = ApiSet(label or display_path(root), http_api=openapi.api if openapi else None,
                 event_api=_event_api(asyncapi.doc) if asyncapi else None,
                 async_schemas=async_schemas(asyncapi.doc) if asyncapi else {},
                 graphql=graphql, versioning=versioning, files=files)
    if api.empty:
        raise ValidationFailed([Problem(display_path(root), None, "", "no API documents to compare",
                                        "the folder needs openapi.yaml, asyncapi.yaml or a *.graphql schema")])
    return api


def _event_api(doc: dict):
    from archbook.apis.asyncapi import build_event_api

    return build_event_api(doc)


def _graphql(root: Path, problems: list[Problem], files: dict[str, str]):
    from archbook.apis.graphql import build_schema_from_files, find_documents

    paths = find_documents(root, None)
    if not paths:
        return None
    files["graphql"] = ", ".join(str(p) for p in paths)
    return build_schema_from_files(paths, problems)


def async_schemas(doc: dict) -> dict:
    """AsyncAPI component schemas and message payloads as normalised `Schema`s.

    AsyncAPI payloads are JSON Schema with `#/components/schemas/X` refs, exactly like OpenAPI's,
    so the OpenAPI builder normalises them; keys are "channel message" for payloads."""
    from archbook.apis.openapi import build_http_api

    schemas = dict((doc.get("components") or {}).get("schemas") or {})
    for channel in _event_api(doc).channels:
        for msg in channel.messages:
            if msg.payload is not None:
                schemas[f"{channel.key} {msg.key}"] = msg.payload
    return build_http_api({"openapi": "3.1.0", "components": {"schemas": schemas}}).schemas


def _versioning(path: Path, problems: list[Problem]) -> Versioning | None:
    if not path.is_file():
        return None
    parsed = read_yaml(path, problems)
    if parsed is None:
        return None
    from pydantic import ValidationError

    try:
        return Versioning.model_validate(parsed[0])
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, Versioning, display_path(path), parsed[1]))
        return None


def load_api_set_at(folder: str | Path, rev: str) -> ApiSet:
    """The folder's API documents as of git revision `rev` (read with git, nothing checked out)."""
    import tempfile

    from archbook.load.gitrev import export_revision

    label = f"{display_path(Path(folder))}@{rev}"
    with tempfile.TemporaryDirectory(prefix="archbook-rev-") as tmp:
        export_revision(folder, rev, tmp)
        try:
            return load_api_set(tmp, label=label)
        except ValidationFailed as exc:  # name the revision, not the temporary folder
            shown = display_path(Path(tmp))
            raise ValidationFailed([replace(p, file=p.file.replace(shown, label)) for p in exc.problems]) from exc


def load_previous(system_root: str | Path, previous: str) -> ApiSet:
    """A changelog entry's `previous`: `git:REV` (this folder at REV) or a folder relative to the system."""
    root = Path(system_root)
    if previous.startswith("git:"):
        return load_api_set_at(root, previous[4:])
    target = (root / previous).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValidationFailed([Problem(display_path(root / "versioning.yaml"), None, "changelog.previous",
                                        f"{previous!r} points outside the system folder",
                                        "use a folder inside the system, e.g. history/0.9.0, or git:REV")])
    return load_api_set(target, label=previous)


def changelog_pair(root: str | Path, versioning: Versioning | None) -> tuple[ApiSet, ApiSet] | None:
    """(previous, current) API sets for the newest changelog entry that names its `previous`, else None."""
    entry = next((e for e in (versioning.changelog if versioning else []) if e.previous), None)
    if entry is None:
        return None
    return load_previous(root, entry.previous), load_api_set(root)
