"""Property tests of the engine: a document diffed with itself gives nothing, and edits that
only add optional things are never breaking."""
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffdocs import api_set

from archbook.diff import diff_api_sets

NAMES = st.sampled_from(["a", "b", "c", "id", "name", "size"])
REFS = [{"$ref": f"#/components/schemas/S{i}"} for i in range(3)]

scalar = st.one_of(
    st.builds(lambda lo, hi: {"type": "integer", "minimum": lo, "maximum": lo + hi}, st.integers(-5, 5), st.integers(0, 9)),
    st.builds(lambda n: {"type": "string", "maxLength": n}, st.integers(1, 40)),
    st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3, unique=True).map(lambda e: {"type": "string", "enum": e}),
    st.just({"type": "boolean"}),
)


def _object(props):
    names = sorted(props)
    return st.lists(st.sampled_from(names), unique=True).map(
        lambda req: {"type": "object", "properties": props, "required": req}) if names else st.just({"type": "object"})


schema = st.recursive(scalar, lambda kids: st.one_of(
    st.dictionaries(NAMES, kids, max_size=4).flatmap(_object),
    kids.map(lambda k: {"type": "array", "items": k}),
), max_leaves=8)
body_schema = st.one_of(schema, st.sampled_from(REFS))


@st.composite
def documents(draw):
    components = {f"S{i}": draw(st.dictionaries(NAMES, schema, min_size=1, max_size=4).flatmap(_object)) for i in range(3)}
    paths = {}
    for i in range(draw(st.integers(1, 4))):
        item = {}
        for method in draw(st.lists(st.sampled_from(["get", "post", "put"]), min_size=1, max_size=2, unique=True)):
            op = {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": draw(body_schema)}}}}}
            params = draw(st.dictionaries(NAMES, st.tuples(st.booleans(), scalar), max_size=2))
            if params:
                op["parameters"] = [{"name": n, "in": "query", "required": r, "schema": s} for n, (r, s) in params.items()]
            if method != "get" and draw(st.booleans()):
                op["requestBody"] = {"required": draw(st.booleans()),
                                     "content": {"application/json": {"schema": draw(body_schema)}}}
            item[method] = op
        paths[f"/r{i}/{{id}}"] = item
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1.0.0"}, "paths": paths,
            "components": {"schemas": components}}


def _objects(node, out):
    """Every object schema in the document (inline or named), to add an optional property to."""
    if isinstance(node, dict):
        if node.get("type") == "object":
            out.append(node)
        for v in node.values():
            _objects(v, out)
    elif isinstance(node, list):
        for v in node:
            _objects(v, out)
    return out


@st.composite
def optional_additions(draw, doc):
    new = copy.deepcopy(doc)
    for target in draw(st.lists(st.sampled_from(_objects(new, [])), max_size=3)):
        target.setdefault("properties", {})[f"added_{len(target['properties'])}"] = draw(schema)
    if draw(st.booleans()):
        new["paths"]["/added"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    for item in new["paths"].values():
        for op in item.values():
            if draw(st.booleans()):
                op.setdefault("parameters", []).append({"name": "added_q", "in": "query", "schema": draw(scalar)})
            if draw(st.booleans()):
                op["responses"]["201"] = {"description": "created"}
    return new


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_a_document_diffed_with_itself_gives_nothing(doc):
    report = diff_api_sets(api_set(doc), api_set(copy.deepcopy(doc)))
    assert report.changes == [] and report.violations == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_adding_only_optional_things_is_never_breaking(data):
    doc = data.draw(documents())
    new = data.draw(optional_additions(doc))
    report = diff_api_sets(api_set(doc), api_set(new))
    assert [c for c in report.changes if c.level == "breaking"] == []
    assert report.violations == []
