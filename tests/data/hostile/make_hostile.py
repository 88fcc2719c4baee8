"""Regenerate tests/data/hostile/system: the broken corpus's `_base` system with a hostile
string appended to every piece of free text (names, purposes, descriptions, messages,
labels, list items, code samples, API summaries and descriptions).

Every payload, if it ever ran or rendered as markup, would set `data-pwned` on the page's
root element or `window.__pwned`; the browser test asserts that neither happens and that
every diagram still draws. Ids, references, enums and versions are left alone so that the
system stays valid. Run from anywhere:

    .venv/bin/python tests/data/hostile/make_hostile.py
"""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BASE = HERE.parent / "broken" / "_base"
OUT = HERE / "system"

MARK = "document.documentElement.setAttribute('data-pwned', '1'); window.__pwned = 1"
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f"<svg onload=\"{MARK}\"></svg>",
    f'<a href="javascript:{MARK}">raw link</a>',
    f"[md link](javascript:{MARK.replace(' ', '')})",
    '"]-->end',
    "%%{init: {'securityLevel': 'loose', 'theme': 'dark'}}%%",
    "`tick` ```fence",
    "{{ 7*191 }} {% if true %}jinja{% endif %} {# c #}",
    "</textarea></style></pre>&lt;b&gt;",
]
HOSTILE = " ".join(PAYLOADS)

# Keys whose string value (or list of strings) is free text shown to readers.
TEXT_KEYS = {
    "name", "description", "owner", "purpose", "technology", "responsibilities", "data", "protocol", "scaling",
    "failure", "effect", "mitigation", "title", "label", "message", "when", "loop", "opt", "intent",
    "applicability", "benefits", "tradeoffs", "approach", "rationale", "breaking_changes", "non_breaking_changes",
    "deprecation_process", "summary", "notes", "scheme",
}
# ... except where the value is a reference or an identifier the formats constrain.
KEEP = {("asyncapi.yaml", "name"), ("openapi.yaml", "name")}
SKIP = {"classes"}  # queue.yaml's class names are identifiers


def _hostile(value):
    if isinstance(value, str):
        return f"{value} {HOSTILE}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [f"{v} {HOSTILE}" for v in value]
    return value


def poison(node, file: str):
    """Append the payload to every free-text value under `node` (in place)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SKIP:
                continue
            if key in TEXT_KEYS and (file, key) not in KEEP:
                node[key] = _hostile(value)
            if key == "implementation" and isinstance(value, dict):
                value["code"] = value["code"] + f"# {HOSTILE}\n"
            poison(node[key], file)
    elif isinstance(node, list):
        for item in node:
            poison(item, file)


def build() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    for source in sorted(BASE.glob("*.yaml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        poison(data, source.name)
        if source.name == "queue.yaml":  # notebook 04 needs an SLO to size the pool against
            data["slo"] = {"normal": {"wait_p95_s": 30}}
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
        (OUT / source.name).write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    build()
