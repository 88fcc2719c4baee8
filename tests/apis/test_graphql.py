"""GraphQL: located schema problems, the normalised model, checked and generated examples, and 5.3."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_schema, introspection_from_schema, parse, validate

from archbook import load_system
from archbook.apis.graphql import graphql_schema, load_graphql
from archbook.errors import ValidationFailed
from archbook.model.graphql import GraphQLConfig
from archbook.render import markdown as md
from archbook.render.document import render_section
from archbook.render.graphql_views import graphql_view
from archbook.render.templating import environment

DATA = Path(__file__).resolve().parents[1] / "data" / "graphql"
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(DATA))
from repair import without_duplicate_fields  # noqa: E402

SDL = '''
"A job."
type Job { id: ID! status: Status! old: String @deprecated(reason: "Use status.") }
enum Status { QUEUED DONE LEGACY @deprecated(reason: "Gone.") }
type Query { job(id: ID!, verbose: Boolean = false): Job  jobs(first: Int = 10): [Job!]! }
'''


def _load(folder: Path, config: GraphQLConfig | None = None):
    problems: list = []
    api = load_graphql(folder, config, problems, {})
    return api, problems


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _section(api, openapi=None) -> str:
    return environment().get_template("graphql.md.j2").render(gql=graphql_view(api, openapi), missing="*Not documented*")


# --------------------------------------------------------------------------- located schema problems
def test_field_defined_twice_names_the_second_line_and_the_first(tmp_path):
    _write(tmp_path, {"schema.graphql": "type Query {\n  a: Int\n  b: Int\n  a: String\n}\n"})
    api, problems = _load(tmp_path)
    assert api is None
    [p] = problems
    assert (Path(p.file).name, p.line, p.severity) == ("schema.graphql", 4, "error")
    assert "Field 'Query.a' can only be defined once" in p.message and "schema.graphql:2" in p.hint


def test_problems_in_a_multi_file_schema_name_their_own_file(tmp_path):
    _write(tmp_path, {"a.graphql": "type Query {\n  job: Job\n}\n",
                      "b.graphqls": "type Job {\n  id: ID!\n  owner: Usr @owner\n}\n",
                      "examples/ignored.graphql": "this is not SDL {"})
    api, problems = _load(tmp_path)
    assert api is None
    found = {(Path(p.file).name, p.line, p.message) for p in problems}
    assert ("b.graphqls", 3, "Unknown type 'Usr'") in found
    assert ("b.graphqls", 3, "Unknown directive '@owner'") in found
    assert all("hint" and p.hint for p in problems)


def test_syntax_error_and_bad_interface_implementation(tmp_path):
    _write(tmp_path, {"schema.graphql": "type Query {\n  a(: Int\n}\n"})
    _, [p] = _load(tmp_path)
    assert p.line == 2 and p.message.startswith("Syntax Error")
    _write(tmp_path, {"schema.graphql": "interface Node {\n  id: ID!\n}\ntype Query {\n  n: Node\n}\n"
                                        "type Job implements Node {\n  name: String\n}\n"})
    _, problems = _load(tmp_path)
    assert [(p.line, p.message) for p in problems] == [(7, "Interface field Node.id expected but Job does not provide it")]


def test_the_published_github_schema_gets_its_two_real_errors_at_their_lines():
    """The 1.2 MB GitHub schema defines two fields of EnterpriseOwnerInfo twice."""
    api, problems = _load(DATA / "github")
    errors = [(p.line, p.message) for p in problems if p.severity == "error"]
    assert api is None and errors == [
        (15153, "Field 'EnterpriseOwnerInfo.repositoryDeployKeySetting' can only be defined once"),
        (15158, "Field 'EnterpriseOwnerInfo.repositoryDeployKeySettingOrganizations' can only be defined once")]
    lines = (DATA / "github" / "schema.graphql").read_text(encoding="utf-8").splitlines()
    assert lines[15152].strip().startswith("repositoryDeployKeySetting:")


def test_graphql_schema_returns_graphql_core_schema_or_raises(tmp_path):
    schema = graphql_schema(REPO / "data" / "video-editor")
    assert isinstance(schema, GraphQLSchema) and "createJob" in schema.mutation_type.fields
    assert graphql_schema(tmp_path) is None
    _write(tmp_path, {"schema.graphql": "type Query { a: Nope }"})
    with pytest.raises(ValidationFailed, match="Unknown type 'Nope'"):
        graphql_schema(tmp_path)


# --------------------------------------------------------------------------- the model
def test_model_has_operations_arguments_defaults_and_deprecations(tmp_path):
    _write(tmp_path, {"schema.graphql": SDL})
    api, problems = _load(tmp_path)
    assert problems == []
    job = api.operation("Query.job").field
    assert [(a.name, a.type, a.default) for a in job.args] == [("id", "ID!", None), ("verbose", "Boolean", "false")]
    assert job.type == "Job" and api.type("Job").description == "A job."
    assert [(d.where, d.kind, d.reason) for d in api.deprecations()] == [
        ("Job.old", "field", "Use status."), ("Status.LEGACY", "enum value", "Gone.")]
    assert [(k, [t.name for t in ts]) for k, ts in api.by_kind()] == [("object", ["Job"]), ("enum", ["Status"])]
    assert api.type("Status").category == "via Query.job"


def test_introspection_json_gives_the_same_model(tmp_path):
    (tmp_path / "intro.json").write_text(json.dumps({"data": introspection_from_schema(build_schema(SDL))}))
    api, problems = _load(tmp_path, GraphQLConfig(schema=["intro.json"]))
    assert problems == [] and sorted(t.name for t in api.types) == ["Job", "Status"]
    assert [d.where for d in api.deprecations()] == ["Job.old", "Status.LEGACY"]
    (tmp_path / "bad.json").write_text('{"data": {"nope": 1}}')
    api, [p] = _load(tmp_path, GraphQLConfig(schema=["bad.json"]))
    assert api is None and "not a GraphQL introspection result" in p.message


def test_video_editor_graphql_api():
    api = load_system(REPO / "data" / "video-editor").graphql
    assert [op.ref for op in api.roots("subscription")] == ["Subscription.jobStatus"]
    assert {t.kind for t in api.types} == {"object", "interface", "union", "enum", "input", "scalar"}
    assert api.type("Job").category == "Jobs" and api.type("JobEvent").members == ("JobProgress", "JobCompleted", "JobFailed")
    assert [e.name for e in api.operation("Query.job").examples] == ["job", "job-not-found"]
    assert api.operation("Query.viewer").examples[0].origin == "generated"
    assert "NOT_FOUND" in api.error_codes() and len(api.deprecations()) == 2


# --------------------------------------------------------------------------- examples
def _examples_case(tmp_path, query: str, variables=None, response=None):
    files = {"schema.graphql": SDL, "examples/ex.graphql": query}
    if variables is not None:
        files["examples/ex.variables.json"] = json.dumps(variables)
    if response is not None:
        files["examples/ex.response.json"] = json.dumps(response)
    _write(tmp_path, files)
    return _load(tmp_path)


def test_example_invalid_against_schema_is_a_located_error(tmp_path):
    _, [p] = _examples_case(tmp_path, "query Q {\n  job(id: 1) {\n    nme\n  }\n}\n")
    assert (Path(p.file).name, p.line, p.severity) == ("ex.graphql", 3, "error")
    assert "Cannot query field 'nme' on type 'Job'" in p.message


def test_example_using_a_deprecated_field_is_a_warning(tmp_path):
    api, [p] = _examples_case(tmp_path, "query Q {\n  job(id: 1) {\n    old\n  }\n}\n")
    assert (p.line, p.severity) == (3, "warning") and "Job.old is deprecated" in p.message
    assert api.operation("Query.job").examples[0].name == "ex"


def test_example_variables_and_response_are_checked(tmp_path):
    query = "query Q($id: ID!) {\n  job(id: $id) { id status }\n}\n"
    _, problems = _examples_case(tmp_path, query, {"id": [1]},
                                 {"data": {"job": {"id": "1", "status": "LOST", "extra": 1}}})
    messages = sorted(p.message for p in problems)
    assert any("variables" in m and "$id" in m for m in messages), messages
    assert any("data.job.status 'LOST' is not a value of enum Status" in m for m in messages)
    assert any("data.job.extra is not selected by the operation" in m for m in messages)
    _, problems = _examples_case(tmp_path, query, {"id": "1"}, {"data": {"job": {"id": "1"}}})
    assert [p.message for p in problems] == ["example ex response: data.job.status is selected but missing"]


def test_generated_examples_are_valid_and_have_the_response_shape(tmp_path):
    _write(tmp_path, {"schema.graphql": SDL})
    api, _ = _load(tmp_path)
    schema = build_schema(SDL)
    for op in api.operations:
        [ex] = op.examples
        assert ex.origin == "generated" and validate(schema, parse(ex.query)) == []
    assert api.operation("Query.job").examples[0].variables == {"id": "abc123"}
    assert api.operation("Query.jobs").examples[0].response == {"data": {"jobs": [{"id": "abc123", "status": "QUEUED"}]}}


# --------------------------------------------------------------------------- rendering
def test_rendered_video_editor_operations_are_valid_against_its_schema():
    system = load_system(REPO / "data" / "video-editor")
    text = render_section(system, "5.3")
    schema = graphql_schema(REPO / "data" / "video-editor")
    blocks = re.findall(r"```graphql\n(.*?)\n```", text, re.S)
    assert len(blocks) >= 7
    for block in blocks:
        assert validate(schema, parse(block)) == [], block
    assert "**Subscriptions:** graphql-ws protocol over WebSocket at wss://api.example.com/graphql" in text
    assert "**Authentication:** Required (Bearer token (JWT))" in text
    assert "| `QUEUE_FULL` |" in text and "~~`resultUrl`~~" in text
    assert "**Returns:** \\[[Workflow](#workflow-object)\\!\\]\\!" in text and "[Job](#job-object)" in text


def _links_resolve(text: str) -> None:
    anchors = {md.anchor(h) for h in re.findall(r"^#{2,6} (.+)$", text, re.M)}
    targets = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert targets and targets <= anchors, sorted(targets - anchors)[:5]


def test_hostile_text_is_escaped(tmp_path):
    _write(tmp_path, {"schema.graphql": '"<script>alert(1)</script> ]-->end [x](javascript:y)"\n'
                                        'type Job {\n  "| `pipe` <b>"\n  a: Int @deprecated(reason: "<img src=x>")\n}\n'
                                        'type Query {\n  "# not a heading"\n  job: Job\n}\n'})
    api, _ = _load(tmp_path)
    text = _section(api)
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text and "\\[x\\]" in text and "\\| \\`pipe\\`" in text
    assert "**Description:** # not a heading\n" in text  # user Markdown on the label line: no heading


@pytest.fixture(scope="module")
def github(tmp_path_factory):
    folder = tmp_path_factory.mktemp("github")
    sdl = (DATA / "github" / "schema.graphql").read_text(encoding="utf-8")
    (folder / "schema.graphql").write_text(without_duplicate_fields(sdl), encoding="utf-8")
    return _load(folder)


def test_github_schema_validates_and_renders_navigably(github):
    api, problems = github
    assert api is not None and all(p.severity == "warning" for p in problems) and len(problems) == 12
    assert len(api.types) > 1500 and len(api.deprecations()) > 100
    text = _section(api)
    assert text.count("\n###### ") == len(api.types)  # each type defined once
    _links_resolve(text)
    assert "###### Repository (object)" in text and "[Repository](#repository-object)" in text
    assert sum(1 for op in api.operations if op.examples) >= len(api.operations) - 5


def test_swapi_user_examples_validate_and_attach():
    api, problems = _load(DATA / "swapi")
    assert problems == []
    assert api.operation("Root.person").examples[0].name == "01_basic_query"
    assert api.operation("Root.allStarships").examples[0].name == "05_argument"
    _links_resolve(_section(api))


def test_deprecation_summary_lists_every_deprecation(github):
    api, _ = github
    text = _section(api)
    summary = text.split("#### GraphQL Deprecations", 1)[1].split("#### GraphQL Errors", 1)[0]
    rows = [line for line in summary.splitlines() if line.startswith("| `")]
    assert len(rows) == len(api.deprecations()) > 100
    assert text.count("⚠️ Deprecated:") >= len(api.deprecations())


def test_sse_subscriptions_get_a_graphql_sse_snippet(tmp_path):
    _write(tmp_path, {"schema.graphql": SDL + "type Subscription { jobChanged(id: ID!): Job }\n"})
    config = GraphQLConfig(subscriptions={"transport": "sse", "endpoint": "https://api.example.com/graphql/stream"})
    api, problems = _load(tmp_path, config)
    text = _section(api)
    assert problems == [] and "Server-Sent Events (graphql-sse) at https://api.example.com/graphql/stream" in text
    assert "from 'graphql-sse'" in text and "subscription JobChanged($id: ID!)" in text


def test_validate_cli_summarises_the_graphql_api(capsys):
    from archbook.cli import main

    assert main(["validate", str(REPO / "data" / "video-editor")]) == 0
    assert "GraphQL: 7 root operations, 20 types" in capsys.readouterr().out
