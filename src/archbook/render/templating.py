"""The Jinja2 environment for every card and the document.

Safe by default: `finalize` Markdown-escapes every `{{ ... }}` value unless it is already
`Markup` (pre-rendered diagrams, code blocks, tables), so a template -- including an
organisation's override -- cannot forget to escape user text.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup

from archbook.render import markdown as md

__all__ = ["environment", "TEMPLATE_DIR"]

TEMPLATE_DIR = Path(__file__).with_name("templates")


def _finalize(value: object) -> object:
    if value is None:
        return ""
    return value if isinstance(value, Markup) else md.text(value)


def _join(items, sep: str = ", ") -> Markup:
    return Markup(sep.join(str(v) if isinstance(v, Markup) else str(md.text(v)) for v in items))


class _ConfinedLoader(FileSystemLoader):
    """A template folder's loader that refuses a template which is a symlink leading out of the folder
    (Jinja already refuses `..` in names); an organisation's templates should not read `/etc/passwd`."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(d).resolve()) for d in self.searchpath):
            from archbook.errors import ArchbookError

            raise ArchbookError(f"{filename}: template `{template}` leads outside the template folder (to {real}), "
                                "through a symlink\n    hint: copy the template into the template folder")
        return source, filename, uptodate


@lru_cache(maxsize=16)
def _environment(dirs: tuple[str, ...]) -> Environment:
    loaders = [_ConfinedLoader(d) for d in dirs] + [PackageLoader("archbook.render", "templates")]
    env = Environment(loader=ChoiceLoader(loaders), finalize=_finalize, autoescape=False, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined)
    env.globals["missing"] = Markup("*Not documented*")
    env.filters.update(md=md.text, prose=md.prose, cell=md.cell, code=md.code_block, mermaid=md.mermaid_block,
                       inline=md.inline_code, mdjoin=_join, anchor=md.anchor)
    return env


def environment(template_dirs=None) -> Environment:
    """The environment; `template_dirs` are searched before the built-in templates."""
    dirs = tuple(str(Path(d)) for d in (template_dirs or ()))
    for d in dirs:
        if not Path(d).is_dir():
            from archbook.errors import ArchbookError

            raise ArchbookError(f"template directory {d} does not exist (check template_dirs)")
    return _environment(dirs)
