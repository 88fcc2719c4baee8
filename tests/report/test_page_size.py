"""Report pages share one copy of their scripts, and a large real API's page stays small.

The Box platform API (tests/data/openapi/box, a public OpenAPI 3.0 document of ~1.2 MB)
made a 7.3 MB notebook-03 page when every page inlined mermaid, require.js and the
widget manager and Pygments wrapped every token of its named types in a span."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archbook.cli.new import scaffold
from archbook.report import assets
from archbook.report.export import PLAIN_CODE_OVER, plain_large_code
from archbook.report.report import BuildOptions, build_report

REPO = Path(__file__).resolve().parents[2]
BOX = REPO / "tests" / "data" / "openapi" / "box" / "openapi.json"
PAGE_LIMIT = 3_000_000


def test_large_code_blocks_lose_only_their_colour_spans():
    small = '<div class="highlight"><pre><span class="p">{</span>&lt;x&gt;</pre></div>'
    big_code = '<span class="nt">&quot;a&lt;b&quot;</span>' * (PLAIN_CODE_OVER // 20)
    big = f'<div class="highlight"><pre>{big_code}</pre></div>'
    out = plain_large_code(small + big)
    assert out.startswith(small)  # small blocks keep their colours
    assert "<span" not in out[len(small):]
    assert out[len(small):].count("&quot;a&lt;b&quot;") == PLAIN_CODE_OVER // 20  # the text, still escaped


@pytest.fixture(scope="module")
def box_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("box")
    system = scaffold("box", root / "data", {"openapi": [str(BOX)]})
    result = build_report(system, BuildOptions(out=root / "reports", only={"03"}, progress=False))
    return result.report_dir


def test_pages_reference_the_shared_scripts_by_content_hash(box_report):
    shared = sorted(p.name for p in (box_report / assets.ASSETS_FOLDER).iterdir())
    assert shared == sorted(assets.shared_name(n) for n in assets.ASSET_FILES)
    page = (box_report / "03_api_design.html").read_text(encoding="utf-8")
    assert f'<script src="_assets/{assets.shared_name("require.js")}"></script>' in page
    assert "RequireJS" not in page and "@jupyter-widgets/base" not in page  # no inlined copy left


def test_a_250_operation_api_page_is_under_3_mb_and_complete(box_report):
    page = (box_report / "03_api_design.html").read_bytes()
    assert len(page) < PAGE_LIMIT, f"{len(page):,} bytes"
    text = page.decode("utf-8")
    doc = json.loads(BOX.read_text(encoding="utf-8"))
    ops = [(m.upper(), p) for p, item in doc["paths"].items() for m in item
           if m in ("get", "put", "post", "delete", "patch", "options", "head", "trace")]
    assert len(ops) > 250
    plain = re.sub(r"<[^>]+>", "", text)
    missing = [f"{m} {p}" for m, p in ops if p.replace("{", "&#123;") not in plain and p not in plain]
    assert not missing, f"{len(missing)} operations missing, e.g. {missing[:3]}"
