"""Write docs/bad-inputs.md: every case of the broken corpus with the exact message
`archbook validate` gives for it (taken from a real run, so the table cannot drift;
tests/load/test_bad_inputs_doc.py checks that it is current). Run from anywhere:

    .venv/bin/python tests/data/broken/make_table.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DOC = HERE.parents[2] / "docs" / "bad-inputs.md"

INTRO = """# Bad inputs and the messages they get

Every row is one folder of `tests/data/broken/` (a valid system with ONE mistake); the message
is what `archbook validate tests/data/broken/<case>` prints, and `tests/load/test_bad_inputs_doc.py`
fails if a message changes without this table. Regenerate with
`.venv/bin/python tests/data/broken/make_table.py`.

Limits of the YAML reader: files up to 256 MB, nesting up to 100 levels, aliases standing for at most
100,000 nodes in all; YAML 1.2 core schema (`18:00`, `on`, `no`, `2024-01-01` stay text). The simulator
refuses pools over 10,000 workers and horizons over 50,000,000 jobs per replication, before drawing anything.

| case | file:line | field | message |
|---|---|---|---|
"""


def actual(case: str) -> dict:
    """The problem `validate` reports for `case` that matches its expected.yaml."""
    from archbook.cli.validate import check

    exp = yaml.safe_load((HERE / case / "expected.yaml").read_text(encoding="utf-8"))
    _, problems = check(str(HERE / case))
    same_file = [p for p in problems if Path(p.file).name == exp["file"]]
    matching = [p for p in same_file if p.line == exp["line"] and exp["message"] in p.message]
    p = (matching or same_file or problems)[0]  # the corpus test, not this table, judges the match
    return {"file": Path(p.file).name, "line": p.line, "field": p.field, "message": p.message, "severity": p.severity}


# Read at simulation time or by the CLI, so outside the corpus; pinned by tests/load/test_files.py,
# tests/load/test_yaml_limits.py, tests/load/test_confinement.py and tests/cli/test_no_traceback.py.
OUTRO = """
## Trace and service-time CSVs, the reader, the command line

| mistake | message |
|---|---|
| trace row with an extra field | t.csv:3: row 3 has 3 fields, the header has 2 |
| trace saved as Latin-1 | t.csv:2: not UTF-8 text: byte 0xe9 in row 2 |
| empty trace file | t.csv:1: the CSV is empty |
| header only | t.csv:1 [timestamp]: the trace has no rows |
| text in a seconds column | t.csv:3 [timestamp]: cannot read timestamp `soon`: expected seconds (a number), as in the first row |
| impossible ISO date | t.csv:3 [timestamp]: cannot read timestamp `2025-13-45T00:00:00Z`: expected an ISO-8601 time such as 2025-11-09T13:00:00Z |
| rows out of time order | t.csv:4 [timestamp]: timestamp `2` is earlier than the row before it (`5`); the trace must be in time order |
| text in a request setting | t.csv:3 [width]: `width` value `wide` is not a number |
| no timestamp column | t.csv:1 [arrivals.trace.timestamp_column]: no column `timestamp` |
| trace is a symlink to /etc/passwd | [arrivals.trace.path]: path `t.csv` leads outside the system folder (to /etc/passwd), through a symlink |
| service CSV `../x.csv` | [service.path]: path `../x.csv` climbs out of the system folder with `..` |
| `graphql: {schema: [../outside/x.graphql]}` | architecture.yaml:629 [graphql.schema[0]]: path `../outside/x.graphql` climbs out of the system folder with `..` |
| `graphql.examples` is a symlink out of the folder | architecture.yaml:629 [graphql.examples]: path `linked-examples` leads outside the system folder (to DIR), through a symlink |
| an example file symlinked out | examples/q.graphql [graphql.examples]: path `examples/q.graphql` leads outside the system folder (to FILE), through a symlink |
| architecture.yaml (or queue.yaml, openapi.yaml, schema.graphql, archbook_rules.py) symlinked out | architecture.yaml: path `architecture.yaml` leads outside the system folder (to FILE), through a symlink |
| `apis: {openapi: [../outside/x.yaml]}` | architecture.yaml:628 [apis.openapi[0]]: `../outside/x.yaml` is outside the system folder |
| a `$ref` through a symlink out | openapi.yaml:36: $ref `common.yaml#/X` is outside the system folder and is not followed |
| a `--templates` file symlinked out | archbook render: DIR/component_card.md.j2: template `component_card.md.j2` leads outside the template folder (to FILE), through a symlink |
| YAML file over the size limit | the file is 300.0 MB, more than the 256.0 MB archbook reads |
| YAML file saved as Latin-1 | latin.yaml:2: not UTF-8 text: byte 0xe9 at column 10 |
| `render -o /dev/null/x.md` | archbook render: /dev/null: File exists; check that the folder exists and that you may write there |
| broken `--templates` file | archbook render: template error in DIR/component_card.md.j2:2: unexpected 'end of template' |
| `archbook ... \\| head -1` closes early | archbook render: the output was closed before all of it was written (broken pipe) (exit 141) |
| Ctrl-C | archbook simulate: interrupted (exit 130) |
| a bug in archbook | archbook X: internal error: TYPE: MESSAGE; the traceback is saved in /tmp/archbook-X-....txt (please report it) (exit 3) |
"""


def _cell(text: object) -> str:
    return str(text).split("\n")[0].replace("|", "\\|")


def row(case: str) -> str:
    a = actual(case)
    where = f"{a['file']}:{a['line']}" if a["line"] else a["file"]
    level = "" if a["severity"] == "error" else f"({a['severity']}) "
    return f"| `{case}` | {where} | `{_cell(a['field'])}` | {level}{_cell(a['message'])} |"


def cases() -> list[str]:
    return sorted(p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("_"))


def table() -> str:
    return INTRO + "\n".join(row(c) for c in cases()) + "\n" + OUTRO


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2] / "src"))
    DOC.write_text(table(), encoding="utf-8")
    print(f"wrote {DOC} ({len(cases())} cases)")
