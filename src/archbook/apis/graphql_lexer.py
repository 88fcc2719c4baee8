"""A faster lexer for graphql-core's parser: the same tokens, found with regular expressions.

graphql-core's lexer walks the source one character at a time in Python; for a 1.2 MB schema
that is 0.4 s, most of the parse. Schemas are mostly names, punctuation and plain block-string
descriptions, so those are matched here with `re` (in C). Anything else (numbers, comments,
escapes, carriage returns, every error) is left to graphql-core's own code at that position,
so its tokens, values, lines, columns and syntax errors stay exactly what they were. The
parser takes a lexer as an argument for this purpose ("You may override the lexer used").
"""
from __future__ import annotations

import re

from graphql import DocumentNode, Source
from graphql.language.block_string import dedent_block_string_lines
from graphql.language.lexer import Lexer
from graphql.language.parser import Parser, nested_too_deeply_error
from graphql.language.token_kind import TokenKind

__all__ = ["FastLexer", "parse_document"]

_IGNORED = re.compile(r"[ \t,\ufeff\n]*")  # a CR is left to graphql-core (its CRLF rules)
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_STRING = re.compile(r'"([^"\\\r\n\ud800-\udfff]*)"')  # no escapes, no line ends, no lone surrogates
_BLOCK_UNSAFE = re.compile(r"[\\\r\ud800-\udfff]")  # escapes, CRs and surrogates take the slow path
_PUNCT = {"!": TokenKind.BANG, "$": TokenKind.DOLLAR, "&": TokenKind.AMP, "(": TokenKind.PAREN_L,
          ")": TokenKind.PAREN_R, ":": TokenKind.COLON, "=": TokenKind.EQUALS, "@": TokenKind.AT,
          "[": TokenKind.BRACKET_L, "]": TokenKind.BRACKET_R, "{": TokenKind.BRACE_L, "|": TokenKind.PIPE,
          "}": TokenKind.BRACE_R}


class FastLexer(Lexer):
    """graphql-core's `Lexer` with fast paths for the common tokens."""

    def read_next_token(self, start: int) -> object:
        body = self.source.body
        position = _IGNORED.match(body, start).end()
        if position > start:
            newlines = body.count("\n", start, position)
            if newlines:
                self.line += newlines
                self.line_start = body.rfind("\n", start, position) + 1
        char = body[position:position + 1]
        kind = _PUNCT.get(char)
        if kind is not None:
            return self.create_token(kind, position, position + 1)
        if char == '"':
            token = self._block_string(body, position) if body.startswith('"""', position) else self._string(body, position)
            if token is not None:
                return token
        elif char and (char == "_" or char.isascii() and char.isalpha()):
            end = _NAME.match(body, position).end()
            return self.create_token(TokenKind.NAME, position, end, body[position:end])
        return super().read_next_token(position)

    def _string(self, body: str, position: int) -> object | None:
        match = _STRING.match(body, position)
        if match is None:
            return None
        return self.create_token(TokenKind.STRING, position, match.end(), match.group(1))

    def _block_string(self, body: str, position: int) -> object | None:
        """A block string without escapes or CRs: its raw lines, dedented as graphql-core does."""
        end = body.find('"""', position + 3)
        if end < 0 or _BLOCK_UNSAFE.search(body, position + 3, end):
            return None
        lines = body[position + 3:end].split("\n")
        token = self.create_token(TokenKind.BLOCK_STRING, position, end + 3,
                                  "\n".join(dedent_block_string_lines(lines)))
        if len(lines) > 1:
            self.line += len(lines) - 1
            self.line_start = end - len(lines[-1])
        return token


def parse_document(source: Source) -> DocumentNode:
    """`graphql.parse(source)` with `FastLexer`: the same document, the same errors."""
    parser = Parser(source, lexer=FastLexer(source))
    try:
        return parser.parse_document()
    except RecursionError:
        pass
    raise nested_too_deeply_error(parser)
