"""GraphQL: find the schema documents of a system, build them with graphql-core, report located problems.

SDL files (`schema.graphql`, `*.graphql`, `*.graphqls` in the system folder, or the files named
under `graphql.schema` in architecture.yaml) are parsed one by one, each as its own `Source`, and
merged into one document: every error then names the file and line of the node it is about,
even in a 60,000-line schema split over many files. An introspection result (`*.json`) is
accepted too; it has no lines, so its problems name the file only.

`graphql_schema(folder)` is the public entry point for other packages (the API diff): it returns
graphql-core's `GraphQLSchema`. `load_graphql` also normalises it into `archbook.model.graphql`.
"""
from __future__ import annotations

import bisect
import gc
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from graphql import (DocumentNode, GraphQLError, GraphQLSchema, GraphQLSyntaxError, Source, build_ast_schema,
                     build_client_schema, validate_schema)
from graphql.language import location as graphql_location
from graphql.language.location import SourceLocation
from graphql.validation.validate import validate_sdl

from archbook.apis.graphql_find import SUFFIXES, find_documents
from archbook.apis.graphql_lexer import parse_document
from archbook.errors import Problem, ValidationFailed
from archbook.model.graphql import GraphQLApi, GraphQLConfig

__all__ = ["SUFFIXES", "find_documents", "build_schema_from_files", "graphql_schema", "load_graphql", "located",
           "line_of"]

Display = Callable[[Path], str]  # how a path is shown in problems (archbook.load passes its own)
# graphql-core 3.3 follows the spec draft here; graphql-js 16 and most servers accept it, so it is a warning.
_WARN_ONLY = ("is not deprecated, so implementation field",)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a schema is built: the 1.2 MB GitHub schema allocates
    about a million AST and type objects, and the collections this triggers (each walking everything
    allocated so far) cost a third of the time. Nothing built here is garbage until it is returned.

    On the way out, what was built goes straight to the oldest generation (`freeze` + `unfreeze`
    moves it there without scanning it): otherwise the first collections after it, in whatever
    renders the schema next, would walk all of it two or three times (0.4 s for that schema)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # someone else's frozen objects stay frozen
            gc.freeze()
            gc.unfreeze()
        if was:
            gc.enable()


_NEWLINES: dict[int, tuple[Source, list[int]]] = {}


def line_of(loc) -> int | None:
    """1-based line of a node's location; graphql-core's own lookup rescans the source each time,
    too slow for the 100,000 nodes of a large schema, so newline offsets are indexed once per source."""
    if loc is None:
        return None
    src = loc.source
    entry = _NEWLINES.get(id(src))
    if entry is None or entry[0] is not src:
        if len(_NEWLINES) > 64:
            _NEWLINES.clear()
        entry = _NEWLINES[id(src)] = (src, [m.start() for m in re.finditer("\n", src.body)])
    return bisect.bisect_left(entry[1], loc.start) + 1


_RE_NEWLINE = re.compile(r"\r\n|[\n\r]")  # graphql-core's line terminators
_LINE_ENDS: dict[int, tuple[Source, list[int], list[int]]] = {}


def _line_ends(src: Source) -> tuple[list[int], list[int]]:
    """Start and end offsets of every line terminator in `src`, as graphql-core counts them (CR, LF, CRLF)."""
    entry = _LINE_ENDS.get(id(src))
    if entry is None or entry[0] is not src:
        if len(_LINE_ENDS) > 64:
            _LINE_ENDS.clear()
        found = list(_RE_NEWLINE.finditer(src.body))
        entry = _LINE_ENDS[id(src)] = (src, [m.start() for m in found], [m.end() for m in found])
    return entry[1], entry[2]


def _indexed_get_locations(locations) -> list[SourceLocation]:
    """graphql-core's `get_locations`, answered from `_line_ends` instead of a scan of the source."""
    out = []
    for source, position in locations:
        starts, ends = _line_ends(source)
        k = bisect.bisect_left(starts, position)
        out.append(SourceLocation(k + 1, position + 1 - (ends[k - 1] if k else 0)))
    return out


@contextmanager
def _indexed_locations() -> Iterator[None]:
    """graphql-core gives every error its line and column when the error is made, scanning the whole
    source line by line each time: 25 ms per error on a 1.2 MB schema, and large schemas have dozens
    of them (warnings included). While a schema and its examples are checked, the lookup uses an index
    of line ends, built once per source. Same `SourceLocation`s; restored afterwards."""
    ours = graphql_location.get_locations is _indexed_get_locations
    original = graphql_location.get_locations
    graphql_location.get_locations = _indexed_get_locations
    try:
        yield
    finally:
        if not ours:
            graphql_location.get_locations = original


def located(err: GraphQLError, fallback: str) -> list[tuple[str, int | None]]:
    """(file, line) of every node an error is about, in order; the file alone when it has no position."""
    out = []
    for node in err.nodes or []:
        if node.loc is not None:
            out.append((node.loc.source.name, line_of(node.loc)))
    if not out and err.source is not None:
        out = [(err.source.name, loc.line) for loc in err.locations or []]
    return out or [(fallback, None)]


