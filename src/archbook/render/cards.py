"""One card per thing, each from its own overridable template: component, pattern, endpoint,
AsyncAPI channel (and the AsyncAPI overview) and the versioning strategy. Each returns Markdown text."""
from __future__ import annotations

from functools import partial

from markupsafe import Markup

from archbook.model.api import HttpApi, HttpOperation
from archbook.model.asyncapi import Channel
from archbook.model.architecture import Architecture, Component
from archbook.model.graphql import GraphQLApi
from archbook.model.patterns import Pattern
from archbook.model.versioning import Versioning
from archbook.render import markdown as md
from archbook.render import http_views
from archbook.render.asyncapi_views import channel_view, event_heading, overview_view
from archbook.render.graphql_views import operation_view
from archbook.render.templating import environment

__all__ = ["component_card", "pattern_card", "endpoint_doc", "websocket_doc", "asyncapi_doc", "versioning_doc",
           "graphql_operation_doc"]


def _name(arch: Architecture | None, cid: str) -> str:
    try:
        return arch.component(cid).name if arch is not None else cid
    except KeyError:
        return cid


def component_card(comp: Component, arch: Architecture, *, template_dirs=None, neighbourhood=None, index=None) -> str:
    """The seed's component card; "Consumed By" is derived from the other components' dependencies.

    `neighbourhood` (a Mermaid block, large systems only) is drawn at the end of the card; `index`
    (an `archbook.model.view_graph.Index`) makes a thousand cards linear instead of quadratic.
    """
    if index is None:
        incoming = [(c, d) for c in arch.consumed_by(comp.id) for d in c.depends_on if d.target == comp.id]
        name = partial(_name, arch)
    else:
        incoming = index.incoming[comp.id]
        name = lambda cid: index.by_id[cid].name if cid in index.by_id else cid  # noqa: E731
    data = [d.data for d in comp.depends_on] + [d.data for _, d in incoming]  # protocols: see tables.dependencies
    return environment(template_dirs).get_template("component_card.md.j2").render(
        c=comp,
        depends_on=list(dict.fromkeys(name(d.target) for d in comp.depends_on)),
        consumed_by=list({c.id: c.name for c, _ in incoming}.values()),
        data_exchanged=list(dict.fromkeys(data)),
        neighbourhood=neighbourhood,
    )


def pattern_card(pattern: Pattern, arch: Architecture | None = None, *, template_dirs=None) -> str:
    """The seed's pattern card; usage references are shown by component name."""
    usage = [{"description": u.description, "components": [_name(arch, c) for c in u.components]}
             for u in pattern.usage]
    return environment(template_dirs).get_template("pattern_card.md.j2").render(p=pattern, usage=usage)


def endpoint_doc(op: HttpOperation, api: HttpApi, *, template_dirs=None) -> str:
    """The seed's endpoint template for one normalised OpenAPI operation: every parameter, media type,
    response header, link, security alternative and callback; named schemas by name."""
    view = http_views.endpoint_view(op, api)
    errors = md.table(["Code", "Message", "Description"], [list(row) for row in view.error_codes]) \
        if view.error_codes else Markup("*No error responses documented*")
    return environment(template_dirs).get_template("endpoint.md.j2").render(
        e=view, error_table=errors, locations=http_views.LOCATIONS)


def websocket_doc(channel: Channel, asyncapi: dict, *, template_dirs=None) -> str:
    """The seed's WebSocket section for one AsyncAPI channel, with the connection its protocol uses."""
    return environment(template_dirs).get_template("websocket.md.j2").render(
        w=channel_view(channel, asyncapi), table=md.table)


def asyncapi_doc(system, *, template_dirs=None) -> str:
    """The AsyncAPI part of 5.3, one part per document: version, servers, security schemes, then
    one card per channel. No document still gives the seed's heading and its "none" line."""
    env = environment(template_dirs)
    card_template = env.get_template("websocket.md.j2")  # fetched once: thousands of channels stay fast

    def card(ch, root):
        return Markup(card_template.render(w=channel_view(ch, root), table=md.table).rstrip("\n"))

    parts = [env.get_template("asyncapi.md.j2").render(
        heading=event_heading(api), o=overview_view(api) if api else None, channels=list(api.channels) if api else [],
        root=root, websocket_doc=card, table=md.table) for root, api in system.event_documents() or [({}, None)]]
    return "\n".join(parts)


def versioning_doc(versioning: Versioning, *, template_dirs=None) -> str:
    """The API versioning strategy, support periods and deprecation process."""
    return environment(template_dirs).get_template("versioning.md.j2").render(v=versioning)


def graphql_operation_doc(api: GraphQLApi, ref: str, *, template_dirs=None) -> str:
    """One GraphQL root operation (`Query.job`): arguments, return type, examples."""
    return environment(template_dirs).get_template("graphql_operation.md.j2").render(op=operation_view(api, ref))
