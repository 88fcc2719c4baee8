"""The whole "Section 05: Architecture & Design" document, or one of its sections, as Markdown."""
from __future__ import annotations

import re
from functools import partial

from markupsafe import Markup

from archbook.model.system import SystemModel
from archbook.render import cards
from archbook.render.asyncapi_views import event_heading
from archbook.render.graphql_views import graphql_view
from archbook.render.changelog import changelog_doc
from archbook.render.mermaid import architecture_diagram, sequence_diagram
from archbook.render.templating import environment
from archbook.render.views import views_context

__all__ = ["render_document", "render_section", "SECTIONS"]

SECTIONS = {"5.1": "section_5_1.md.j2", "5.2": "section_5_2.md.j2", "5.3": "section_5_3.md.j2"}


def _markup(func):
    return lambda *a, **k: Markup(func(*a, **k).rstrip("\n"))


def _context(system: SystemModel, template_dirs, results=None, changes=None) -> dict:
    """Everything the templates see; card helpers render through the same (overridable) templates."""
    by_tag: dict[str, list] = {}
    for api in system.http_apis:
        for op in api.operations:
            by_tag.setdefault((op.tags or ("Endpoints",))[0], []).append((op, api))
    ctx = {
        "system": system, "arch": system.architecture, "info": system.architecture.system,
        "operations_by_tag": list(by_tag.items()),
        "architecture_diagram": architecture_diagram, "sequence_diagram": sequence_diagram,
        "http_extras": partial(_http_extras, template_dirs=template_dirs),
        "gql": graphql_view(system.graphql, system.openapi) if system.graphql else None,
    }
    ctx["asyncapi_heading"] = event_heading(system.event_api())
    ctx["changelog"] = Markup(changelog_doc(system.versioning, changes))
    ctx.update(views_context(system.architecture))
    for name in ("component_card", "pattern_card", "endpoint_doc", "websocket_doc", "asyncapi_doc", "versioning_doc"):
        ctx[name] = _markup(partial(getattr(cards, name), template_dirs=template_dirs))
    if results is not None:
        from archbook.checklist import summary
        from archbook.render.checklist import checklist_table

        ctx["checklist_table"] = Markup(checklist_table(results))
        ctx["checklist_summary"] = summary(results)
    return ctx


def _http_extras(api, *, template_dirs=None) -> dict:
    """Webhooks (rendered with the endpoint template), security schemes and the named types of one API."""
    from archbook.render.http_views import scheme_details
    from archbook.render.types_text import ts_definition

    hooks = [Markup(cards.endpoint_doc(op, api, template_dirs=template_dirs).rstrip("\n").replace(
        "##### Endpoint:", "##### Webhook:", 1)) for op in api.webhooks]
    types = "\n\n".join(ts_definition(name, s) for name, s in api.schemas.items())
    return {"webhooks": hooks, "schemes": [(n, scheme_details(n, s)) for n, s in api.security_schemes.items()],
            "types": types}


def render_document(system: SystemModel, *, template_dirs=None, results=None, include_custom: bool = True,
                    changes=None) -> str:
    """The finished document: title, contents, 5.1-5.3, the quality checklist and version history.

    `results` lets a caller reuse an evaluated checklist; otherwise it is evaluated here.
    `changes` (an `archbook.diff.DiffReport` against the previous version) fills 5.3's changelog.
    """
    if results is None:
        from archbook.checklist import evaluate

        results = evaluate(system, include_custom=include_custom)
    text = environment(template_dirs).get_template("document.md.j2").render(
        **_context(system, template_dirs, results, changes))
    return _tidy(text)


def render_section(system: SystemModel, section: str, *, template_dirs=None, changes=None) -> str:
    """One section ("5.1", "5.2" or "5.3") on its own, for notebooks."""
    if section not in SECTIONS:
        raise KeyError(f"unknown section {section!r}; choose one of {', '.join(SECTIONS)}")
    return _tidy(environment(template_dirs).get_template(SECTIONS[section]).render(**_context(system, template_dirs, changes=changes)))


_FENCE = re.compile(r"^[ \t]*(`{3,})[^\n]*\n.*?^[ \t]*\1`*[ \t]*$", re.M | re.S)
_TRAILING = re.compile(r"[ \t]+$", re.M)
_BLANKS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """Collapse runs of blank lines and trailing spaces outside code fences (templates stay readable,
    output stays tidy). Regex per segment: a 250-operation document is megabytes of text."""
    out, pos = [], 0
    for m in _FENCE.finditer(text):
        out += [_collapse(text[pos:m.start()]), m.group()]
        pos = m.end()
    out.append(_collapse(text[pos:]))
    return "".join(out).strip("\n") + "\n"


def _collapse(segment: str) -> str:
    return _BLANKS.sub("\n\n", _TRAILING.sub("", segment))
