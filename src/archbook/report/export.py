"""Export executed notebooks (and Markdown documents) to offline HTML.

Uses nbconvert's HTMLExporter with archbook's `archbook_offline` template, a
thin child of `lab`: code hidden unless asked for, images and widget state
embedded, and every script the page needs inlined, so the page opens with no
request to another host.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from archbook.report import assets

__all__ = ["TEMPLATE_DIR", "TEMPLATE_NAME", "export_html", "markdown_to_html", "has_mermaid"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "template"
TEMPLATE_NAME = "archbook_offline"

_MERMAID_FENCE = re.compile(r"^\s*(```|~~~)\s*mermaid\b", re.MULTILINE)
_MERMAID_MIME = "text/vnd.mermaid"
# A highlighted code block (Pygments via nbconvert): its colour spans hold escaped text only.
_HIGHLIGHTED = re.compile(r'(<div class="highlight[^"]*"><pre>)(.*?)(</pre>)', re.DOTALL)
_SPAN_TAG = re.compile(r"</?span[^>]*>")
PLAIN_CODE_OVER = 3_000  # characters of highlighted HTML; under 1 KB of code


def has_mermaid(nb: nbformat.NotebookNode) -> bool:
    """True when any Markdown cell or output would show a Mermaid diagram."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _MERMAID_FENCE.search(cell.source):
            return True
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if _MERMAID_MIME in data or _MERMAID_FENCE.search(str(data.get("text/markdown", ""))):
                return True
    return False


def _exporter(with_code: bool):
    # Imported lazily: nbconvert is slow to import and the CLI does not always need it.
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=not with_code,
        embed_images=True,
        mathjax_url="",
        mermaid_js_url="",
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={"remove-cell"}, remove_input_tags={"hide-input"}), enabled=True
    )
    return exporter


def export_html(
    nb: nbformat.NotebookNode,
    *,
    title: str,
    with_code: bool = False,
    index_href: str | None = None,
    subtitle: str | None = None,
    resources_dir: Path | None = None,
    assets_href: str | None = None,
) -> str:
    """Return an offline HTML page for `nb` (the notebook itself is not changed).

    With `assets_href` (the URL of a report's `_assets/` folder relative to the page) the
    scripts are referenced there instead of inlined, so a report's pages share one copy."""
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    resources = {
        "metadata": {"name": title, "path": str(resources_dir or Path.cwd())},
        "archbook": {
            "mermaid_script": assets.script_tag("mermaid.min.js", assets_href) if has_mermaid(nb) else "",
            "require_script": assets.script_tag("require.js", assets_href),
            "widgets_script": assets.script_tag("embed-amd.js", assets_href) if "widgets" in nb.metadata else "",
            "index_href": index_href or "",
            "subtitle": subtitle or "",
        },
    }
    body, _ = _exporter(with_code).from_notebook_node(nb, resources=resources)
    return plain_large_code(body)


def plain_large_code(body: str) -> str:
    """Large code blocks without their colour spans. Pygments wraps every token in a span,
    so a big block (a 250-operation API's named types, a long example) is 4x its text:
    2.4 MB of a 3.3 MB page. The text inside stays exactly as escaped as it was."""
    def strip(m: re.Match) -> str:
        code = m.group(2)
        return m.group(0) if len(code) <= PLAIN_CODE_OVER else m.group(1) + _SPAN_TAG.sub("", code) + m.group(3)

    return _HIGHLIGHTED.sub(strip, body)


def markdown_to_html(markdown: str, *, title: str, index_href: str | None = None,
                     resources_dir: Path | None = None, assets_href: str | None = None) -> str:
    """Render a Markdown document through the same offline template (diagrams included)."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(markdown))
    return export_html(nb, title=title, with_code=False, index_href=index_href, resources_dir=resources_dir,
                       assets_href=assets_href)
