"""data/video-editor holds the seed's system, fact for fact."""
from __future__ import annotations

import pytest

from archbook.load import load_system
from archbook.model.flows import Loop, Message, Note, iter_steps

SEED_NODES = {
    "Browser": "Web Browser", "WebApp": "Next.js Application", "WebWorkers": "Web Workers",
    "IndexedDB": "IndexedDB", "OPFS": "OPFS", "SessionStorage": "Session Storage",
    "NextAPI": "Next.js API Routes", "Middleware": "API Middleware",
    "ComfyUI": "ComfyUI Gateway", "JobQueue": "Redis Job Queue", "Auth": "Auth Service",
    "PostgreSQL": "PostgreSQL", "RedisCache": "Redis Cache", "S3": "Object Storage",
    "Gemini": "Google Gemini API", "OpenAI": "OpenAI API", "Sentry": "Sentry", "Langfuse": "Langfuse",
}
SEED_EDGES = {
    ("Browser", "WebApp"), ("WebApp", "WebWorkers"), ("WebApp", "IndexedDB"), ("WebApp", "OPFS"),
    ("WebApp", "SessionStorage"), ("WebApp", "NextAPI"), ("NextAPI", "Middleware"), ("Middleware", "ComfyUI"),
    ("Middleware", "Auth"), ("Middleware", "PostgreSQL"), ("Middleware", "RedisCache"), ("ComfyUI", "JobQueue"),
    ("JobQueue", "RedisCache"), ("NextAPI", "Gemini"), ("NextAPI", "OpenAI"), ("WebApp", "Sentry"),
    ("NextAPI", "Langfuse"), ("ComfyUI", "S3"),
}
SEED_LAYERS = ["Client Layer", "Client Storage", "API Layer", "Backend Services", "Data Layer", "External Services"]
SEED_MEMBERS = {
    "Client Layer": {"Browser", "WebApp", "WebWorkers"}, "Client Storage": {"IndexedDB", "OPFS", "SessionStorage"},
    "API Layer": {"NextAPI", "Middleware"}, "Backend Services": {"ComfyUI", "JobQueue", "Auth"},
    "Data Layer": {"PostgreSQL", "RedisCache", "S3"}, "External Services": {"Gemini", "OpenAI", "Sentry", "Langfuse"},
}


@pytest.fixture(scope="module")
def system():
    return load_system("data/video-editor")


def test_nodes_edges_and_layers(system):
    arch = system.architecture
    assert {c.id: c.name for c in arch.components} == SEED_NODES
    assert {(c.id, d.target) for c, d in arch.edges()} == SEED_EDGES
    assert len(arch.edges()) == len(SEED_EDGES) == 18
    assert [layer.name for layer in arch.layers] == SEED_LAYERS
    names = {layer.id: layer.name for layer in arch.layers}
    members = {name: {c.id for c in arch.components if names[c.layer] == name} for name in SEED_LAYERS}
    assert members == SEED_MEMBERS
    assert arch.upward_dependencies() == []
    assert all(d.data and d.protocol for _, d in arch.edges())


def test_every_component_has_a_full_card(system):
    for c in system.components:
        assert c.purpose and c.technology and c.responsibilities and c.scaling, c.id
        assert c.failure_modes and all(f.failure and f.effect and f.mitigation for f in c.failure_modes), c.id


def test_seed_cards_verbatim(system):
    web = system.architecture.component("WebApp")
    assert web.purpose.startswith("Provides the user-facing web application with video editing interface")
    assert "Zustand 5.0.8 (state management)" in web.technology
    assert len(web.responsibilities) == 7 and "Display AI chat interface" in web.responsibilities
    assert {d.target for d in web.depends_on} >= {"NextAPI", "IndexedDB", "OPFS", "WebWorkers"}
    assert [c.id for c in system.architecture.consumed_by("WebApp")] == ["Browser"]
    assert "CDN delivery via Vercel" in web.scaling
    assert [f.mitigation for f in web.failure_modes] == [
        "Auto-save prevents data loss", "Offline mode with queued operations",
        "Cleanup UI with warnings", "Graceful quality reduction"]
    comfy = system.architecture.component("ComfyUI")
    assert comfy.purpose == "Manages AI video generation workflows by interfacing with ComfyUI backend."
    assert comfy.technology == ["Python 3.13+", "FastAPI", "ComfyUI Python API", "Redis (job queue)"]
    assert "Auto-scaling based on queue depth" in comfy.scaling
    assert ("GPU OOM", "Reduce batch size, retry with lower quality") in [(f.failure, f.mitigation) for f in comfy.failure_modes]