def _problem(err: GraphQLError, fallback: str, field: str = "") -> Problem:
    """The last place is where the mistake is (a second definition); earlier ones go in the hint."""
    places = located(err, fallback)
    file, line = places[-1]
    hint = _hint(err.message)
    if len({p for p in places if p[1]} - {(file, line)}):
        hint = (hint + "; " if hint else "") + "see also " + ", ".join(
            dict.fromkeys(f"{f}:{n}" for f, n in places[:-1] if n and (f, n) != (file, line)))
    severity = "warning" if any(s in err.message for s in _WARN_ONLY) else "error"
    coordinate = re.search(r"'@?([_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*)?)'", err.message)
    return Problem(file, line, field or (coordinate.group(1) if coordinate else ""), err.message.rstrip("."), hint,
                   severity)


def _hint(message: str) -> str:
    if message.startswith("Unknown directive"):
        return "declare it in the schema, e.g. `directive @doc(category: String!) on OBJECT | INTERFACE | ENUM`"
    if message.startswith("Unknown type"):
        return "define the type, fix its spelling, or add the file that defines it"
    if "can only be defined once" in message or "There can be only one" in message:
        return "remove or rename one of the definitions"
    if "is not deprecated, so implementation field" in message:
        return "deprecate the interface field too, or drop @deprecated from the implementation"
    if "expects interface field" in message or "does not provide" in message:
        return "make the type's field match the interface's field (name, arguments and type)"
    return ""


def _parse_sdl(path: Path, problems: list[Problem], display: Display) -> DocumentNode | None:
    shown = display(path)
    try:
        return parse_document(Source(path.read_text("utf-8"), shown))
    except GraphQLSyntaxError as exc:
        problems.append(_problem(exc, shown))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(shown, None, "", f"cannot read GraphQL schema: {exc}", "check the path in graphql.schema"))
    return None


def _from_introspection(path: Path, problems: list[Problem], display: Display) -> GraphQLSchema | None:
    shown = display(path)
    try:
        data = json.loads(path.read_text("utf-8"))
        data = data.get("data", data) if isinstance(data, dict) else data
        schema = build_client_schema(data)
    except (OSError, ValueError) as exc:
        problems.append(Problem(shown, getattr(exc, "lineno", None), "", f"not a GraphQL introspection result: {exc}",
                                "export it with the standard introspection query (its `data.__schema`)"))
        return None
    except (TypeError, KeyError, AttributeError) as exc:
        problems.append(Problem(shown, None, "", f"not a GraphQL introspection result: {exc}",
                                "the file must hold `{\"data\": {\"__schema\": ...}}` or `{\"__schema\": ...}`"))
        return None
    problems.extend(_problem(e, shown) for e in validate_schema(schema))
    return schema


def build_schema_from_files(paths: list[Path], problems: list[Problem],
                            display: Display = str) -> GraphQLSchema | None:
    """One schema from SDL files (merged) or from one introspection JSON; None after any error."""
    before = sum(p.severity == "error" for p in problems)
    if any(p.suffix == ".json" for p in paths):
        if len(paths) > 1:
            problems.append(Problem(display(paths[0]), None, "graphql.schema",
                                    "an introspection result must be the only GraphQL schema document",
                                    "list either one .json file or SDL files under graphql.schema"))
            return None
        schema = _from_introspection(paths[0], problems, display)
    else:
        docs = [d for d in (_parse_sdl(p, problems, display) for p in paths) if d is not None]
        if len(docs) < len(paths):
            return None
        merged = DocumentNode(definitions=tuple(d for doc in docs for d in doc.definitions))
        fallback = display(paths[0])
        problems.extend(_problem(e, fallback) for e in validate_sdl(merged))
        if sum(p.severity == "error" for p in problems) > before:
            return None
        schema = build_ast_schema(merged, assume_valid_sdl=True)
        problems.extend(_problem(e, fallback) for e in validate_schema(schema))
    if sum(p.severity == "error" for p in problems) > before:
        return None
    schema._validation_errors = []  # warnings only: what `assume_valid=True` records, so validate() accepts it
    return schema


def graphql_schema(folder: str | Path, config: GraphQLConfig | None = None) -> GraphQLSchema | None:
    """graphql-core's schema for a system folder's GraphQL documents (None if it has none).

    Raises `ValidationFailed` with located problems when the documents are invalid.
    """
    root = Path(folder)
    paths = find_documents(root, config)
    if not paths:
        return None
    problems: list[Problem] = []
    with _gc_paused(), _indexed_locations():
        schema = build_schema_from_files(paths, problems)
    if schema is None:
        raise ValidationFailed(problems)
    return schema


def load_graphql(root: Path, config: GraphQLConfig | None, problems: list[Problem],
                 files: dict[str, str], display: Display = str) -> GraphQLApi | None:
    """Build, check and normalise the system's GraphQL API, its examples included; None if it has none."""
    from archbook.apis.graphql_examples import attach_examples
    from archbook.apis.graphql_model import normalise

    paths = find_documents(root, config)
    missing = [p for p in paths if not p.is_file()]
    for p in missing:
        problems.append(Problem(display(p), None, "graphql.schema", "GraphQL schema file not found",
                                "fix the path (relative to the system folder) under graphql.schema"))
    if not paths or missing:
        return None
    files["graphql"] = ", ".join(str(p) for p in paths)
    with _gc_paused(), _indexed_locations():
        schema = build_schema_from_files(paths, problems, display)
        if schema is None:
            return None
        api = normalise(schema, tuple(display(p) for p in paths), config or GraphQLConfig())
        return attach_examples(api, schema, root / api.config.examples, problems, display)
