"""`archbook build SYSTEM_DIR`: run the notebooks and write the offline report (or a grid with --grid).

Only parsing lives here; `archbook.report` does the work.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from archbook.errors import ArchbookError

__all__ = ["register", "run", "parse_parameters"]


def register(subparsers) -> None:
    p = subparsers.add_parser("build", help="run the notebooks and write the offline HTML/Markdown report",
                              description="Run notebooks/NN_*.ipynb with papermill and write "
                              "OUT/<system>/index.html, the Section 05 document and one page per notebook.")
    p.add_argument("system", help="the system folder, e.g. data/video-editor")
    p.add_argument("--out", default="reports", help="output folder (default: reports)")
    p.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                   help="notebook parameter; VALUE is read as YAML (2, 0.5, true, text) (repeatable)")
    p.add_argument("--params", metavar="FILE.yaml", help="notebook parameters from a YAML mapping (-p wins)")
    p.add_argument("--only", metavar="01,04", help="run only these notebook numbers")
    p.add_argument("--with-code", action="store_true", help="show code cells in the HTML (hidden by default)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="notebooks run in parallel (default: number of CPUs)")
    p.add_argument("--pdf", action="store_true", help="also print the document and index to PDF with Chromium")
    p.add_argument("--grid", metavar="GRID.yaml", help="run one notebook per parameter combination instead")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run the notebooks on this Dask scheduler instead of local processes")
    p.add_argument("--notebooks", metavar="DIR", help="folder of NN_*.ipynb (default: the repository's notebooks/)")
    p.add_argument("--force", action="store_true", help="rerun notebooks even when their outputs are up to date")
    p.add_argument("--timeout", type=int, default=None, metavar="S", help="per-cell time limit in seconds")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=run)


def _value(text: str):
    """A YAML scalar (2, 0.5, true, null); anything else stays the text as given."""
    try:
        value = yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError:
        return text
    return value if value is None or isinstance(value, (bool, int, float, str)) else text


def parse_parameters(pairs: list[str], params_file: str | None = None) -> dict:
    """--params FILE.yaml, then every -p NAME=VALUE over it (VALUE parsed as a YAML scalar)."""
    params: dict = {}
    if params_file:
        try:
            data = yaml.safe_load(Path(params_file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ArchbookError(f"{params_file}: cannot read ({exc.strerror})") from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            raise ArchbookError(f"{params_file}{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
        if data is not None and not isinstance(data, dict):
            raise ArchbookError(f"{params_file}: must be a mapping of name: value\n    hint: e.g. reps: 3")
        params.update(data or {})
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ArchbookError(f"-p {pair!r}: write NAME=VALUE with NAME a Python identifier, e.g. -p reps=3")
        params[name.strip()] = _value(value)
    bad = [k for k in params if not str(k).isidentifier()]
    if bad:
        raise ArchbookError(f"{params_file}: parameter names must be Python identifiers: {', '.join(map(str, bad))}")
    return params


def _only(text: str | None) -> set[str] | None:
    if not text:
        return None
    numbers = {n.strip() for n in text.split(",") if n.strip()}
    if not numbers or not all(n.isdigit() for n in numbers):
        raise ArchbookError(f"--only {text!r}: give notebook numbers separated by commas, e.g. --only 01,04")
    return numbers


def _grid(args, params: dict) -> int:
    from archbook.report.grid import run_grid

    result = run_grid(args.system, args.grid, out=args.out, parameters=params, jobs=args.jobs,
                      scheduler=args.scheduler, notebooks_dir=args.notebooks, with_code=args.with_code,
                      force=args.force, progress=not args.no_progress, timeout=args.timeout)
    print(f"grid {result.grid_dir.name}: {len(result.executed)} run, {len(result.skipped)} up to date, "
          f"{len(result.failed)} failed in {result.seconds:.1f} s")
    for state in result.failed:
        print(f"  run {state['run']}: {state['notebook_name']}: cell {state.get('cell')}: {state.get('error')}"
              f"\n    the failed notebook is kept at {result.grid_dir / 'runs' / state['run'] / state['notebook']}",
              file=sys.stderr)
    print(f"summary: {result.summary_html}\n         {result.summary_csv}")
    return 1 if result.failed else 0


def run(args) -> int:
    from archbook.report.paths import sigterm_as_interrupt

    params = parse_parameters(args.parameter, args.params)
    if args.jobs is not None and args.jobs < 1:
        raise ArchbookError(f"--jobs {args.jobs}: must be at least 1")
    if args.grid and (args.only or args.pdf):
        raise ArchbookError("--only and --pdf apply to a report build, not to --grid (which runs one notebook)")
    with sigterm_as_interrupt():
        if args.grid:
            return _grid(args, params)
        from archbook.report.report import BuildOptions, build_report

        opts = BuildOptions(out=Path(args.out), parameters=params, only=_only(args.only), with_code=args.with_code,
                            jobs=args.jobs, pdf=args.pdf, scheduler=args.scheduler,
                            notebooks_dir=Path(args.notebooks) if args.notebooks else None, force=args.force,
                            progress=not args.no_progress, timeout=args.timeout)
        result = build_report(args.system, opts)
    print(f"built {result.index} in {result.seconds:.1f} s "
          f"({len(result.executed)} notebooks run, {len(result.skipped)} up to date)")
    return 0