def test_job_status_flow(system):
    flow = next(f for f in system.flows if f.id == "video-generation")
    labels = {p.id: (p.label or p.id) for p in flow.participants}
    assert labels == {"User": "User", "WebApp": "Frontend", "NextAPI": "API", "ComfyUI": "ComfyUI",
                      "S3": "Storage", "JobQueue": "Redis"}
    assert next(p for p in flow.participants if p.id == "User").actor
    loops = [s for s in flow.steps if isinstance(s, Loop)]
    assert [l.loop for l in loops] == ["Poll Status"] and len(loops[0].steps) == 4
    notes = [s for _, s in iter_steps(flow.steps) if isinstance(s, Note)]
    assert [(n.over, n.message) for n in notes] == [(["ComfyUI"], "Worker picks up job")]
    ops = [s.operation for _, s in iter_steps(flow.steps) if isinstance(s, Message) and s.operation]
    assert ops == ["generateVideo", "getJob", "getJob"]
    leaves = [s for _, s in iter_steps(flow.steps)]
    assert len(leaves) == 25  # the 24 arrows and the note of the seed's sequence diagram
    assert len(system.flows) >= 3


def test_patterns(system):
    got = {p.name: p.category for p in system.patterns}
    assert got == {"Repository Pattern": "Code-Level", "Command Pattern": "Code-Level",
                   "Observer Pattern (via Zustand)": "State Management"}
    repo = system.patterns[0]
    assert "interface Repository<T>" in repo.structure.code and "class ProjectService" in repo.implementation.code
    assert len(repo.benefits) == 4 and len(repo.tradeoffs) == 3 and len(repo.usage) == 3


def _schema(system, name):
    return system.openapi["components"]["schemas"][name]


def test_rest_endpoints_as_in_the_seed(system):
    ops = {op.operation_id: op for op in system.operations()}
    post, get = ops["generateVideo"], ops["getJob"]
    assert post.title == "POST /api/generate-video" and get.title == "GET /api/jobs/{jobId}"
    assert post.rate_limit.describe() == "10 requests per minute per user"
    assert get.rate_limit.describe() == "60 requests per minute per user"
    settings = _schema(system, "VideoSettings")["properties"]
    assert [(settings[k]["minimum"], settings[k]["maximum"]) for k in ("width", "height", "duration", "fps")] == [
        (512, 1920), (512, 1080), (1, 10), (24, 60)]
    prio = _schema(system, "GenerateVideoRequest")["properties"]["priority"]
    assert prio["enum"] == ["low", "normal", "high"] and prio["default"] == "normal"
    accepted = _schema(system, "GenerateVideoAccepted")
    assert set(accepted["required"]) == {"jobId", "status", "estimatedWaitTime", "queuePosition"}
    assert set(_schema(system, "ValidationError")["required"]) == {"error", "details"}
    assert [(e.code, e.message) for e in post.error_codes(system.openapi)] == [
        ("400", "Invalid workflow"), ("400", "Invalid dimensions"), ("401", "Unauthorized"),
        ("429", "Rate limit exceeded"), ("503", "Service unavailable")]
    rows = [(e.code, e.message, e.description) for e in get.error_codes(system.openapi)]
    assert rows[:2] == [("404", "Job not found", "Invalid job ID or job expired"),
                        ("401", "Unauthorized", "Missing or invalid auth token")]
    assert system.openapi["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    example = post.spec["requestBody"]["content"]["application/json"]["examples"]["catPiano"]["value"]
    assert example["settings"] == {"width": 1280, "height": 720, "duration": 5, "fps": 30}
    done = get.spec["responses"]["200"]["content"]["application/json"]["examples"]["complete"]["value"]
    assert done["metadata"]["fileSize"] == 15728640 and done["completedAt"] == "2025-11-09T13:05:30Z"


def test_websocket_channel(system):
    (channel,) = system.ws_channels()
    assert channel.address == "/ws/jobs/{jobId}"
    assert channel.server.host == "api.example.com" and channel.server.protocol == "wss"
    assert [m.name for m in channel.messages] == ["status_update", "progress_update", "complete", "error"]
    examples = {m.name: m.examples[0]["payload"] for m in channel.messages}
    assert examples["progress_update"]["progress"] == 45
    assert examples["error"]["error"] == "GPU out of memory"
    scheme = system.asyncapi["components"]["securitySchemes"]["tokenQuery"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("httpApiKey", "query", "token")


def test_versioning(system):
    v = system.versioning
    assert (v.support.previous_supported_months, v.support.sunset_months, v.support.deprecation_notice_months) == (6, 3, 6)
    assert len(v.deprecation_process) == 5 and "New endpoints" in v.non_breaking_changes


def test_second_system_is_valid():
    from archbook.load import validate_system

    model, problems = validate_system("data/doc-ocr")
    assert model is not None and problems == []
    assert len(model.components) >= 8 and len(model.flows) >= 3 and len(model.operations()) == 4
