"""Read the API documents of a folder (a system, or a bare `history/` snapshot) for a diff.

Each document is checked with the same loaders `archbook validate` uses, so a diff never
compares a broken document; every problem is reported at once through `ValidationFailed`.
"""
from __future__ import annotations

from pathlib import Path

from archbook.apis.openapi import build_http_api
from archbook.errors import Problem, ValidationFailed
from archbook.load.asyncapi import load_asyncapi
from archbook.load.openapi import load_openapi
from archbook.load.reading import display_path, read_yaml
from archbook.load.diagnose import pydantic_problems
from archbook.model.apiset import ApiSet
from archbook.model.versioning import Versioning

__all__ = ["load_api_set", "graphql_files"]

GRAPHQL_SUFFIXES = (".graphql", ".graphqls")


def graphql_files(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.suffix in GRAPHQL_SUFFIXES and p.is_file())


def load_api_set(root: str | Path, label: str | None = None) -> ApiSet:
    """The folder's openapi.yaml, asyncapi.yaml, *.graphql and versioning.yaml (each optional)."""
    root = Path(root)
    if not root.is_dir():
        raise ValidationFailed([Problem(display_path(root), None, "", "no such folder",
                                        "pass a system folder, e.g. data/video-editor")])
    problems: list[Problem] = []
    files: dict[str, str] = {}
    openapi = load_openapi(root / "openapi.yaml", problems, files)
    asyncapi = load_asyncapi(root / "asyncapi.yaml", problems, files)
    versioning = _versioning(root / "versioning.yaml", problems)
    sdl = [p.read_text(encoding="utf-8") for p in graphql_files(root)]
    if any(p.severity == "error" for p in problems):
        raise ValidationFailed(problems)
    api = ApiSet(label or display_path(root), openapi=openapi.doc if openapi else None,
                 asyncapi=asyncapi.doc if asyncapi else None, graphql="\n".join(sdl) if sdl else None,
                 versioning=versioning, files=files, http_api=build_http_api(openapi.doc, openapi.file) if openapi else None,
                 async_schemas=async_schemas(asyncapi.doc) if asyncapi else {})
    if api.empty:
        raise ValidationFailed([Problem(display_path(root), None, "", "no API documents to compare",
                                        "the folder needs openapi.yaml, asyncapi.yaml or a *.graphql schema")])
    return api


def async_schemas(doc: dict) -> dict:
    """AsyncAPI component schemas and message payloads as normalised `Schema`s.

    AsyncAPI schemas are JSON Schema with `#/components/schemas/X` refs, exactly like OpenAPI's,
    so the OpenAPI builder normalises them (until AsyncAPI has a model of its own)."""
    from archbook.model.api import resolve_ref

    schemas = dict((doc.get("components") or {}).get("schemas") or {})
    for ckey, chan in (doc.get("channels") or {}).items():
        chan = resolve_ref(doc, chan)
        for mkey, msg in ((chan.get("messages") or {}).items() if isinstance(chan, dict) else ()):
            msg = resolve_ref(doc, msg)
            if isinstance(msg, dict) and "payload" in msg:
                schemas[f"{ckey} {mkey}"] = msg["payload"]
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

    with tempfile.TemporaryDirectory(prefix="archbook-rev-") as tmp:
        export_revision(folder, rev, tmp)
        return load_api_set(tmp, label=f"{display_path(Path(folder))}@{rev}")


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
    return load_api_set(target)
