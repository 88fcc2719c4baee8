"""The openapi-spec-validator verdict cache: only passing documents, keyed by content, can be turned off."""
from __future__ import annotations

import copy

import pytest

from archbook.load import verdicts
from archbook.load.openapi import check_openapi
from archbook.load.yamlsrc import LineMap

DOC = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
       "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}}}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ARCHBOOK_NO_CACHE", raising=False)
    return tmp_path / "cache"


def _explode(*args, **kwargs):
    raise AssertionError("openapi-spec-validator should not run on a cache hit")


def test_a_passing_document_is_not_validated_twice(cache, monkeypatch):
    assert check_openapi(copy.deepcopy(DOC), "o.yaml", LineMap(1)) == []
    assert len(list(cache.iterdir())) == 1
    import openapi_spec_validator

    monkeypatch.setattr(openapi_spec_validator, "OpenAPIV31SpecValidator", _explode)
    assert check_openapi(copy.deepcopy(DOC), "o.yaml", LineMap(1)) == []


def test_a_changed_document_is_validated_again(cache):
    check_openapi(copy.deepcopy(DOC), "o.yaml", LineMap(1))
    bad = copy.deepcopy(DOC)
    bad["paths"]["/a"]["get"]["responses"]["200"] = {"descriptio": "ok"}
    problems = check_openapi(bad, "o.yaml", LineMap(1))
    assert [p.message for p in problems] == ["invalid OpenAPI: unknown key `descriptio`"]
    assert len(list(cache.iterdir())) == 1  # failing verdicts are never stored
    assert not verdicts.is_known_valid(bad)


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("ARCHBOOK_NO_CACHE", "1")
    assert check_openapi(copy.deepcopy(DOC), "o.yaml", LineMap(1)) == []
    assert not cache.exists() and verdicts.cache_dir() is None


def test_an_unwritable_cache_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ARCHBOOK_CACHE_DIR", str(blocker / "sub"))
    monkeypatch.delenv("ARCHBOOK_NO_CACHE", raising=False)
    assert check_openapi(copy.deepcopy(DOC), "o.yaml", LineMap(1)) == []
    assert not verdicts.is_known_valid(DOC)
