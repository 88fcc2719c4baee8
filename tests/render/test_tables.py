"""The designer's tables: values derived from the model, not formatting."""
from __future__ import annotations

from archbook.render import tables


def test_responsibilities_one_row_each(mini):
    frame = tables.responsibilities(mini.architecture)
    assert len(frame) == sum(len(c.responsibilities) for c in mini.components) == 18
    first = frame.iloc[0].to_dict()
    assert first == {"layer": "Client Layer", "component": "End User", "kind": "actor", "#": 1,
                     "responsibility": "Own the End User work"}


def test_dependency_matrix_protocols_and_counts(mini):
    arch = mini.architecture
    matrix = tables.dependency_matrix(arch)
    assert list(matrix.index) == list(matrix.columns) == [c.name for c in arch.components]
    assert matrix.at["Web App", "API Routes"] == "HTTPS, WebSocket (async)"
    assert matrix.at["API Routes", "Web App"] == ""
    counts = tables.dependency_matrix(arch, values="count")
    assert counts.at["Web App", "API Routes"] == 2 and int(counts.values.sum()) == len(arch.edges())


def test_fan_in_out(mini):
    frame = tables.fan_in_out(mini.architecture).set_index("component")
    assert frame.loc["API Routes", ["fan_out", "fan_in"]].tolist() == [3, 1]
    assert frame.loc["Job Queue", ["fan_out", "fan_in"]].tolist() == [1, 2]
    assert frame.loc["Web App", "fan_out"] == 1  # two edges to one target count once
    assert frame.index[0] == "API Routes"          # sorted by total links


def test_dependencies_direction(incomplete):
    frame = tables.dependencies(incomplete.architecture)
    up = frame[frame.direction == "UP"]
    assert up[["from", "to"]].values.tolist() == [["PostgreSQL", "API Routes"]]


def test_endpoints_table(mini, incomplete):
    frame = tables.endpoints(mini)
    assert frame[["method", "path", "rate_limit", "success", "errors"]].values.tolist() == [
        ["POST", "/api/jobs", "10 requests per minute per user", "202", "400, 401, 503"],
        ["GET", "/api/jobs/{jobId}", "60 requests per minute per user", "200", "404, 500"]]
    assert frame.authentication.tolist() == ["Required (Bearer token (JWT))"] * 2
    health = tables.endpoints(incomplete).set_index("path").loc["/api/health"]
    assert health.authentication == "None" and health.rate_limit == "—" and health.errors == ""


def test_patterns_and_usage(mini):
    assert tables.patterns(mini).to_dict("records") == [{"pattern": "Repository Pattern", "category": "Code-Level",
                                                          "benefits": 1, "tradeoffs": 1,
                                                          "used_by": "API Routes, PostgreSQL"}]
    usage = tables.pattern_usage(mini)
    assert usage.loc["Repository Pattern"].to_dict() == {"API Routes": True, "PostgreSQL": True}


def test_ws_messages(mini):
    frame = tables.ws_messages(mini)
    assert frame[["message", "direction"]].values.tolist() == [["Status Update", "server → client"],
                                                               ["Error", "server → client"]]
    assert set(frame.endpoint) == {"wss://api.example.com/ws/jobs/{jobId}"}
