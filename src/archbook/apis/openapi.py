"""An OpenAPI 3.0.x / 3.1.x document (already read, resolved to one dict and validated) ->
the normalised `HttpApi` of `archbook.model.api`.

Why one builder: render, the checklist and the API diff then read one typed model instead of
each re-walking the raw document (and each forgetting a different corner of it). Local
`$ref`s to component schemas stay names; every other `$ref` (parameters, responses, bodies,
headers, examples, links, callbacks, path items, security schemes) is followed here.
"""
from __future__ import annotations

from typing import Any

from archbook.model.api import (
    HTTP_METHODS, UNSET, Callback, Encoding, Example, Header, HttpApi, HttpOperation, Link, MediaType, OAuthFlow,
    Parameter, Property, RequestBody, Response, Schema, SchemeUse, SecurityRequirement, SecurityScheme, Server, Tag,
)

__all__ = ["build_http_api", "SCHEMA_PREFIX"]

SCHEMA_PREFIX = "#/components/schemas/"
_LIMITS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
           "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains")


def build_http_api(doc: dict, file: str = "") -> HttpApi:
    """The normalised model of `doc` (a valid OpenAPI 3.0/3.1 document with local refs only)."""
    b = _Builder(doc)
    info = doc.get("info") or {}
    top_security = doc.get("security")
    return HttpApi(
        version=str(doc.get("openapi", "")), title=str(info.get("title", "")), api_version=str(info.get("version", "")),
        file=file, description=info.get("description"), summary=info.get("summary"),
        servers=b.servers(doc.get("servers")), tags=tuple(Tag(str(t.get("name")), t.get("description"))
                                                         for t in doc.get("tags") or [] if isinstance(t, dict)),
        operations=b.path_operations(doc.get("paths") or {}, top_security),
        webhooks=b.path_operations(doc.get("webhooks") or {}, top_security),
        schemas={name: b.schema(s) for name, s in ((doc.get("components") or {}).get("schemas") or {}).items()},
        security_schemes=b.security_schemes(),
        extensions=_extensions(doc),
    )


