"""GraphQL changes come from graphql-core's find_breaking_changes / find_dangerous_changes."""
from graphql import build_schema

from archbook.diff.graphql import diff_graphql

OLD = """
type Query { job(id: ID!): Job, jobs(limit: Int = 10): [Job!]! }
type Job { id: ID!, status: Status!, note: String }
enum Status { QUEUED RUNNING DONE }
"""


def diff(old_sdl, new_sdl):
    return diff_graphql(build_schema(old_sdl), build_schema(new_sdl))


def test_same_schema_no_changes():
    assert diff(OLD, OLD) == []


def test_field_removed_is_breaking_with_its_location():
    new = OLD.replace(", note: String", "")
    (c,) = diff(OLD, new)
    assert (c.id, c.level, c.api, c.location) == ("graphql-field-removed", "breaking", "graphql", "Job.note")


def test_enum_value_added_is_dangerous():
    new = OLD.replace("DONE }", "DONE FAILED }")
    (c,) = diff(OLD, new)
    assert (c.id, c.level, c.location) == ("graphql-value-added-to-enum", "warning", "Status.FAILED")


def test_argument_default_changed_is_dangerous_and_type_change_breaking():
    new = OLD.replace("limit: Int = 10", "limit: Int = 20").replace("status: Status!", "status: String!")
    got = {(c.id, c.level) for c in diff(OLD, new)}
    assert got == {("graphql-arg-default-value-change", "warning"), ("graphql-field-changed-kind", "breaking")}
