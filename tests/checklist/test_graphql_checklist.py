"""The checklist's API items and the flow-step check cover GraphQL, naming each gap exactly."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archbook.checklist import evaluate
from archbook.load import load_system, validate_system

BASE = Path(__file__).resolve().parents[1] / "data" / "broken" / "_base"
REPO = Path(__file__).resolve().parents[2]
SDL = '''type Query {
  "One job."
  job(id: ID!): Job
}
type Mutation {
  createJob(name: String!): Job
}
type Subscription {
  "Status of a job."
  jobStatus(id: ID!): Job
}
type Job {
  id: ID!
}
'''


@pytest.fixture
def system(tmp_path):
    folder = tmp_path / "sys"
    shutil.copytree(BASE, folder)
    (folder / "schema.graphql").write_text(SDL, encoding="utf-8")
    return folder


def _reasons(folder) -> dict[str, tuple[bool, str]]:
    return {r.item: (r.passed, r.reason) for r in evaluate(load_system(folder), include_custom=False)}


def test_graphql_gaps_are_named(system):
    reasons = _reasons(system)
    passed, reason = reasons["REST API endpoints fully documented"]
    assert not passed and "Mutation.createJob has no description" in reason and "Query.job" not in reason
    assert "the GraphQL endpoint has no rate limit (add graphql.rate_limit)" in reasons["Rate limiting documented"][1]
    assert "does not state its authentication" in reasons["Authentication requirements specified"][1]
    assert "documents no error codes" in reasons["Error codes documented"][1]
    assert "Subscription.jobStatus has no transport" in reasons["WebSocket protocols defined (if applicable)"][1]


def test_documented_graphql_contract_passes(system):
    arch = system / "architecture.yaml"
    arch.write_text(arch.read_text(encoding="utf-8") + (
        "graphql:\n  security: [bearerAuth]\n  rate_limit: {requests: 60, window_s: 60}\n"
        "  subscriptions: {transport: sse}\n  error_codes:\n    - {code: NOT_FOUND, description: No such job}\n"),
        encoding="utf-8")
    (system / "schema.graphql").write_text(SDL.replace("  createJob", '  "Queue a job."\n  createJob'), encoding="utf-8")
    reasons = _reasons(system)
    for item in ("REST API endpoints fully documented", "Rate limiting documented", "Error codes documented",
                 "WebSocket protocols defined (if applicable)"):
        assert reasons[item][0], (item, reasons[item])
    passed, reason = reasons["Authentication requirements specified"]
    assert passed is ("bearerAuth" in (BASE / "openapi.yaml").read_text()), reason
    assert "GraphQL: endpoint rate limit documented" in reasons["Rate limiting documented"][1]


def test_flow_step_naming_an_unknown_graphql_operation_is_a_located_error(system):
    arch = system / "architecture.yaml"
    text = arch.read_text(encoding="utf-8").replace(
        "      - {from: User, to: WebClient, message: Start a job}\n",
        "      - {from: User, to: WebClient, message: Start a job}\n"
        "      - {from: WebClient, to: Api, message: query job, graphql: Query.jobs}\n")
    arch.write_text(text, encoding="utf-8")
    model, problems = validate_system(system)
    [p] = [p for p in problems if p.severity == "error"]
    assert model is None and p.field == "flows[0].steps[1].graphql" and p.line == 124
    assert "`Query.jobs` is not a root operation of the GraphQL schema" in p.message and "Query.job" in p.hint
    arch.write_text(text.replace("graphql: Query.jobs", "graphql: Query.job"), encoding="utf-8")
    reasons = _reasons(system)
    assert reasons["Flow steps call documented API operations"][0]


def test_video_editor_passes_every_api_item_with_graphql():
    results = {r.item: r for r in evaluate(load_system(REPO / "data" / "video-editor"), include_custom=False)}
    for item in ("REST API endpoints fully documented", "Error codes documented", "Rate limiting documented",
                 "Authentication requirements specified", "WebSocket protocols defined (if applicable)"):
        assert results[item].passed and "GraphQL:" in results[item].reason, results[item]