def _extensions(node: dict) -> dict[str, Any]:
    return {k: v for k, v in node.items() if isinstance(k, str) and k.startswith("x-")}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class _Builder:
    """Holds the document (for `$ref`s) and the 3.0-vs-3.1 switch while one model is built."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.v30 = str(doc.get("openapi", "")).startswith("3.0")
        self._inline: set[str] = set()  # non-component schema refs being expanded (cycle guard)

    # ------------------------------------------------------------------ refs
    def deref(self, node: Any) -> Any:
        """Follow local `$ref`s (bounded) to the object they name; unknown targets give {}."""
        for _ in range(32):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            node = self._pointer(node["$ref"])
        return {}

    def _pointer(self, ref: str) -> Any:
        node: Any = self.doc
        for raw in ref[2:].split("/") if ref.startswith("#/") else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return {}
        return node if ref.startswith("#") else {}

    # ------------------------------------------------------------------ operations
    def path_operations(self, paths: dict, top_security) -> tuple[HttpOperation, ...]:
        out = []
        for path, item in paths.items():
            item = self.deref(item)
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    out.append(self.operation(method, str(path), item, item[method], top_security))
        return tuple(out)

    def operation(self, method: str, path: str, item: dict, op: dict, top_security) -> HttpOperation:
        stated = op.get("security", top_security)
        docs = op.get("externalDocs")
        return HttpOperation(
            method=method, path=path, operation_id=_text(op.get("operationId")), summary=_text(op.get("summary")),
            description=_text(op.get("description")), tags=tuple(str(t) for t in op.get("tags") or []),
            deprecated=bool(op.get("deprecated")), parameters=self.parameters(item.get("parameters"), op.get("parameters")),
            request_body=self.request_body(op["requestBody"]) if "requestBody" in op else None,
            responses=tuple(self.response(str(code), r) for code, r in (op.get("responses") or {}).items()),
            security=self.requirements(stated or []), security_stated=stated is not None,
            callbacks=self.callbacks(op.get("callbacks") or {}, top_security),
            servers=self.servers(op.get("servers") or item.get("servers")),
            external_docs=_text(docs.get("url")) if isinstance(docs, dict) else None,
            extensions=_extensions(op),
        )

    def parameters(self, shared, own) -> tuple[Parameter, ...]:
        """Path-item parameters overridden by the operation's own (same name and location)."""
        merged: dict[tuple, Parameter] = {}
        for raw in list(shared or []) + list(own or []):
            p = self.deref(raw)
            if isinstance(p, dict) and "name" in p:
                param = self.parameter(p)
                merged[(param.name, param.location)] = param
        return tuple(merged.values())

    def parameter(self, p: dict) -> Parameter:
        return Parameter(
            name=str(p["name"]), location=str(p.get("in", "query")), description=_text(p.get("description")),
            required=bool(p.get("required")), deprecated=bool(p.get("deprecated")),
            schema=self.schema(p["schema"]) if "schema" in p else None, content=self.content(p.get("content")),
            style=_text(p.get("style")), explode=p.get("explode"), allow_empty_value=bool(p.get("allowEmptyValue")),
            allow_reserved=bool(p.get("allowReserved")), examples=self.examples(p), extensions=_extensions(p))

    def request_body(self, raw) -> RequestBody:
        body = self.deref(raw) or {}
        return RequestBody(_text(body.get("description")), bool(body.get("required")), self.content(body.get("content")))

    def response(self, status: str, raw) -> Response:
        r = self.deref(raw) or {}
        return Response(
            status=status, description=str(r.get("description") or ""),
            headers=tuple(self.header(n, h) for n, h in (r.get("headers") or {}).items()),
            content=self.content(r.get("content")),
            links=tuple(self.link(n, link) for n, link in (r.get("links") or {}).items()))

    def header(self, name: str, raw) -> Header:
        h = self.deref(raw) or {}
        schema = h.get("schema")
        if schema is None and isinstance(h.get("content"), dict) and h["content"]:
            schema = (next(iter(h["content"].values())) or {}).get("schema")
        return Header(str(name), _text(h.get("description")), bool(h.get("required")), bool(h.get("deprecated")),
                      self.schema(schema) if schema is not None else None, self.examples(h))

    def link(self, name: str, raw) -> Link:
        link = self.deref(raw) or {}
        server = link.get("server")
        return Link(str(name), _text(link.get("operationId")), _text(link.get("operationRef")),
                    dict(link.get("parameters") or {}), link.get("requestBody", UNSET), _text(link.get("description")),
                    _text(server.get("url")) if isinstance(server, dict) else None)

    def content(self, content) -> tuple[MediaType, ...]:
        out = []
        for kind, media in (content or {}).items() if isinstance(content, dict) else []:
            media = media if isinstance(media, dict) else {}
            enc = tuple(Encoding(str(n), _text(e.get("contentType")), _text(e.get("style")), e.get("explode"),
                                 tuple(self.header(hn, h) for hn, h in (e.get("headers") or {}).items()))
                        for n, e in (media.get("encoding") or {}).items() if isinstance(e, dict))
            out.append(MediaType(str(kind), self.schema(media["schema"]) if "schema" in media else None,
                                 self.examples(media), enc))
        return tuple(out)

    def examples(self, holder: dict) -> tuple[Example, ...]:
        out = []
        for name, ex in (holder.get("examples") or {}).items() if isinstance(holder.get("examples"), dict) else []:
            ex = self.deref(ex)
            if isinstance(ex, dict):
                out.append(Example(str(name), ex.get("value", UNSET), _text(ex.get("summary")),
                                   _text(ex.get("description")), _text(ex.get("externalValue"))))
        if "example" in holder:
            out.append(Example("", holder["example"]))
        return tuple(out)

    def callbacks(self, callbacks: dict, top_security) -> tuple[Callback, ...]:
        out = []
        for name, cb in callbacks.items():
            cb = self.deref(cb) or {}
            for expression, item in cb.items():
                if not str(expression).startswith("x-"):
                    ops = self.path_operations({expression: item}, top_security)
                    out.append(Callback(str(name), str(expression), ops))
        return tuple(out)

    def servers(self, servers) -> tuple[Server, ...]:
        return tuple(Server(str(s.get("url", "")), _text(s.get("description")), dict(s.get("variables") or {}))
                     for s in servers or [] if isinstance(s, dict))

    # ------------------------------------------------------------------ security
    def requirements(self, reqs: list) -> tuple[SecurityRequirement, ...]:
        return tuple(SecurityRequirement(tuple(SchemeUse(str(n), tuple(str(s) for s in scopes or []))
                                               for n, scopes in req.items()))
                     for req in reqs if isinstance(req, dict))

    def security_schemes(self) -> dict[str, SecurityScheme]:
        raw = (self.doc.get("components") or {}).get("securitySchemes") or {}
        return {str(name): self.security_scheme(str(name), self.deref(s) or {}) for name, s in raw.items()}

    @staticmethod
    def security_scheme(name: str, s: dict) -> SecurityScheme:
        flows = tuple(OAuthFlow(str(kind), _text(f.get("authorizationUrl")), _text(f.get("tokenUrl")),
                                _text(f.get("refreshUrl")), {str(k): str(v) for k, v in (f.get("scopes") or {}).items()})
                      for kind, f in (s.get("flows") or {}).items() if isinstance(f, dict))
        return SecurityScheme(name, str(s.get("type", "")), _text(s.get("description")), _text(s.get("scheme")),
                              _text(s.get("bearerFormat")), _text(s.get("in")), _text(s.get("name")), flows,
                              _text(s.get("openIdConnectUrl")))

    # ------------------------------------------------------------------ schemas
    def schema(self, raw: Any) -> Schema:
        if isinstance(raw, bool):  # 3.1: `true` accepts anything, `false` nothing
            return Schema() if raw else Schema(not_=Schema())
        if not isinstance(raw, dict):
            return Schema()
        ref = raw.get("$ref")
        if isinstance(ref, str):
            if ref.startswith(SCHEMA_PREFIX) and "/" not in ref[len(SCHEMA_PREFIX):]:
                return Schema(ref=ref[len(SCHEMA_PREFIX):].replace("~1", "/").replace("~0", "~"))
            return self._inline_ref(ref)
        return self._schema_body(raw)

    def _inline_ref(self, ref: str) -> Schema:
        """A ref to a schema that is not a named component (`#/components/schemas/A/properties/b`)."""
        if ref in self._inline:  # recursive through a non-component pointer: name it by its pointer
            return Schema(ref=ref.lstrip("#/"))
        self._inline.add(ref)
        try:
            return self.schema(self._pointer(ref))
        finally:
            self._inline.discard(ref)

    def _schema_body(self, s: dict) -> Schema:
        types = s.get("type")
        types = tuple(str(t) for t in types) if isinstance(types, list) else ((str(types),) if types else ())
        if self.v30 and s.get("nullable") and "null" not in types:
            types += ("null",)
        required = set(s.get("required") or []) if isinstance(s.get("required"), list) else set()
        props = s.get("properties") if isinstance(s.get("properties"), dict) else {}
        extra = s.get("additionalProperties")
        disc = s.get("discriminator")
        example = s["examples"][0] if isinstance(s.get("examples"), list) and s["examples"] else s.get("example", UNSET)
        return Schema(
            type=types, format=_text(s.get("format")), title=_text(s.get("title")), description=_text(s.get("description")),
            enum=tuple(s["enum"]) if isinstance(s.get("enum"), list) else None, const=s.get("const", UNSET),
            default=s.get("default", UNSET), example=example, pattern=_text(s.get("pattern")), limits=self._limits(s),
            properties=tuple(Property(str(n), self.schema(sub), n in required) for n, sub in props.items()),
            additional=self.schema(extra) if isinstance(extra, dict) else (False if extra is False else None),
            items=self.schema(s["items"]) if isinstance(s.get("items"), (dict, bool)) else None,
            prefix_items=self._list(s.get("prefixItems")), all_of=self._list(s.get("allOf")),
            one_of=self._list(s.get("oneOf")), any_of=self._list(s.get("anyOf")),
            not_=self.schema(s["not"]) if "not" in s else None,
            discriminator=_text(disc.get("propertyName")) if isinstance(disc, dict) else None,
            read_only=bool(s.get("readOnly")), write_only=bool(s.get("writeOnly")), deprecated=bool(s.get("deprecated")),
            extensions=_extensions(s))

    def _list(self, value) -> tuple[Schema, ...]:
        return tuple(self.schema(v) for v in value) if isinstance(value, list) else ()

    def _limits(self, s: dict) -> dict[str, Any]:
        out = {k: s[k] for k in _LIMITS if k in s and not isinstance(s[k], bool)}
        for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            if s.get(flag) is True and bound in s:  # 3.0: boolean flag on the bound
                out[flag] = out.pop(bound)
        return out
