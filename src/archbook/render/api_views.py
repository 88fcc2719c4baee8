"""The seed's wording for a raw OpenAPI security scheme, for views that only hold the raw document (GraphQL's
endpoint, whose auth names OpenAPI schemes). REST endpoints use the normalised `http_views.describe_scheme`."""
from __future__ import annotations

__all__ = ["describe_scheme"]


def describe_scheme(scheme: dict) -> str:
    """A security scheme in the seed's words: 'Bearer token', 'API key in header `X-Key`'."""
    kind = scheme.get("type")
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        fmt = scheme.get("bearerFormat")
        return f"Bearer token ({fmt})" if fmt else "Bearer token"
    if kind == "http":
        return f"HTTP {str(scheme.get('scheme', '')).capitalize()}"
    if kind in ("apiKey", "httpApiKey"):
        return f"API key in {scheme.get('in', 'header')} {scheme.get('name', '?')}"
    return {"oauth2": "OAuth 2.0", "openIdConnect": "OpenID Connect", "mutualTLS": "Mutual TLS",
            "userPassword": "User and password", "X509": "X.509 certificate"}.get(kind, str(kind))
