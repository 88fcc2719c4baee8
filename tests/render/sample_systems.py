"""Design models built in Python for the render and checklist tests: a complete mini system,
one whose every name is hostile, and one with deliberate gaps. (The example systems under
data/ are tested too, through `archbook.load.load_system`.)"""
from __future__ import annotations

import copy
from pathlib import Path

from archbook.model import SystemModel

REPO = Path(__file__).resolve().parents[2]
# every example system under data/ (the video editor and a second one, e.g. data/doc-ocr)
EXAMPLES = sorted(f"data/{p.parent.name}" for p in (REPO / "data").glob("*/architecture.yaml"))


def load_example(rel: str):
    """Load an example system through the real loader."""
    from archbook.load import load_system

    if not (REPO / rel).is_dir():
        raise FileNotFoundError(f"example system {rel} is missing")
    return load_system(REPO / rel)

HOSTILE = 'Evil "quote" [x] --> end; %% #1 <script>alert(1)</script> `tick` | a_b *c* & Ünï 日本'

_LAYERS = [
    {"id": "ui", "name": "Client Layer"}, {"id": "api", "name": "API Layer"},
    {"id": "backend", "name": "Backend Services"}, {"id": "data", "name": "Data Layer"},
    {"id": "external", "name": "External Services"},
]


def _comp(cid, name, layer, kind, deps=(), **extra):
    base = {
        "id": cid, "name": name, "layer": layer, "kind": kind, "purpose": f"{name} does its job.",
        "technology": ["Python 3.13"], "responsibilities": [f"Own the {name} work", "Report status"],
        "depends_on": [dict(d) for d in deps], "scaling": ["Horizontal scaling behind a load balancer"],
        "failure_modes": [{"failure": f"{name} down", "effect": "Requests fail", "mitigation": "Retry with backoff"}],
    }
    base.update(extra)
    return base


def _dep(target, data="JSON", protocol="HTTPS", **kw):
    return {"target": target, "data": data, "protocol": protocol, **kw}


def _architecture():
    return {
        "system": {"name": "Mini Video", "version": "2.1", "description": "A small job system.", "owner": "Team A",
                   "history": [{"version": "2.0", "date": "2025-01-02", "notes": "Split the gateway"},
                               {"version": "2.1", "date": "2025-03-04", "notes": "Added WebSocket updates"}]},
        "layers": copy.deepcopy(_LAYERS),
        "components": [
            _comp("User", "End User", "ui", "actor", [_dep("Web", "clicks", "UI")]),
            _comp("Web", "Web App", "ui", "client", [_dep("Api", label="REST"), _dep("Api", "job updates", "WebSocket", **{"async": True})]),
            _comp("Api", "API Routes", "api", "gateway", [_dep("Queue", "jobs", "Redis protocol", label="enqueue"), _dep("Db"), _dep("Llm")]),
            _comp("Queue", "Job Queue", "backend", "queue", [_dep("Cache", "status", "Redis protocol")]),
            _comp("Worker", "GPU Worker", "backend", "worker", [_dep("Queue", "jobs", "Redis protocol", **{"async": True}), _dep("Blob", "video files", "S3 API")]),
            _comp("Db", "PostgreSQL", "data", "store"),
            _comp("Cache", "Redis Cache", "data", "cache"),
            _comp("Blob", "Object Storage", "data", "storage"),
            _comp("Llm", "Gemini API", "external", "external"),
        ],
        "flows": [{
            "id": "generate", "title": "Generate a video", "description": "From request to result.",
            "participants": [{"id": "User", "actor": True}, "Web", {"id": "Api", "label": "API"}, "Queue", "Worker"],
            "steps": [
                {"from": "User", "to": "Web", "message": "Request AI video"},
                {"from": "Web", "to": "Web", "message": "Validate input", "kind": "self"},
                {"from": "Web", "to": "Api", "message": "POST /api/jobs", "operation": "createJob"},
                {"from": "Api", "to": "Queue", "message": "Enqueue job", "kind": "async"},
                {"from": "Api", "to": "Web", "message": '{jobId, status: "queued"}', "kind": "response"},
                {"kind": "note", "over": ["Queue", "Worker"], "message": "Worker picks up job"},
                {"loop": "Poll status", "steps": [
                    {"from": "Web", "to": "Api", "message": "GET /api/jobs/{jobId}", "operation": "getJob"},
                    {"from": "Api", "to": "Web", "message": "{status, progress}", "kind": "response"}]},
                {"alt": [
                    {"when": "complete", "steps": [{"from": "Worker", "to": "Queue", "message": "Status complete"}]},
                    {"when": "failed", "steps": [{"from": "Worker", "to": "Queue", "message": "Status failed"}]}]},
                {"opt": "WebSocket connected", "steps": [
                    {"from": "Api", "to": "Web", "message": "job update", "kind": "async", "event": "statusUpdate"}]},
            ],
        }],
    }


