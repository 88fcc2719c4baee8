"""Check ids for schema changes, per direction: what narrows a request or widens a response breaks.

A client *sends* requests, so a request schema that accepts less (a lower maximum, a new
required property, a removed enum value) rejects what used to work. A client *reads*
responses, so a response schema that may return more (a higher maximum, a new enum value,
a property that may now be missing) surprises code written against the old one.
"""
from __future__ import annotations

from archbook.diff.registry import define

__all__ = ["UPPER", "LOWER", "bound_id"]

UPPER = {"maximum": "max", "exclusiveMaximum": "max", "maxLength": "max-length", "maxItems": "max-items"}
LOWER = {"minimum": "min", "exclusiveMinimum": "min", "minLength": "min-length", "minItems": "min-items"}
_API = "openapi"


def bound_id(subject: str, name: str, move: str) -> str:
    return f"{subject}-{name}-{move}"


def _bounds() -> None:
    """Request narrowing is breaking (a newly set limit only a warning); response widening is breaking."""
    for subject in ("request-property", "request-parameter", "request-body"):
        for name in sorted(set(UPPER.values())):
            define(bound_id(subject, name, "decreased"), "breaking", _API, f"{subject} {name} lowered: values once accepted are rejected",
                   "send values within the new limit")
            define(bound_id(subject, name, "increased"), "info", _API, f"{subject} {name} raised")
            define(bound_id(subject, name, "set"), "warning", _API, f"{subject} gained a {name} limit",
                   "send values within the new limit")
        for name in sorted(set(LOWER.values())):
            define(bound_id(subject, name, "increased"), "breaking", _API, f"{subject} {name} raised: values once accepted are rejected",
                   "send values within the new limit")
            define(bound_id(subject, name, "decreased"), "info", _API, f"{subject} {name} lowered")
            define(bound_id(subject, name, "set"), "warning", _API, f"{subject} gained a {name} limit",
                   "send values within the new limit")
    for subject in ("response-property", "response-body"):
        for name in sorted(set(UPPER.values())):
            define(bound_id(subject, name, "increased"), "breaking", _API, f"{subject} {name} raised: larger values may come back",
                   "accept the larger values")
            define(bound_id(subject, name, "unset"), "breaking", _API, f"{subject} {name} limit removed",
                   "accept values of any size")
        for name in sorted(set(LOWER.values())):
            define(bound_id(subject, name, "decreased"), "breaking", _API, f"{subject} {name} lowered: smaller values may come back",
                   "accept the smaller values")
            define(bound_id(subject, name, "unset"), "breaking", _API, f"{subject} {name} limit removed",
                   "accept values of any size")


def _request() -> None:
    for subject in ("request-property", "request-parameter"):
        define(f"{subject}-enum-value-removed", "breaking", _API, f"{subject} no longer accepts an enum value",
               "stop sending the removed value")
        define(f"{subject}-enum-value-added", "info", _API, f"{subject} accepts a new enum value")
        define(f"{subject}-became-enum", "breaking", _API, f"{subject} is now restricted to an enum",
               "send only the listed values")
        define(f"{subject}-type-changed", "breaking", _API, f"{subject} type changed", "send the new type")
        define(f"{subject}-type-generalized", "info", _API, f"{subject} accepts more types")
        define(f"{subject}-pattern-added", "warning", _API, f"{subject} gained a pattern", "send values matching the pattern")
        define(f"{subject}-pattern-changed", "warning", _API, f"{subject} pattern changed", "send values matching the new pattern")
        define(f"{subject}-pattern-removed", "info", _API, f"{subject} pattern removed")
    define("request-body-type-changed", "breaking", _API, "request body type changed", "send the new type")
    define("request-body-type-generalized", "info", _API, "request body accepts more types")
    define("request-property-became-not-nullable", "breaking", _API, "request property no longer accepts null",
           "stop sending null")
    define("request-property-became-nullable", "info", _API, "request property accepts null")
    define("request-property-removed", "warning", _API, "request property removed: the server ignores or rejects it",
           "stop sending the property")
    define("new-required-request-property", "breaking", _API, "new required request property", "send the new property")
    define("new-required-request-property-with-default", "info", _API, "new required request property that has a default")
    define("new-optional-request-property", "info", _API, "new optional request property")
    define("request-property-became-required", "breaking", _API, "request property became required", "always send the property")
    define("request-property-became-optional", "info", _API, "request property became optional")
    define("request-property-one-of-removed", "breaking", _API, "request oneOf lost a variant", "send one of the remaining variants")
    define("request-property-any-of-removed", "breaking", _API, "request anyOf lost a variant", "send one of the remaining variants")
    define("request-property-one-of-added", "info", _API, "request oneOf gained a variant")
    define("request-property-any-of-added", "info", _API, "request anyOf gained a variant")


def _response() -> None:
    define("response-property-enum-value-added", "warning", _API, "response property may return a new enum value",
           "handle the new value (or an unknown one)")
    define("response-property-enum-value-removed", "info", _API, "response property no longer returns an enum value")
    define("response-property-type-changed", "breaking", _API, "response property type changed", "read the new type")
    define("response-body-type-changed", "breaking", _API, "response body type changed", "read the new type")
    define("response-property-became-nullable", "breaking", _API, "response property may now be null", "handle null")
    define("response-property-pattern-added", "info", _API, "response property gained a pattern")
    define("response-property-pattern-changed", "info", _API, "response property pattern changed")
    define("response-property-pattern-removed", "info", _API, "response property pattern removed")
    define("response-required-property-removed", "breaking", _API, "required response property removed",
           "stop reading the property")
    define("response-optional-property-removed", "warning", _API, "optional response property removed",
           "stop reading the property")
    define("response-required-property-added", "info", _API, "new required response property")
    define("response-optional-property-added", "info", _API, "new optional response property")
    define("response-property-became-optional", "breaking", _API, "response property may now be missing",
           "handle the property being absent")
    define("response-property-became-required", "info", _API, "response property is now always present")
    define("response-property-one-of-added", "info", _API, "response oneOf gained a variant", "handle the new variant")
    define("response-property-any-of-added", "info", _API, "response anyOf gained a variant", "handle the new variant")
    define("response-property-one-of-removed", "info", _API, "response oneOf lost a variant")
    define("response-property-any-of-removed", "info", _API, "response anyOf lost a variant")


_bounds()
_request()
_response()
