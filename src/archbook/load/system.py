"""Load a whole system folder into a `SystemModel`, collecting every problem before failing.

Each file is parsed with line marks and validated on its own (pydantic for the design files,
openapi-spec-validator and the AsyncAPI JSON Schema for the API documents); then the
cross-reference rules run over whatever loaded. Only then are errors raised, all at once.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from archbook.errors import Problem, ValidationFailed
from archbook.load import crossref
from archbook.load.diagnose import pydantic_problems
from archbook.load.discover import api_documents
from archbook.load.find import find_system
from archbook.load.included import conventional_file_problems, graphql_path_problems
from archbook.load.reading import display_path, read_yaml
from archbook.load.viewcheck import check_views
from archbook.load.yamlsrc import LineMap
from archbook.model.architecture import Architecture
from archbook.model.patterns import PatternsFile
from archbook.model.system import SystemModel
from archbook.model.versioning import Versioning

__all__ = ["FILES", "load_system", "validate_system"]

# artefact name -> file name inside the system folder
FILES = {
    "architecture": "architecture.yaml",
    "patterns": "patterns.yaml",
    "openapi": "openapi.yaml",
    "asyncapi": "asyncapi.yaml",
    "versioning": "versioning.yaml",
}
# What the document loses when an optional file is absent (reported as a warning).
_MISSING = {
    "patterns": "the Design Patterns section will be empty",
    "openapi": "no REST API will be documented",
    "versioning": "no API versioning strategy will be documented",
}


def _validate_model(cls: type[BaseModel], data: dict, file: str, lines: LineMap, problems: list[Problem]):
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, cls, file, lines))
        return None


def _load_model(root: Path, artefact: str, cls: type[BaseModel], problems: list[Problem], files: dict):
    path = root / FILES[artefact]
    if not path.is_file():
        if artefact == "architecture":
            problems.append(Problem(display_path(path), None, "", "architecture.yaml is missing",
                                    "every system folder needs architecture.yaml; `archbook new NAME` scaffolds one"))
        elif artefact in _MISSING:
            problems.append(Problem(display_path(path), None, "", f"{FILES[artefact]} not found; {_MISSING[artefact]}",
                                    f"add {FILES[artefact]} (see `archbook new`)", severity="warning"))
        return None, None
    files[artefact] = str(path)
    parsed = read_yaml(path, problems)
    if parsed is None:
        return None, None
    data, lines = parsed
    return _validate_model(cls, data, display_path(path), lines, problems), lines


def validate_system(path: str | Path) -> tuple[SystemModel | None, list[Problem]]:
    """Load and check everything; return the model (None if any error) and all problems found."""
    from archbook.load.asyncapi import load_asyncapi
    from archbook.load.openapi import load_openapi

    root = find_system(path)
    problems: list[Problem] = list(conventional_file_problems(root))  # a symlink out is refused before any read
    if problems:
        return None, problems
    files: dict[str, str] = {}
    arch, arch_lines = _load_model(root, "architecture", Architecture, problems, files)
    patterns, pat_lines = _load_model(root, "patterns", PatternsFile, problems, files)
    versioning, _ = _load_model(root, "versioning", Versioning, problems, files)
    documents = api_documents(root, arch, arch_lines, problems)
    openapis = [d for d in (load_openapi(p, problems, files, root) for p in documents["openapi"]) if d is not None]
    openapi = _merged_ids(openapis)
    asyncapis = [d for d in (load_asyncapi(p, problems, files) for p in documents["asyncapi"]) if d is not None]
    asyncapi = _merged_names(asyncapis)
    outside = graphql_path_problems(root, arch.graphql if arch is not None else None, arch_lines)
    problems += outside
    graphql = None if outside else _load_graphql(root, arch, problems, files)

    arch_file = display_path(root / FILES["architecture"])
    if arch is not None:
        problems += crossref.check_architecture(arch, arch_file, arch_lines)
        problems += check_views(arch, arch_file, arch_lines)
        problems += crossref.check_api_refs(arch, arch_file, arch_lines,
                                            openapi.operation_ids if openapi else _absent(documents, "openapi"),
                                            asyncapi.message_names if asyncapi else _absent(documents, "asyncapi"))
        problems += crossref.check_graphql_refs(arch, arch_file, arch_lines, _graphql_refs(root, arch, graphql))
        if patterns is not None:
            problems += crossref.check_patterns(patterns.patterns, arch.component_ids,
                                                display_path(root / FILES["patterns"]), pat_lines)
    if any(p.severity == "error" for p in problems):
        return None, problems
    model = SystemModel(
        root=str(root), architecture=arch, patterns=patterns.patterns if patterns else [],
        openapi=openapi.doc if openapi else None, asyncapi=asyncapi.doc if asyncapi else None,
        asyncapis=[d.doc for d in asyncapis],
        versioning=versioning, files=files, http_apis=[d.api for d in openapis if d.api is not None],
        graphql=graphql,
    )
    return model, problems


def _load_graphql(root: Path, arch, problems: list[Problem], files: dict):
    from archbook.apis.graphql_find import find_documents

    if not find_documents(root, arch.graphql if arch is not None else None):
        return None  # no schema: graphql-core is not even imported
    from archbook.apis.graphql import load_graphql

    return load_graphql(root, arch.graphql if arch is not None else None, problems, files, display_path)


def _graphql_refs(root: Path, arch, graphql) -> set[str] | None:
    """Root operations flows may name: None when a schema exists but did not load."""
    from archbook.apis.graphql_find import find_documents

    if graphql is not None:
        return {op.ref for op in graphql.operations}
    return None if find_documents(root, arch.graphql) else set()


def _absent(documents: dict[str, list[Path]], artefact: str) -> set[str] | None:
    """An absent document has no names (so every reference dangles); an unreadable one is skipped."""
    return set() if not documents.get(artefact) else None


def _merged_ids(docs: list):
    """The first document (its raw dict feeds older views), knowing every document's operationIds."""
    if not docs:
        return None
    first = docs[0]
    for other in docs[1:]:
        first.operation_ids |= other.operation_ids
    return first


def _merged_names(docs: list):
    """The first AsyncAPI document, knowing every document's message names (flows may name any)."""
    if not docs:
        return None
    for other in docs[1:]:
        docs[0].message_names |= other.message_names
    return docs[0]


def load_system(path: str | Path) -> SystemModel:
    """Return the validated model of the system folder `path`, or raise `ValidationFailed` with every error."""
    model, problems = validate_system(path)
    if model is None:
        raise ValidationFailed(problems)
    return model