def _openapi():
    err = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
    return {
        "openapi": "3.1.0", "info": {"title": "Mini", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": {"Error": err, "Job": {"type": "object", "required": ["jobId", "status"], "properties": {
                "jobId": {"type": "string", "example": "job_abc123"},
                "status": {"type": "string", "enum": ["queued", "processing", "complete", "failed"]},
                "progress": {"type": "integer", "minimum": 0, "maximum": 100, "description": "Percent done"}}}},
        },
        "paths": {
            "/api/jobs": {"post": {
                "operationId": "createJob", "tags": ["Video Generation API"], "summary": "Submit a job",
                "description": "Submit a video generation request.",
                "x-rate-limit": {"requests": 10, "window_s": 60, "scope": "user"},
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"type": "object", "required": ["prompt"], "properties": {
                        "prompt": {"type": "string", "description": "Text prompt"},
                        "priority": {"type": "string", "enum": ["low", "normal", "high"], "default": "normal"}}},
                    "example": {"prompt": "A cat playing piano", "priority": "normal"}}}},
                "responses": {
                    "202": {"description": "Accepted", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"},
                            "example": {"jobId": "job_abc123", "status": "queued"}}}},
                    "400": {"description": "Bad request", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"},
                            "examples": {"workflow": {"summary": "Invalid workflow", "description": "Workflow JSON is malformed", "value": {"error": "Invalid workflow"}},
                                         "dims": {"summary": "Invalid dimensions", "description": "Width/height outside allowed range", "value": {"error": "Invalid dimensions"}}}}}},
                    "401": {"description": "Missing or invalid auth token"},
                    "503": {"description": "ComfyUI backend is down"},
                }}},
            "/api/jobs/{jobId}": {"get": {
                "operationId": "getJob", "tags": ["Video Generation API"], "description": "Get a job's status.",
                "x-rate-limit": {"requests": 60, "window_s": 60},
                "parameters": [{"name": "jobId", "in": "path", "required": True, "schema": {"type": "string"},
                                "example": "job_abc123", "description": "Job ID from POST /api/jobs"},
                               {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}],
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
                    "404": {"description": "Invalid job ID or job expired"},
                    "500": {"description": "Unexpected error"},
                }}},
        },
    }


def _asyncapi():
    payload = {"type": "object", "required": ["type", "jobId"], "properties": {
        "type": {"type": "string", "const": "status_update"}, "jobId": {"type": "string"},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100}}}
    return {
        "asyncapi": "3.0.0", "info": {"title": "Jobs WS", "version": "1.0.0"},
        "servers": {"prod": {"host": "api.example.com", "protocol": "wss",
                             "security": [{"$ref": "#/components/securitySchemes/token"}]}},
        "channels": {"jobStatus": {"address": "/ws/jobs/{jobId}", "title": "Job Status Updates",
                                   "description": "Receive real-time status updates for a job instead of polling.",
                                   "messages": {"statusUpdate": {"$ref": "#/components/messages/statusUpdate"},
                                                "jobError": {"$ref": "#/components/messages/jobError"}}}},
        "operations": {"sendStatus": {"action": "send", "channel": {"$ref": "#/channels/jobStatus"},
                                      "messages": [{"$ref": "#/channels/jobStatus/messages/statusUpdate"},
                                                   {"$ref": "#/channels/jobStatus/messages/jobError"}]}},
        "components": {
            "securitySchemes": {"token": {"type": "httpApiKey", "name": "token", "in": "query"}},
            "messages": {
                "statusUpdate": {"name": "status_update", "title": "Status Update", "payload": payload,
                                 "examples": [{"payload": {"type": "status_update", "jobId": "job_abc123", "progress": 45}}]},
                "jobError": {"name": "error", "title": "Error", "payload": {"type": "object", "properties": {
                    "type": {"const": "error"}, "error": {"type": "string"}}}},
            },
        },
    }


def _versioning():
    return {"approach": "URI versioning", "scheme": "/api/v{major}/", "rationale": ["Clear and explicit"],
            "support": {"current_version": "v1", "previous_supported_months": 6, "sunset_months": 3,
                        "deprecation_notice_months": 6},
            "breaking_changes": ["Require new major version"], "non_breaking_changes": ["Optional parameters"],
            "deprecation_process": ["Announce deprecation", "Add warnings", "Sunset"]}


def _patterns():
    return [{
        "name": "Repository Pattern", "category": "Code-Level", "intent": "Abstract data access.",
        "applicability": ["Multiple storage backends"], "rationale": "Client and server store projects.",
        "structure": {"language": "typescript", "code": "interface Repository<T> {\n  findById(id: string): Promise<T | null>;\n}"},
        "implementation": {"language": "typescript", "code": "class ProjectService {}"},
        "benefits": ["Swappable storage"], "tradeoffs": ["More boilerplate"],
        "usage": [{"components": ["Api", "Db"], "description": "Project management"}],
    }]


