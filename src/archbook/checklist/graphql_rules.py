"""The seed's API items for a GraphQL API: what each one lacks, named exactly.

`with_graphql(gaps, ok)` extends a REST rule of `builtin`: a system with only GraphQL is judged on
it alone, one with both on both, one without GraphQL exactly as before.
"""
from __future__ import annotations

import functools

from archbook.checklist.registry import gaps_reason
from archbook.model.graphql import response_error_codes

__all__ = ["with_graphql", "documented", "schemas", "error_codes", "authentication", "rate_limits", "subscriptions"]


def with_graphql(gaps, ok: str, *, rest_only_if_documented: bool = True):
    """Decorate a REST rule so that it also reports the GraphQL API's `gaps(system)`.

    The REST rule is skipped when the system has no REST operations (it would only say so),
    unless `rest_only_if_documented` is False (the WebSocket rule, which stands on its own)."""
    def deco(rest_rule):
        @functools.wraps(rest_rule)
        def rule(system):
            if system.graphql is None:
                return rest_rule(system)
            found = gaps(system)
            if rest_only_if_documented and not system.operations():
                return gaps_reason(found, f"GraphQL: {ok}")
            passed, reason = rest_rule(system)
            if passed and not found:
                return True, f"{reason}; GraphQL: {ok}"
            return False, "; ".join(([] if passed else [reason]) + found)
        return rule
    return deco


def documented(system) -> list[str]:
    api = system.graphql
    gaps = [f"{op.ref} has no description" for op in api.operations if not op.field.description]
    gaps += [f"{op.ref} has no example operation" for op in api.operations if not op.examples]
    return gaps


def schemas(system) -> list[str]:
    """The schema types every argument and result; what can be missing is an example's response."""
    return [f"{op.ref} example {ex.name} has no response ({ex.name}.response.json)"
            for op in system.graphql.operations for ex in op.examples if ex.response is None]


def error_codes(system) -> list[str]:
    api = system.graphql
    documented_codes = {c.code for c in api.config.error_codes}
    gaps = [] if documented_codes else ["the GraphQL API documents no error codes (add graphql.error_codes)"]
    for op in api.operations:
        for ex in op.examples:
            gaps += [f"example {ex.name} uses error code {code} that graphql.error_codes does not document"
                     for code in response_error_codes(ex.response) if documented_codes and code not in documented_codes]
    return list(dict.fromkeys(gaps))


def authentication(system) -> list[str]:
    cfg = system.graphql.config
    if not cfg.security and not cfg.authentication:
        return ["the GraphQL endpoint does not state its authentication (add graphql.security or graphql.authentication)"]
    schemes = ((system.openapi or {}).get("components") or {}).get("securitySchemes") or {}
    return [f"the GraphQL endpoint uses undefined security scheme {name!r}" for name in cfg.security if name not in schemes]


def rate_limits(system) -> list[str]:
    return [] if system.graphql.config.rate_limit else ["the GraphQL endpoint has no rate limit (add graphql.rate_limit)"]


def subscriptions(system) -> list[str]:
    api = system.graphql
    subs = [op.ref for op in api.roots("subscription")]
    if subs and api.config.subscriptions is None:
        return [f"{subs[0]} has no transport (add graphql.subscriptions: {{transport: graphql-ws}})"]
    return []
