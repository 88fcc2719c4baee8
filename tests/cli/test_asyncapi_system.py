"""End to end: a system folder whose asyncapi.yaml is a real AsyncAPI 2.6 Kafka document."""
from __future__ import annotations

import shutil
from pathlib import Path

from archbook.cli import main

REPO = Path(__file__).resolve().parents[2]


def _system(tmp_path: Path) -> Path:
    root = tmp_path / "ocr-kafka"
    shutil.copytree(REPO / "data" / "doc-ocr", root)
    shutil.copy(REPO / "tests" / "data" / "asyncapi" / "2.6-streetlights-kafka.yml", root / "asyncapi.yaml")
    arch = root / "architecture.yaml"
    arch.write_text(arch.read_text().replace("event: document.completed", "event: lightMeasured"))
    return root


def test_validate_reports_the_2x_version_and_the_unrendered_parts(tmp_path, capsys):
    root = _system(tmp_path)
    assert main(["validate", str(root)]) == 0
    out = capsys.readouterr().out
    assert "4 AsyncAPI channels (4 messages)" in out
    assert "asyncapi: AsyncAPI 2.6.0 document, checked against the 2.6.0 schema" in out
    assert "warning [info.license]: `license` at info.license is not rendered" in out


def test_render_documents_kafka_with_its_own_connection_facts(tmp_path, capsys):
    root = _system(tmp_path)
    assert main(["render", str(root), "-o", str(tmp_path / "doc.md")]) == 0
    doc = (tmp_path / "doc.md").read_text()
    assert "  - [Event API](#event-api)" in doc and "\n### Event API\n" in doc
    assert "AsyncAPI 2.6.0 document: Streetlights Kafka API 1.0.0" in doc
    assert "#### Kafka: smartylighting.streetlights.1.0.event.{streetlightId}.lighting.measured" in doc
    assert "kcat -b test.mykafkacluster.org:18092" in doc and "new WebSocket" not in doc
