"""FastLexer must give exactly graphql-core's tokens, values, lines, columns and syntax errors."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from graphql import GraphQLSyntaxError, Source, parse
from graphql.language.lexer import Lexer
from graphql.language.token_kind import TokenKind

from archbook.apis.graphql_lexer import FastLexer, parse_document

DATA = Path(__file__).resolve().parents[1] / "data" / "graphql"


def _tokens(lexer_cls, text: str):
    lexer = lexer_cls(Source(text, "t.graphql"))
    out = []
    try:
        while True:
            tok = lexer.advance()
            out.append((tok.kind, tok.start, tok.end, tok.line, tok.column, tok.value))
            if tok.kind == TokenKind.EOF:
                return out, None
    except GraphQLSyntaxError as exc:
        return out, (exc.message, exc.locations)


@pytest.mark.parametrize("path", [DATA / "github" / "schema.graphql", DATA / "swapi" / "schema.graphql"])
def test_real_schemas_lex_identically(path):
    text = path.read_text(encoding="utf-8")
    assert _tokens(FastLexer, text) == _tokens(Lexer, text)
    assert parse_document(Source(text)).to_dict() == parse(Source(text)).to_dict()


ODD = [
    'type A { "esc \\" \\u00e9 \\n" a: Int }', '"""\r\n  block\r\n   text\r\n"""\ntype B { b: [Int!]! }',
    '"""a \\""" b"""', '"unterminated', '"""never closed', 'type 1A', "query { a(x: -1.5e3, y: 0x1) }",
    "# comment\n\ttype  C\ufeff{c:String}", '"\ud83d\ude00 emoji" scalar S', "type D { d: Int } ~",
    '"line\nbreak"', "enum E { A B }\n\n\n\"\"\"\n  multi\n\n  line\n\"\"\"\ntype F { f: E }",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_inputs_lex_and_fail_identically(text):
    assert _tokens(FastLexer, text) == _tokens(Lexer, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('abAZ_09 \t\n\r,"\\{}()[]:!=@$&|.-#é\ufeffu')), max_size=60))
def test_random_text_lexes_identically(text):
    assert _tokens(FastLexer, text) == _tokens(Lexer, text)
