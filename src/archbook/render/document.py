"""The whole "Section 05: Architecture & Design" document, or one of its sections, as Markdown."""
from __future__ import annotations

from functools import partial

from markupsafe import Markup

from archbook.model.system import SystemModel
from archbook.render import cards
from archbook.render.mermaid import architecture_diagram, sequence_diagram
from archbook.render.templating import environment
from archbook.render.views import views_context

__all__ = ["render_document", "render_section", "SECTIONS"]

SECTIONS = {"5.1": "section_5_1.md.j2", "5.2": "section_5_2.md.j2", "5.3": "section_5_3.md.j2"}


def _markup(func):
    return lambda *a, **k: Markup(func(*a, **k).rstrip("\n"))


def _context(system: SystemModel, template_dirs, results=None) -> dict:
    """Everything the templates see; card helpers render through the same (overridable) templates."""
    by_tag: dict[str, list] = {}
    for op in system.operations():
        by_tag.setdefault((op.spec.get("tags") or ["Endpoints"])[0], []).append(op)
    ctx = {
        "system": system, "arch": system.architecture, "info": system.architecture.system,
        "operations_by_tag": list(by_tag.items()),
        "architecture_diagram": architecture_diagram, "sequence_diagram": sequence_diagram,
    }
    ctx.update(views_context(system.architecture))
    for name in ("component_card", "pattern_card", "endpoint_doc", "websocket_doc", "versioning_doc"):
        ctx[name] = _markup(partial(getattr(cards, name), template_dirs=template_dirs))
    if results is not None:
        from archbook.checklist import checklist_table, summary

        ctx["checklist_table"] = Markup(checklist_table(results))
        ctx["checklist_summary"] = summary(results)
    return ctx


def render_document(system: SystemModel, *, template_dirs=None, results=None, include_custom: bool = True) -> str:
    """The finished document: title, contents, 5.1-5.3, the quality checklist and version history.

    `results` lets a caller reuse an evaluated checklist; otherwise it is evaluated here.
    """
    if results is None:
        from archbook.checklist import evaluate

        results = evaluate(system, include_custom=include_custom)
    text = environment(template_dirs).get_template("document.md.j2").render(
        **_context(system, template_dirs, results))
    return _tidy(text)


def render_section(system: SystemModel, section: str, *, template_dirs=None) -> str:
    """One section ("5.1", "5.2" or "5.3") on its own, for notebooks."""
    if section not in SECTIONS:
        raise KeyError(f"unknown section {section!r}; choose one of {', '.join(SECTIONS)}")
    return _tidy(environment(template_dirs).get_template(SECTIONS[section]).render(**_context(system, template_dirs)))


def _tidy(text: str) -> str:
    """Collapse runs of blank lines outside code fences (templates stay readable, output stays tidy)."""
    out, blank, fence = [], 0, None
    for line in text.splitlines():
        stripped = line.lstrip()
        if fence is None and stripped.startswith("```"):
            fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
        elif fence is not None and stripped.startswith(fence) and stripped.strip("`") == "":
            fence = None
        if fence is None and not line.strip():
            blank += 1
            if blank > 1:
                continue
        else:
            blank = 0
        out.append(line.rstrip() if fence is None else line)
    return "\n".join(out).strip("\n") + "\n"
