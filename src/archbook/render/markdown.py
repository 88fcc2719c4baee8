"""Markdown escaping and small builders. User text never reaches the document raw.

`text()` is for running text and list items, `cell()` for table cells, `code_block()`
for fenced code (the fence grows longer than any backtick run inside, so code cannot
close it). HTML-significant characters become entities, so no raw HTML passes through.
"""
from __future__ import annotations

import functools
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

__all__ = ["text", "cell", "prose", "warnings", "code_block", "mermaid_block", "table", "anchor", "inline_code", "Markup"]

# GitHub-like allow-list for raw HTML inside user Markdown; everything else is dropped by nh3.
_HTML_TAGS = {"a", "b", "i", "em", "strong", "code", "kbd", "sub", "sup", "del", "s", "br", "abbr", "mark", "small"}
_HTML_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}}
_SCHEMES = {"http", "https", "mailto"}
_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_PARSER = MarkdownIt("commonmark")
_PARSER.validateLink = lambda url: True  # see every destination, so unsafe ones are caught below
_SENTINEL = "archbook-end-of-user-text"
# Text without these cannot hold HTML, a link, code or a fence, so it is already what `prose` returns.
_MARKUP_CHARS = re.compile(r"[<>&\[\]`~\\]")

_MD = str.maketrans({
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "|": "\\|",
    "<": "&lt;", ">": "&gt;", "&": "&amp;", "#": "\\#", "~": "\\~", "!": "\\!",
})
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])(?=\s|$)", re.MULTILINE)


def _escape_marker(m: re.Match) -> str:
    """`- x` -> `\\- x`; `1. x` -> `1\\. x` (CommonMark only lets punctuation be escaped)."""
    marker = m.group(2)
    if marker[0].isdigit():
        return m.group(1) + marker[:-1] + "\\" + marker[-1]
    return m.group(1) + "\\" + marker


def text(value: object) -> Markup:
    """Escape running text: emphasis, links, code, headings, list markers and HTML are inert."""
    out = str(value).translate(_MD)
    out = _LINE_START.sub(_escape_marker, out)
    return Markup(out)


def cell(value: object) -> Markup:
    """Escape a table cell: like `text`, flattened to one line (a newline would end the row)."""
    flat = " ".join(str(value).split())
    return Markup(flat.translate(_MD)) if flat else Markup("&nbsp;")


def prose(value: object, inline: bool = False) -> Markup:
    """User Markdown that keeps its formatting (links, emphasis, code), as GitHub shows it.

    Raw HTML outside code is cleaned by nh3 (an allow-list; `<script>`, event handlers and
    `javascript:` URLs go); a Markdown link or image whose URL is not http(s), mailto or relative,
    and text that would swallow what follows (an unclosed fence), fall back to `text()`, inert.
    `inline=True` keeps it on one line (list items, `**Label:** value` lines).
    """
    if value is None:
        return Markup("")
    source = " ".join(str(value).split()) if inline else str(value).strip("\n")
    if not _MARKUP_CHARS.search(source):
        return Markup(source.strip())  # the common case, without a parse (a large API has thousands)
    return _prose_markup(source)


@functools.lru_cache(maxsize=4096)
def _prose_markup(source: str) -> Markup:
    """The sanitising path of `prose`; cached, since large APIs repeat their descriptions."""
    parts, at = [], 0
    for m in _CODE.finditer(source):
        parts += [_clean_html(source[at:m.start()]), m.group(0)]
        at = m.end()
    cleaned = "".join([*parts, _clean_html(source[at:])]).strip()
    return Markup(cleaned) if _contained(cleaned) and _links_safe(cleaned) else text(source)


def _clean_html(chunk: str) -> str:
    if not chunk:
        return ""
    return nh3.clean(chunk, tags=_HTML_TAGS, attributes=_HTML_ATTRS, url_schemes=_SCHEMES, strip_comments=True,
                     link_rel="noopener noreferrer")


def _contained(source: str) -> bool:
    """True when a paragraph written after `source` is still a paragraph (no open fence or block)."""
    tokens = _PARSER.parse(f"{source}\n\n{_SENTINEL}\n")
    return len(tokens) >= 3 and tokens[-2].type == "inline" and tokens[-2].content == _SENTINEL


def _links_safe(source: str) -> bool:
    """Every Markdown link, image and autolink destination is relative, http(s) or mailto."""
    stack = list(_PARSER.parse(source))
    while stack:
        tok = stack.pop()
        stack += tok.children or []
        url = str(tok.attrGet("href") or tok.attrGet("src") or "")
        scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", url)
        if scheme and scheme.group(1).lower() not in _SCHEMES:
            return False
    return True


def warnings(messages) -> Markup:
    """Warnings shown in a notebook or report, one escaped quote line each (empty when there are none):
    a simulation that is not trustworthy must say so where its numbers are read, not only in a log."""
    return Markup("\n".join(f"> **Warning:** {text(' '.join(str(m).split()))}  " for m in messages or ()))


def inline_code(value: object) -> Markup:
    """Inline code that keeps its characters literal (GitHub leaves code spans un-rendered)."""
    flat = " ".join(str(value).split()).replace("|", "\\|")
    run = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    tick = "`" * (run + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return Markup(f"{tick}{pad}{flat}{pad}{tick}")


def code_block(code: object, language: str = "") -> Markup:
    """A fenced code block whose fence cannot be closed by the code inside it."""
    body = str(code).rstrip("\n")
    run = max((len(m) for m in re.findall(r"`{3,}", body)), default=0)
    fence = "`" * max(3, run + 1)
    lang = re.sub(r"[^A-Za-z0-9_+.-]", "", str(language))[:30]
    return Markup(f"{fence}{lang}\n{body}\n{fence}")


def mermaid_block(diagram: str) -> Markup:
    """A ```mermaid fence (GitHub and JupyterLab draw it); the diagram text is already escaped."""
    return code_block(diagram, "mermaid")


def table(headers: list[str], rows: list[list[object]]) -> Markup:
    """A GitHub-flavoured Markdown table with every cell escaped (Markup cells pass as they are)."""
    def fmt(v: object) -> str:
        return str(v) if isinstance(v, Markup) else str(cell(v))

    lines = ["| " + " | ".join(fmt(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return Markup("\n".join(lines))


def anchor(title: str) -> str:
    """GitHub's heading anchor for `title` (lower-case, punctuation dropped, spaces to dashes)."""
    slug = re.sub(r"[^\w\- ]", "", str(title).strip().lower(), flags=re.UNICODE)
    return slug.replace(" ", "-")
