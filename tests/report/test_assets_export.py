"""Offline assets lookup and the nbconvert export through the archbook_offline template."""
from __future__ import annotations

import base64
import json
import re

import nbformat
import pytest

from archbook.report import assets
from archbook.report.export import export_html, has_mermaid, markdown_to_html
from archbook.errors import ArchbookError

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()
WIDGET_STATE = {
    "state": {"m1": {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
                     "model_module_version": "2.0.0", "state": {"value": 7, "max": 20}}},
    "version_major": 2, "version_minor": 0}


def _notebook() -> nbformat.NotebookNode:
    v4 = nbformat.v4
    code = v4.new_code_cell("secret_code_marker = 41 + 1", execution_count=1, outputs=[
        v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2, "version_minor": 0},
            "text/plain": "IntSlider(value=7)"}),
    ])
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Title\n\n```mermaid\ngraph TB\n  A-->B\n```"), code])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": WIDGET_STATE}
    return nb


def test_assets_found_via_env(tmp_path, monkeypatch):
    for name in assets.ASSET_FILES:
        (tmp_path / name).write_text("/* stub */")
    monkeypatch.setenv("ARCHBOOK_ASSETS", str(tmp_path))
    assert assets.find_assets() == tmp_path


def test_missing_assets_say_run_make_assets(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHBOOK_ASSETS", str(tmp_path))
    with pytest.raises(ArchbookError, match="make assets"):
        assets.find_assets()


def test_inline_script_falls_back_to_data_url_on_script_tags(tmp_path, monkeypatch):
    for name in assets.ASSET_FILES:
        (tmp_path / name).write_text("var ok = 1;")
    (tmp_path / "require.js").write_text('var s = "</script><b>";')
    monkeypatch.setenv("ARCHBOOK_ASSETS", str(tmp_path))
    assert assets.inline_script("mermaid.min.js") == "<script>\nvar ok = 1;\n</script>"
    tag = assets.inline_script("require.js")
    assert tag.startswith('<script src="data:text/javascript;base64,') and "</script><b>" not in tag


def _external_urls(html: str) -> list[str]:
    """URLs the markup would fetch: script src, and src/href/url()/@import outside inline scripts.

    (Inline library code mentions URLs in comments and strings; the browser test
    proves that none of them is requested.)"""
    scripts = re.findall(r"""<script[^>]*\ssrc=["'](https?:[^"']+)""", html)
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
    attrs = re.findall(r"""(?:src|href)\s*=\s*["'](https?:[^"']+)""", html)
    css = re.findall(r"""(?:url\(|@import\s+)["']?(https?:[^"')\s]+)""", html)
    return scripts + attrs + css


def test_export_is_offline_and_hides_code():
    html = export_html(_notebook(), title="T <&>")
    assert _external_urls(html) == []
    assert "cdnjs" not in html  # nbconvert's defaults for require.js, MathJax and mermaid all live there
    assert "text/x-mathjax-config" not in html and "init_mathjax" not in html  # MathJax dropped
    assert "secret_code_marker" not in html  # code hidden by default
    assert f"data:image/png;base64,{PNG}" in html  # image embedded
    state = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
    assert json.loads(state.group(1))["state"]["m1"]["state"]["value"] == 7  # widget state embedded
    assert "window.mermaid.render" in html and "globalThis[\"mermaid\"]" in html  # mermaid inlined + run
    assert "renderWidgets" in html  # the widget manager is inlined, not fetched
    assert "<title>T &lt;&amp;&gt;</title>" in html


def test_export_with_code_shows_code():
    assert "secret_code_marker" in export_html(_notebook(), title="T", with_code=True)


def test_pages_without_diagrams_or_widgets_skip_those_scripts():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("plain text")])
    assert not has_mermaid(nb)
    html = export_html(nb, title="plain")
    assert 'globalThis["mermaid"]' not in html and "renderWidgets" not in html
    assert len(html) < 1_000_000


def test_markdown_document_renders_diagram_blocks():
    html = markdown_to_html("# Doc\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n", title="Doc",
                            index_href="index.html")
    assert '<div class="jp-Mermaid"><pre class="mermaid">' in html
    assert 'href="index.html"' in html


def test_comment_then_script_tag_is_not_inlined(tmp_path, monkeypatch):
    for name in assets.ASSET_FILES:
        (tmp_path / name).write_text("var ok = 1;")
    (tmp_path / "embed-amd.js").write_text('var a = "<!--", b = "<script>";')  # double-escaped state
    (tmp_path / "mermaid.min.js").write_text('var a = "<!-->";')  # harmless alone
    monkeypatch.setenv("ARCHBOOK_ASSETS", str(tmp_path))
    assert assets.inline_script("embed-amd.js").startswith('<script src="data:')
    assert assets.inline_script("mermaid.min.js").startswith("<script>\n")
