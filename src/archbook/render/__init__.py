"""Model -> Markdown and Mermaid: the Section 05 document, its cards and diagrams."""
from __future__ import annotations

from archbook.render.cards import component_card, endpoint_doc, pattern_card, versioning_doc, websocket_doc
from archbook.render.document import render_document, render_section
from archbook.render.mermaid import architecture_diagram, sequence_diagram

__all__ = ["render_document", "render_section", "architecture_diagram", "sequence_diagram", "component_card",
           "pattern_card", "endpoint_doc", "websocket_doc", "versioning_doc"]
