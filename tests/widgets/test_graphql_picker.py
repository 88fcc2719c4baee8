"""Notebook 03's GraphQL picker: shows an operation's doc and checks a written operation against the schema."""
from __future__ import annotations

from pathlib import Path

import pytest

from archbook import load_system
from archbook.widgets.graphql_picker import graphql_picker

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def picker():
    return graphql_picker(load_system(REPO / "data" / "video-editor"), "Mutation.createJob")


def test_shows_the_chosen_operation(picker):
    assert picker.doc.outputs[0]["data"]["text/markdown"].startswith("##### Mutation.createJob")
    picker.dropdown.value = "Query.job"
    assert "##### Query.job" in picker.doc.outputs[0]["data"]["text/markdown"]


def test_checks_operations_and_variables(picker):
    picker.dropdown.value = "Query.job"
    picker.insert_example()
    assert picker.validate() == [] and "OK" in picker.verdict.value
    picker.query.value = "query {\n  job(id: 1) { nme }\n}"
    assert picker.validate() == ["line 2: error: Cannot query field 'nme' on type 'Job'"]
    picker.query.value = "query { job(id: 1) { resultUrl } }"
    [warning] = picker.validate()
    assert warning.startswith("line 1: warning: uses a deprecated element: The field Job.resultUrl is deprecated")
    picker.query.value, picker.variables.value = "query Q($id: ID!) { job(id: $id) { id } }", '{"id": [1]}'
    [error] = picker.validate()
    assert "Variable '$id' has invalid value" in error and "&lt;" not in error
    picker.variables.value = "{oops"
    assert picker.validate()[0].startswith("variables are not valid JSON")
