"""Regenerate the broken-input corpus: one complete system folder per mistake.

Each case copies `_base/` (a small valid system), applies ONE textual edit and writes
`expected.yaml` (file, line, field, message, optional hint/severity/exit). The expected line
is where the mistake is in the edited file: the line of the text given as `at` (default: the
first line of the replacement). Run from anywhere:

    .venv/bin/python tests/data/broken/make_corpus.py

The folders are committed, so a reader can run `archbook validate tests/data/broken/<case>`.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BASE = HERE / "_base"

BOMB = '  a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n  a2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\n  a3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\n  a4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]\n  a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]\n  a6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]\n  a7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]\n'  # each row: ten aliases of the row above

# name: (file, old text (None = whole file), new text (None = delete the file), expected)
CASES: dict[str, tuple] = {
    "yaml-syntax-error": ("architecture.yaml", "    layer: client\n", "    layer: client: web\n",
                          dict(field="", message="YAML syntax error")),
    "yaml-bad-indentation": ("patterns.yaml", "    intent: Absorb", "   intent: Absorb",
                             dict(field="", message="YAML syntax error")),
    "wrong-type-list": ("architecture.yaml", "    responsibilities:\n      - Submit jobs and show their status\n",
                        "    responsibilities: 42\n",
                        dict(field="components[0].responsibilities", message="valid list")),
    "wrong-type-bool": ("architecture.yaml", "        protocol: HTTPS\n    scaling:\n      - Served from a CDN\n",
                        "        protocol: HTTPS\n        async: maybe\n    scaling:\n      - Served from a CDN\n",
                        dict(field="components[0].depends_on[0].async", message="valid boolean", at="async: maybe")),
    "missing-required-field": ("architecture.yaml", "    purpose: TODO - keeps job records and results.\n", "",
                               dict(field="components[4].purpose", message="required key `purpose` is missing",
                                    at="  - id: Store")),
    "missing-required-top-level": ("versioning.yaml", "approach: URI versioning (/api/v1/...)\n", "",
                                   dict(field="approach", message="required key `approach` is missing", at="scheme:")),
    "unknown-key-typo": ("architecture.yaml", "    purpose: TODO - what this component does.\n",
                         "    purpse: TODO - what this component does.\n",
                         dict(field="components[0].purpse", message="unknown key `purpse`",
                              hint="did you mean `purpose`?")),
    "unknown-key-alias": ("architecture.yaml", "      - {from: User, to: WebClient, message: Start a job}\n",
                          "      - {form: User, to: WebClient, message: Start a job}\n",
                          dict(field="flows[0].steps[0].form", message="unknown key `form`", hint="did you mean `from`?")),
    "unknown-key-in-alt-branch": ("architecture.yaml", "          - when: Job succeeds\n", "          - wen: Job succeeds\n",
                                  dict(field="flows[0].steps[7].alt[0].wen", message="unknown key `wen`",
                                       hint="did you mean `when`?")),
    "duplicate-yaml-key": ("architecture.yaml", "    name: Web Client\n", "    name: Web Client\n    name: Browser Client\n",
                           dict(field="components[0].name", message="duplicate key `name`", at="name: Browser Client")),
    "duplicate-component-id": ("architecture.yaml", "  - id: Worker\n", "  - id: Api\n",
                               dict(field="components[2].id", message="duplicate component id `Api`")),
    "bad-id-format": ("architecture.yaml", "  - id: Store\n", "  - id: 9store\n",
                      dict(field="components[4].id", message="not a valid id")),
    "dangling-dependency": ("architecture.yaml", "      - target: Store\n        data: Job results\n",
                            "      - target: Stor\n        data: Job results\n",
                            dict(field="components[2].depends_on[1].target", message="`Worker` depends on `Stor`",
                                 hint="did you mean `Store`?")),
    "unknown-layer": ("architecture.yaml", "    layer: data\n    kind: queue\n", "    layer: databse\n    kind: queue\n",
                      dict(field="components[3].layer", message="unknown layer `databse`", hint="did you mean `data`?")),
    "bad-component-kind": ("architecture.yaml", "    kind: queue\n", "    kind: broker\n",
                           dict(field="components[3].kind", message="'broker' is not an allowed value", hint="'queue'")),
    "unknown-flow-participant": ("architecture.yaml", "      - {id: Queue}\n", "      - {id: Queu}\n",
                                 dict(field="flows[0].participants[3].id", message="participant `Queu` is not a component",
                                      hint="actor: true")),
    "step-from-non-participant": ("architecture.yaml", "      - {from: User, to: WebClient, message: Start a job}\n",
                                  "      - {from: Store, to: WebClient, message: Start a job}\n",
                                  dict(field="flows[0].steps[0].from", message="step from `Store`, which is not a participant")),
    "step-to-non-participant-in-loop": ("architecture.yaml", "          - {from: Api, to: WebClient, message: '{status}', kind: response}\n",
                                        "          - {from: Api, to: Client, message: '{status}', kind: response}\n",
                                        dict(field="flows[0].steps[6].steps[1].to", message="step to `Client`")),
    "note-over-unknown": ("architecture.yaml", "over: [Worker]", "over: [Workr]",
                          dict(field="flows[0].steps[4].over[0]", message="note over `Workr`", hint="did you mean `Worker`?")),
    "self-step-two-participants": ("architecture.yaml", "      - {from: Worker, to: Queue, message: Acknowledge job}\n",
                                   "      - {from: Worker, to: Queue, message: Acknowledge job, kind: self}\n",
                                   dict(field="flows[0].steps[5]", message="a 'self' step must have the same 'from' and 'to'")),
    "unknown-pattern-usage": ("patterns.yaml", "components: [Api, Queue, Worker]", "components: [Api, Queue, Wroker]",
                              dict(field="patterns[0].usage[0].components[2]", message="used by `Wroker`, which is not a component",
                                   hint="did you mean `Worker`?")),
    "bad-pattern-category": ("patterns.yaml", "    category: Architectural\n", "    category: Architecture\n",
                             dict(field="patterns[0].category", message="'Architecture' is not an allowed value",
                                  hint="'Code-Level'")),
    "patterns-not-a-mapping": ("patterns.yaml", "patterns:\n", "",
                               dict(field="", message="the top level must be a mapping", at="  - name: Queue")),
    "unknown-operation-id": ("architecture.yaml", "operation: getJob}", "operation: getJobs}",
                             dict(field="flows[0].steps[6].steps[0].operation", message="operation `getJobs` is not an operationId",
                                  hint="did you mean `getJob`?")),
    "unknown-asyncapi-message": ("architecture.yaml", "message: job_update (failed), kind: async, event: job_update}",
                                 "message: job_update (failed), kind: async, event: job_updates}",
                                 dict(field="flows[0].steps[7].alt[1].steps[0].event", message="event `job_updates` is not a message",
                                      hint="did you mean `job_update`?")),
    "invalid-openapi-enum": ("openapi.yaml", "          in: path\n", "          in: paths\n",
                             dict(field="paths./api/jobs/{jobId}.get.parameters[0].in", message="invalid OpenAPI")),
    "invalid-openapi-missing-description": ("openapi.yaml", "        \"202\":\n          description: Accepted\n",
                                            "        \"202\":\n",
                                            dict(field="paths./api/jobs.post.responses.202", message="'description' is a required property",
                                                 at="\"202\":")),
    "openapi-unknown-key": ("openapi.yaml", "      summary: Submit a job\n", "      sumary: Submit a job\n",
                            dict(field="paths./api/jobs.post.sumary", message="unknown key `sumary`",
                                 hint="did you mean `summary`?")),
    "openapi-bad-schema-type": ("openapi.yaml", "input: {type: string, minLength: 1, maxLength: 1000}",
                                "input: {type: strng, minLength: 1, maxLength: 1000}",
                                dict(field="components.schemas.JobRequest.properties.input.type",
                                     message="'strng' is not one of")),
    "invalid-openapi-structure": ("openapi.yaml",
                                  "          content:\n            application/json:\n              schema:\n"
                                  "                $ref: '#/components/schemas/Job'\n"
                                  "              example: {jobId: job_1, status: done}\n",
                                  "          content: application/json\n",
                                  dict(field="paths./api/jobs/{jobId}.get.responses.200.content",
                                       message="'application/json' is not of type 'object'")),
    "invalid-openapi-version": ("openapi.yaml", "openapi: 3.1.0\n", "openapi: 2.5.0\n",
                                dict(field="openapi", message="is not an OpenAPI 3.0 or 3.1 document")),
    "openapi-swagger-2": ("openapi.yaml", "openapi: 3.1.0\n", "swagger: '2.0'\n",
                          dict(field="swagger", message="Swagger 2.0 (OpenAPI 2) document", hint="npx swagger2openapi")),
    "openapi-dangling-ref": ("openapi.yaml", "              $ref: '#/components/schemas/JobRequest'\n",
                             "              $ref: '#/components/schemas/JobRequst'\n",
                             dict(field="paths./api/jobs.post.requestBody.content.application/json.schema.$ref",
                                  message="points to nothing")),
    "openapi-duplicate-operation-id": ("openapi.yaml", "      operationId: getJob\n", "      operationId: createJob\n",
                                       dict(field="paths./api/jobs/{jobId}.get", message="is not unique",
                                            at="    get:")),
    "openapi-response-example-mismatch": ("openapi.yaml", "example: {jobId: job_1, status: queued}",
                                          "example: {jobId: job_1, status: waiting}",
                                          dict(field="responses.202.content.application/json.example.status",
                                               message="does not match its schema at `status`", severity="warning", exit=0)),
    "openapi-request-example-mismatch": ("openapi.yaml", "value: {input: hello, priority: normal}",
                                         "value: {input: hello, priority: urgent}",
                                         dict(field="examples.simple.value.priority", message="'urgent' is not one of", severity="warning", exit=0)),
    "openapi-parameter-example-mismatch": ("openapi.yaml", "          example: job_1\n", "          example: 17\n",
                                           dict(field="parameters[0].example", message="example of parameter `jobId`", severity="warning", exit=0)),
    "openapi-error-example-mismatch": ("openapi.yaml", "                  value: {error: Job not found}\n",
                                       "                  value: {message: Job not found}\n",
                                       dict(field="examples.notFound.value", message="'error' is a required property", severity="warning", exit=0)),
    "bad-rate-limit-value": ("openapi.yaml", "x-rate-limit: {requests: 10, window_s: 60, scope: user}",
                             "x-rate-limit: {requests: 0, window_s: 60, scope: user}",
                             dict(field="paths./api/jobs.post.x-rate-limit.requests", message="greater than 0")),
    "bad-rate-limit-key": ("openapi.yaml", "x-rate-limit: {requests: 60, window_s: 60, scope: user}",
                           "x-rate-limit: {requests: 60, window: 60, scope: user}",
                           dict(field="x-rate-limit.window", message="unknown key `window`", hint="did you mean `window_s`?")),
    "invalid-asyncapi-action": ("asyncapi.yaml", "    action: send\n", "    action: publish\n",
                                dict(field="operations.sendJobUpdates.action", message="invalid AsyncAPI")),
    "asyncapi-unknown-key": ("asyncapi.yaml", "    address: /ws/jobs/{jobId}\n", "    adress: /ws/jobs/{jobId}\n",
                             dict(field="channels.jobUpdates.adress", message="unknown key `adress`",
                                  hint="did you mean `address`?")),
    "invalid-asyncapi-version": ("asyncapi.yaml", "asyncapi: 3.0.0\n", "asyncapi: 1.2.0\n",
                                 dict(field="asyncapi", message="is not a supported AsyncAPI version")),
    "asyncapi-dangling-ref": ("asyncapi.yaml", "        $ref: '#/components/messages/job_update'\n",
                              "        $ref: '#/components/messages/jobUpdate'\n",
                              dict(field="channels.jobUpdates.messages.job_update.$ref", message="points to nothing")),
    "asyncapi-example-mismatch": ("asyncapi.yaml", "payload: {jobId: job_1, status: done}",
                                  "payload: {jobId: job_1, status: finished}",
                                  dict(field="components.messages.job_update.examples[0].payload.status",
                                       message="example `Done` of message `job_update` does not match")),
    "bad-versioning-numbers": ("versioning.yaml", "  sunset_months: 3\n", "  sunset_months: -3\n",
                               dict(field="support.sunset_months", message="greater than or equal to 0")),
    "versioning-months-not-a-number": ("versioning.yaml", "  previous_supported_months: 6\n",
                                       "  previous_supported_months: six months\n",
                                       dict(field="support.previous_supported_months", message="valid integer")),
    "versioning-notice-shorter-than-sunset": ("versioning.yaml", "  deprecation_notice_months: 6\n",
                                              "  deprecation_notice_months: 1\n",
                                              dict(field="support.deprecation_notice_months",
                                                   message="must be >= support.sunset_months")),
    "empty-file": ("versioning.yaml", None, "",
                   dict(field="", message="the file is empty", line=1)),
    "missing-architecture": ("architecture.yaml", None, None,
                             dict(field="", message="architecture.yaml is missing", line=None)),
    "queue-negative-rate": ("queue.yaml", "rate_per_s: 0.5", "rate_per_s: -1",
                            dict(field="arrivals.rate_per_s", message="greater than 0")),
    "queue-unknown-key": ("queue.yaml", "workers: {count: 2}", "workers: {cont: 2}",
                          dict(field="workers.cont", message="unknown key `cont`", hint="did you mean `count`?")),
    "upward-dependency-warning": ("architecture.yaml", "    scaling:\n      - Vertical first, read replicas later\n",
                                  "    depends_on:\n      - {target: Api, data: Callbacks, protocol: HTTPS}\n"
                                  "    scaling:\n      - Vertical first, read replicas later\n",
                                  dict(field="components[4].depends_on[0].target", message="in the higher layer `service`",
                                       severity="warning", exit=0, at="{target: Api")),
    # ---- hostile or careless YAML (the reader's bounds and YAML 1.2 core schema)
    "yaml-alias-bomb": ("openapi.yaml", "openapi: 3.1.0\n",
                        "x-bomb:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + BOMB + "openapi: 3.1.0\n",
                        dict(field="", message="aliases expand to more than 100,000 nodes (an alias bomb?)", at="a4: &a4")),
    "yaml-recursive-alias": ("architecture.yaml", "    layer: client\n", "    layer: &l [*l]\n",
                             dict(field="", message="alias `*l` is inside the node it names (a recursive alias)")),
    "yaml-deep-nesting": ("patterns.yaml", "    intent: Absorb bursts of work so that workers run at a steady rate.\n",
                          "    intent: " + "[" * 150 + "]" * 150 + "\n",
                          dict(field="", message="nesting deeper than 100 levels")),
    "yaml-unsafe-tag": ("architecture.yaml", "    purpose: TODO - what this component does.\n",
                        "    purpose: !!python/object/apply:os.system ['true']\n",
                        dict(field="", message="unsupported YAML tag `tag:yaml.org,2002:python/object/apply:os.system`")),
    "yaml-custom-tag": ("openapi.yaml", "      summary: Submit a job\n", "      summary: !Sub Submit a job\n",
                        dict(field="", message="unsupported YAML tag `!Sub`")),
    "yaml-undefined-alias": ("versioning.yaml", "  sunset_months: 3\n", "  sunset_months: *three\n",
                             dict(field="", message="alias `*three` has no anchor `&three` before it")),
    "yaml-two-documents": ("versioning.yaml", "non_breaking_changes:\n", "---\nnon_breaking_changes:\n",
                           dict(field="", message="the file holds more than one YAML document")),
    "yaml-list-as-key": ("patterns.yaml", "    category: Architectural\n", "    ? [category, kind]\n    : Architectural\n",
                         dict(field="", message="a mapping key must be a single value, not a list or mapping")),
    "yaml-bad-int-tag": ("queue.yaml", "workers: {count: 2}", "workers: {count: !!int two}",
                         dict(field="", message="`two` is not a valid !!int")),
    "yaml-tab-indentation": ("architecture.yaml", "    layer: client\n", "\tlayer: client\n",
                             dict(field="", message="YAML syntax error: while scanning a plain scalar found a tab character that violates indentation")),
    "yaml-1-2-time-is-text": ("versioning.yaml", "  previous_supported_months: 6\n", "  previous_supported_months: 18:00\n",
                              dict(field="support.previous_supported_months", message="valid integer, unable to parse string as an integer (got str '18:00')")),
    # ---- queue.yaml: runs that cannot finish, paths that leave the folder
    "queue-huge-pool": ("queue.yaml", "workers: {count: 2}", "workers: {count: 1000000}",
                        dict(field="workers.count", message="1,000,000 workers is more than the 10,000 the simulator handles")),
    "queue-huge-horizon": ("queue.yaml", "horizon: {jobs: 20000,", "horizon: {jobs: 100000000,",
                           dict(field="horizon.jobs", message="the horizon asks for about 100,000,000 jobs per replication, "
                                "more than the 50,000,000 that fit in memory")),
    "queue-slow-run-warning": ("queue.yaml", "replications: 5,", "replications: 5000,",
                               dict(field="horizon.jobs", message="100,000,000 jobs in all (5000 replications): the run will take minutes",
                                    severity="warning", exit=0)),
    "queue-trace-outside-folder": ("queue.yaml", "arrivals: {process: poisson, rate_per_s: 0.5}",
                                   "arrivals: {process: trace, trace: {path: ../../../../etc/passwd}}",
                                   dict(field="arrivals.trace.path",
                                        message="path `../../../../etc/passwd` climbs out of the system folder with `..`")),
    "queue-trace-absolute-path": ("queue.yaml", "arrivals: {process: poisson, rate_per_s: 0.5}",
                                  "arrivals: {process: trace, trace: {path: /etc/passwd}}",
                                  dict(field="arrivals.trace.path",
                                       message="path `/etc/passwd` is an absolute path; give a path relative to the system folder")),
    "queue-trace-url": ("queue.yaml", "arrivals: {process: poisson, rate_per_s: 0.5}",
                        "arrivals: {process: trace, trace: {path: 'https://example.com/t.csv'}}",
                        dict(field="arrivals.trace.path",
                             message="path `https://example.com/t.csv` is a URL; archbook reads only files inside the system folder")),
    "queue-warmup-too-long": ("queue.yaml", "warmup_jobs: 2000", "warmup_jobs: 30000",
                              dict(field="horizon", message="warmup_jobs (30000) must be less than jobs (20000)")),
}


# GraphQL: a schema file the base system lacks is written whole (old text None).
_GQL = 'type Query {\n  "One job."\n  job(id: ID!): Job\n}\n\ntype Job {\n  id: ID!\n  status: String\n  id: ID!\n}\n'
CASES.update({
    "graphql-field-defined-twice": ("schema.graphql", None, _GQL,
                                    dict(field="Job.id", message="Field 'Job.id' can only be defined once", line=9,
                                         hint="see also")),
    "graphql-unknown-type": ("schema.graphql", None, _GQL.replace("  id: ID!\n}", "  owner: Usr\n}"),
                             dict(field="Usr", message="Unknown type 'Usr'", line=9)),
    "graphql-syntax-error": ("schema.graphql", None, _GQL.replace("job(id: ID!)", "job(id: ID!"),
                             dict(field="", message="Syntax Error", line=3)),
})


def _apply(case_dir: Path, file: str, old: str | None, new: str | None) -> tuple[str | None, int]:
    """Edit the file; return its new text and the offset where the replacement starts."""
    target = case_dir / file
    if new is None:
        target.unlink()
        return None, 0
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    offset = 0
    if old is None:
        text = new
    else:
        assert text.count(old) == 1, f"{case_dir.name}: {old!r} occurs {text.count(old)} times in {file}"
        offset = text.index(old)
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    return text, offset + len(new) - len(new.lstrip())


def _line(text: str | None, offset: int) -> int:
    return (text or "")[:offset].count("\n") + 1


def build() -> None:
    for old_case in HERE.iterdir():
        if old_case.is_dir() and not old_case.name.startswith("_"):
            shutil.rmtree(old_case)
    for name, (file, old, new, exp) in CASES.items():
        case_dir = HERE / name
        shutil.copytree(BASE, case_dir)
        text, offset = _apply(case_dir, file, old, new)
        exp = dict(exp)
        if "at" in exp:  # a unique text marking the reported line
            marker = exp.pop("at")
            assert text is not None and text.count(marker) == 1, f"{name}: marker {marker!r} is not unique"
            offset = text.index(marker)
        if "line" not in exp:
            exp["line"] = _line(text, offset)
        expected = {"file": file, "line": exp.pop("line"), "field": exp.pop("field"), "message": exp.pop("message")}
        expected.update(exp)
        (case_dir / "expected.yaml").write_text(yaml.safe_dump(expected, sort_keys=False, allow_unicode=True),
                                                encoding="utf-8")
    print(f"wrote {len(CASES)} cases under {HERE}")


if __name__ == "__main__":
    build()