def _with_api(model: SystemModel) -> SystemModel:
    """What the loader adds: the normalised model of the OpenAPI document."""
    from archbook.apis.openapi import build_http_api

    model.http_apis = [build_http_api(model.openapi)] if model.openapi else []
    return model


def mini(root: str = "mini") -> SystemModel:
    """A complete system: every checklist item passes."""
    return _with_api(SystemModel.model_validate({
        "root": root, "architecture": _architecture(), "patterns": _patterns(), "openapi": _openapi(),
        "asyncapi": _asyncapi(), "versioning": _versioning()}))


def hostile(root: str = "hostile") -> SystemModel:
    """Every free-text field carries quotes, brackets, arrows, `end`, comments, HTML and non-ASCII text."""
    arch = _architecture()
    arch["system"]["name"] = HOSTILE
    for lay in arch["layers"]:
        lay["name"] = f"{HOSTILE} {lay['id']}"
    for c in arch["components"]:
        c["name"] = f"{HOSTILE} {c['id']}"
        c["purpose"] = HOSTILE
        c["responsibilities"] = [HOSTILE, "end"]
        c["technology"] = [HOSTILE]
        for d in c["depends_on"]:
            d["label"], d["data"] = HOSTILE, HOSTILE
    flow = arch["flows"][0]
    flow["title"] = flow["description"] = HOSTILE
    flow["participants"][2]["label"] = HOSTILE

    def poison(steps):
        for s in steps:
            for key in ("message", "loop", "opt"):
                if key in s:
                    s[key] = f"{HOSTILE} {s[key]}" if key == "message" else HOSTILE
            for b in s.get("alt", []):
                b["when"] = HOSTILE
                poison(b["steps"])
            poison(s.get("steps", []))
    poison(flow["steps"])
    # ids that are Mermaid keywords: still valid model ids, never used as Mermaid ids
    for old, new in (("Queue", "end"), ("Worker", "subgraph")):
        _rename(arch, old, new)
    pats = _patterns()
    pats[0]["name"] = pats[0]["intent"] = HOSTILE
    pats[0]["usage"] = [{"components": ["Api", "end"], "description": HOSTILE}]
    pats[0]["implementation"]["code"] = "```\n</code><script>alert(1)</script>\n```"
    api = _openapi()
    api["paths"]["/api/jobs"]["post"]["description"] = HOSTILE
    api["paths"]["/api/jobs"]["post"]["tags"] = [HOSTILE]
    api["paths"]["/api/jobs"]["post"]["responses"]["400"]["description"] = HOSTILE
    asy = _asyncapi()
    asy["channels"]["jobStatus"]["title"] = HOSTILE
    asy["channels"]["jobStatus"]["description"] = HOSTILE
    return _with_api(SystemModel.model_validate({"root": root, "architecture": arch, "patterns": pats, "openapi": api,
                                                 "asyncapi": asy, "versioning": _versioning()}))


def _rename(arch, old, new):
    for c in arch["components"]:
        if c["id"] == old:
            c["id"] = new
        for d in c["depends_on"]:
            if d["target"] == old:
                d["target"] = new
    for f in arch["flows"]:
        f["participants"] = [(new if p == old else p) if isinstance(p, str) else
                             ({**p, "id": new} if p["id"] == old else p) for p in f["participants"]]

        def walk(steps):
            for s in steps:
                for k in ("from", "to"):
                    if s.get(k) == old:
                        s[k] = new
                if "over" in s:
                    s["over"] = [new if o == old else o for o in s["over"]]
                walk(s.get("steps", []))
                for b in s.get("alt", []):
                    walk(b["steps"])
        walk(f["steps"])


def incomplete(root: str = "incomplete") -> SystemModel:
    """Deliberate gaps, one (or more) per checklist item."""
    arch = _architecture()
    comps = {c["id"]: c for c in arch["components"]}
    comps["Db"]["technology"] = []
    comps["Db"]["depends_on"] = [_dep("Api")]                    # upward dependency
    comps["Cache"]["responsibilities"] = []
    comps["Blob"]["failure_modes"] = []
    comps["Llm"]["scaling"] = []
    flow = arch["flows"][0]
    flow["steps"].append({"from": "Web", "to": "Api", "message": "GET /api/health"})       # no operation
    flow["steps"].append({"from": "Web", "to": "Api", "message": "Cancel", "operation": "cancelJob"})  # unknown op
    pats = _patterns()
    pats[0]["tradeoffs"] = []
    api = _openapi()
    api["paths"]["/api/health"] = {"get": {"responses": {"200": {"description": "OK"}}, "security": []}}
    del api["paths"]["/api/jobs/{jobId}"]["get"]["x-rate-limit"]
    del api["paths"]["/api/jobs"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return _with_api(SystemModel.model_validate({"root": root, "architecture": arch, "patterns": pats, "openapi": api,
                                                 "asyncapi": None, "versioning": None}))
