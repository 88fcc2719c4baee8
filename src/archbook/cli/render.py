"""`archbook render PATH -o FILE.md`: write the finished Section 05 document as one Markdown file."""
from __future__ import annotations

import sys
from pathlib import Path

from archbook.errors import ArchbookError

__all__ = ["register", "run"]


def register(subparsers) -> None:
    p = subparsers.add_parser("render", help="write the Section 05: Architecture & Design document (Markdown)")
    p.add_argument("path", help="the system folder (e.g. data/video-editor)")
    p.add_argument("-o", "--out", default=None, help="output .md file (default: print to stdout)")
    p.add_argument("--section", choices=["5.1", "5.2", "5.3"], default=None, help="only this section")
    p.add_argument("--templates", action="append", default=[], metavar="DIR",
                   help="template folder searched before the built-in templates (repeatable)")
    p.add_argument("--no-custom", action="store_true", help="leave the system's own checklist rules out")
    p.set_defaults(func=run)


def run(args) -> int:
    from archbook.atomic import atomic_write_text
    from archbook.diff.previous import changes_since_previous
    from archbook.load import find_system, load_system
    from archbook.render import render_document, render_section

    system = load_system(find_system(args.path))
    changes = changes_since_previous(system)
    if args.section:
        text = render_section(system, args.section, template_dirs=args.templates, changes=changes)
    else:
        text = render_document(system, template_dirs=args.templates, include_custom=not args.no_custom, changes=changes)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    if out.is_dir():
        raise ArchbookError(f"-o {args.out}: is a folder; give a file name such as {out / 'section-05.md'}")
    atomic_write_text(out, text)
    print(f"wrote {out} ({len(text.splitlines())} lines)", file=sys.stderr)
    return 0
