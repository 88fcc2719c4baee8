"""Cards rendered from the model follow the seed's templates, field for field."""
from __future__ import annotations

import pytest

from archbook.errors import ArchbookError
from archbook.render import component_card, endpoint_doc, pattern_card, render_section, versioning_doc, websocket_doc


def _op(system, title):
    return next(op for op in system.http_operations() if op.title.upper() == title.upper())


def test_component_card_fields_and_derived_consumers(mini):
    arch = mini.architecture
    card = component_card(arch.component("Queue"), arch)
    assert card.startswith("#### Component: Job Queue\n")
    for heading in ("**Purpose:**", "**Technology Stack:**", "**Responsibilities:**", "**Interactions:**",
                    "**Scaling Strategy:**", "**Failure Modes:**"):
        assert heading in card
    assert "- **Depends On:** Redis Cache\n" in card
    assert "- **Consumed By:** API Routes, GPU Worker\n" in card       # derived from their depends_on
    assert "- **Data Exchanged:** status, jobs\n" in card
    assert "- Job Queue down: Requests fail. Mitigation: Retry with backoff" in card


def test_component_card_marks_missing_fields(incomplete):
    arch = incomplete.architecture
    assert "**Technology Stack:**\n- *Not documented*" in component_card(arch.component("Db"), arch)


def test_pattern_card(mini):
    card = pattern_card(mini.patterns[0], mini.architecture)
    assert card.startswith("#### Pattern: Repository Pattern\n")
    for heading in ("**Category:** Code-Level", "**Intent:**", "**Applicability:**", "**Structure:**",
                    "**Implementation Example:**", "**Benefits:**", "**Tradeoffs:**", "**Usage in System:**"):
        assert heading in card
    assert "```typescript\ninterface Repository<T> {" in card
    assert "- Project management (API Routes, PostgreSQL)" in card


def test_endpoint_doc_post(mini):
    doc = endpoint_doc(_op(mini, "POST /api/jobs"), mini.http_api)
    assert doc.startswith("##### Endpoint: POST /api/jobs\n")
    assert "**Authentication:** Required (Bearer token (JWT))" in doc
    assert "**Rate Limiting:** 10 requests per minute per user" in doc
    assert "- **Path Parameters:** None" in doc and "- **Query Parameters:** None" in doc
    assert '  priority?: "low" | "normal" | "high"; // Default: "normal"' in doc
    assert "- **Success (202 Accepted):** Accepted" in doc and "- **Error (400 Bad Request):** Bad request" in doc
    assert ("```http\nPOST /api/jobs HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer eyJhbGciOiJIUzI1NiIs...\n"
            "Content-Type: application/json\n\n{\n  \"prompt\": \"A cat playing piano\",") in doc
    assert '```json\n{\n  "jobId": "job_abc123",\n  "status": "queued"\n}\n```' in doc
    table = doc.split("**Error Codes:**")[1]
    assert "| 400 | Invalid workflow | Workflow JSON is malformed |" in table
    assert "| 400 | Invalid dimensions | Width/height outside allowed range |" in table
    assert "| 401 | Unauthorized | Missing or invalid auth token |" in table
    assert "| 503 | Service Unavailable | ComfyUI backend is down |" in table


def test_endpoint_doc_get_with_path_param(mini):
    doc = endpoint_doc(_op(mini, "GET /api/jobs/{jobId}"), mini.http_api)
    assert "  - `jobId` (`string`, required): Job ID from POST /api/jobs" in doc
    assert "  - `verbose` (`boolean`, optional)" in doc
    assert "GET /api/jobs/job_abc123 HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer" in doc
    assert "- **Request Body:** None" in doc and "Content-Type" not in doc


def test_endpoint_doc_public_endpoint_without_rate_limit(incomplete):
    doc = endpoint_doc(_op(incomplete, "GET /api/health"), incomplete.http_api)
    assert "**Authentication:** None" in doc and "Authorization:" not in doc
    assert "**Rate Limiting:** *Not documented*" in doc
    assert "*No error responses documented*" in doc


def test_websocket_doc(mini):
    channel = mini.ws_channels()[0]
    doc = websocket_doc(channel, mini.asyncapi)
    assert doc.startswith("#### WebSocket: Job Status Updates\n")
    assert "**Endpoint:** `wss://api.example.com/ws/jobs/{jobId}`" in doc
    assert r"**Authentication:** Query parameter token=\[Bearer token\]" in doc
    assert "**Purpose:** Receive real-time status updates for a job instead of polling." in doc
    assert "`wss://api.example.com/ws/jobs/${jobId}?token=${authToken}`" in doc
    assert '*Status Update* (server → client)' in doc and '  type: "status_update";' in doc
    assert '"progress": 45' in doc                 # the message's own example
    assert '*Error:*\n\n```json\n{\n  "type": "error",' in doc  # synthesised from the payload schema


def test_versioning_doc(mini):
    doc = versioning_doc(mini.versioning)
    assert "**Approach:** URI versioning (`/api/v{major}/`)" in doc
    assert "- Previous version: Supported for 6 months after new version release" in doc
    assert "- Deprecated version: 3-month sunset period with warnings" in doc
    assert "**Breaking Changes:**\n- Require new major version" in doc
    assert "1. Announce deprecation\n2. Add warnings\n3. Sunset" in doc


def test_templates_are_overridable(mini, tmp_path):
    (tmp_path / "component_card.md.j2").write_text("### {{ c.name }} (house style)\n{{ c.purpose }}\n")
    arch = mini.architecture
    assert component_card(arch.component("Db"), arch, template_dirs=[tmp_path]) == \
        "### PostgreSQL (house style)\nPostgreSQL does its job.\n"
    section = render_section(mini, "5.1", template_dirs=[tmp_path])
    assert "### Web App (house style)" in section and "#### Component:" not in section
    (tmp_path / "evil.md.j2").write_text("x")
    with pytest.raises(ArchbookError, match="does not exist"):
        component_card(arch.component("Db"), arch, template_dirs=[tmp_path / "missing"])


def test_override_cannot_forget_escaping(hostile, tmp_path):
    (tmp_path / "component_card.md.j2").write_text("{{ c.name }}\n")
    arch = hostile.architecture
    out = component_card(arch.components[0], arch, template_dirs=[tmp_path])
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_webhook_channel_documents_an_http_delivery(mini):
    from archbook.model import SystemModel

    data = mini.model_dump(by_alias=True)
    server = data["asyncapi"]["servers"]["prod"]
    server.update(protocol="https", host="{hook}", variables={"hook": {"default": "hooks.example"}})
    data["asyncapi"]["components"]["securitySchemes"]["token"] = {"type": "httpApiKey", "name": "X-Sig", "in": "header"}
    system = SystemModel.model_validate(data)
    doc = websocket_doc(system.ws_channels()[0], system.asyncapi)
    assert doc.startswith("#### Webhook: Job Status Updates\n")
    assert "**Endpoint:** `https://hooks.example/ws/jobs/{jobId}`" in doc
    assert "**Delivery:**\n\n```http\nPOST /ws/jobs/{jobId} HTTP/1.1\nHost: hooks.example\n" in doc
    assert "X-Sig: <signature>\n\n{\n  \"type\": \"status_update\"" in doc
    assert "*Status Update* (service → receiver)" in doc and "new WebSocket" not in doc
