"""`archbook build`: run the notebooks, export them, write the document and the index.

Everything a build produces is collected in memory first (workers return
bytes) and published at the end in one batch of atomic renames with
SIGINT/SIGTERM held, `index.html` last. An interrupted or failed build
therefore leaves the previous report untouched, never a half-written one.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from archbook.report import assets
from archbook.atomic import atomic_write_bytes
from archbook.report.paths import check_name, safe_join, signals_deferred
from archbook.report.cache import input_hash, package_fingerprint, system_files
from archbook.report.execute import Job, JobResult, default_jobs, run_jobs
from archbook.report.export import markdown_to_html
from archbook.report.index import IndexPage, chart_images, read_capacity, render_index
from archbook.report.workcache import WorkCache
from archbook.errors import ArchbookError, NotebookRunError

__all__ = ["BuildOptions", "BuildResult", "build_report", "find_notebooks_dir", "select_notebooks",
           "declared_parameters", "parameters_for",
           "resolve_system", "MANIFEST", "DOCUMENT_MD", "DOCUMENT_HTML"]

MANIFEST = "report.json"
DOCUMENT_MD = "section05.md"
DOCUMENT_HTML = "section05.html"
PAGE_ASSETS_HREF = assets.ASSETS_FOLDER  # pages sit at the top of the report folder
DOCUMENT_TITLE = "Section 05: Architecture & Design"
_NOTEBOOK = re.compile(r"^(\d{2})_[A-Za-z0-9_.-]+\.ipynb$")


@dataclass
class BuildOptions:
    """What `archbook build` was asked to do (defaults match the CLI's)."""

    out: Path = Path("reports")
    parameters: dict = field(default_factory=dict)
    only: set[str] | None = None
    with_code: bool = False
    jobs: int | None = None
    pdf: bool = False
    scheduler: object | None = None
    notebooks_dir: Path | None = None
    force: bool = False
    progress: bool = True
    timeout: int | None = None


@dataclass
class BuildResult:
    report_dir: Path
    index: Path
    executed: list[str]
    skipped: list[str]  # published outputs already up to date
    written: list[Path]
    seconds: float
    reused: list[str] = field(default_factory=list)  # finished in an earlier, unpublished build


def resolve_system(path: str | Path) -> Path:
    """Absolute system folder (relative paths are searched from cwd upwards, like the notebooks do)."""
    from archbook.load.find import find_system

    return find_system(path)


def _has_notebooks(folder: Path) -> bool:
    return folder.is_dir() and any(_NOTEBOOK.match(p.name) for p in folder.iterdir())


def find_notebooks_dir(explicit: Path | None = None) -> Path:
    """The folder of `NN_*.ipynb` notebooks: `explicit`, else `notebooks/` above cwd or the package."""
    if explicit is not None:
        folder = Path(explicit).resolve()
        if not _has_notebooks(folder):
            raise ArchbookError(f"{folder}: no notebooks named NN_name.ipynb here"
                                "\n    hint: pass the folder holding 01_*.ipynb, 02_*.ipynb, ...")
        return folder
    for start in (Path.cwd().resolve(), Path(__file__).resolve().parent):
        for folder in (start, *start.parents):
            if _has_notebooks(folder / "notebooks"):
                return folder / "notebooks"
    raise ArchbookError("no notebooks/NN_*.ipynb folder found above the current folder or the archbook package"
                        "\n    hint: run from the archbook repository, or pass --notebooks DIR")


def select_notebooks(folder: Path, only: set[str] | None = None) -> list[Path]:
    """Sorted `NN_*.ipynb` in `folder`; `only` keeps the given numbers ("01", "4" ...)."""
    found = sorted(p for p in folder.iterdir() if _NOTEBOOK.match(p.name))
    if not only:
        return found
    wanted = {n.zfill(2) for n in only}
    numbers = {_NOTEBOOK.match(p.name).group(1) for p in found}
    unknown = sorted(wanted - numbers)
    if unknown:
        raise ArchbookError(f"--only {','.join(sorted(only))}: no notebook numbered {', '.join(unknown)} in {folder}"
                            f"\n    hint: choose from {', '.join(sorted(numbers))}")
    return [p for p in found if _NOTEBOOK.match(p.name).group(1) in wanted]


def _title(nb_text: str, fallback: str) -> str:
    nb = nbformat.reads(nb_text, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    return fallback


def _read_manifest(report_dir: Path) -> dict:
    try:
        data = json.loads((report_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def declared_parameters(path: Path) -> set[str]:
    """Names in a notebook's `parameters` cell (papermill's own reading of it)."""
    import papermill

    return set(papermill.inspect_notebook(str(path)))


def parameters_for(notebooks: list[Path], parameters: dict) -> dict[Path, dict]:
    """Give each notebook only the parameters it declares; a name no notebook declares is an error.

    So `-p replications=2` reaches only the simulation notebook (and does not make
    the others out of date), and a misspelt name fails loudly instead of being ignored.
    """
    declared = {path: declared_parameters(path) for path in notebooks}
    unknown = sorted(set(parameters) - set().union(*declared.values(), set()))
    if unknown:
        offered = "; ".join(f"{p.name[:2]}: {', '.join(sorted(d - {'system', 'out_dir'})) or 'none besides system, out_dir'}"
                            for p, d in declared.items())
        raise ArchbookError(f"parameter {', '.join(unknown)} is not declared by any notebook being run"
                            f"\n    hint: check the spelling; the notebooks' parameters are {offered}")
    return {path: {k: v for k, v in parameters.items() if k in names} for path, names in declared.items()}


def _plan(system_dir: Path, notebooks: list[Path], opts: BuildOptions, report_dir: Path, manifest: dict,
          cache: WorkCache):
    """Jobs to run, results reused from the work cache, and keys whose published outputs are up to date."""
    jobs, reused, skipped = [], [], []
    shipped = system_files(system_dir) if opts.scheduler is not None else None
    pages = manifest.get("pages", {})
    given = parameters_for(notebooks, opts.parameters)
    for path in notebooks:
        text, key, params = path.read_text(encoding="utf-8"), path.stem, given[path]
        digest = input_hash(text, params, system_dir, f"with_code={opts.with_code}",
                            assets.assets_fingerprint(), f"assets_href={PAGE_ASSETS_HREF}")
        old = pages.get(key, {})
        if (not opts.force and old.get("input_hash") == digest
                and (report_dir / f"{key}.html").is_file() and (report_dir / "notebooks" / path.name).is_file()):
            skipped.append(key)
            continue
        cached = None if opts.force else cache.load(key, digest)
        if cached is not None:
            reused.append(cached)
            continue
        jobs.append(Job(key=key, notebook_name=path.name, notebook_text=text, parameters=params,
                        system_dir=str(system_dir), input_hash=digest, title=_title(text, key),
                        cwd=str(path.parent), system_files=shipped, with_code=opts.with_code,
                        index_href="index.html", assets_href=PAGE_ASSETS_HREF, timeout=opts.timeout,
                        out_dir_shown=str(report_dir / "artifacts")))
    return jobs, reused, skipped


def _failure(report_dir: Path, result: JobResult) -> NotebookRunError:
    kept = safe_join(report_dir, "notebooks", Path(result.notebook_name).stem + ".failed.ipynb")
    atomic_write_bytes(kept, result.notebook)
    return NotebookRunError(result.notebook_name, result.cell, result.error or "failed", kept=str(kept))


def _raise_failures(errors: list[NotebookRunError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    raise ArchbookError(f"{len(errors)} notebooks failed:\n" + "\n".join(str(e) for e in errors))


def _collect(pending, report_dir: Path, cache: WorkCache) -> list[JobResult]:
    results = []
    for result in pending:
        cache.store(result)  # kept even if another notebook fails or the build is interrupted
        results.append(result)
    errors = [_failure(report_dir, r) for r in sorted(results, key=lambda r: r.key) if not r.ok]
    if errors:
        _raise_failures(errors)
    return sorted(results, key=lambda r: r.key)


def _document(system) -> tuple[list, str]:
    """Checklist results and the finished Section 05 Markdown (from the render engineer's API)."""
    from archbook.checklist import evaluate
    from archbook.diff.previous import changes_since_previous
    from archbook.render import render_document

    results = evaluate(system)
    return results, render_document(system, results=results, changes=changes_since_previous(system))


class _Planned:
    """The report folder as it will be after publishing: new bytes over existing files."""

    def __init__(self, report_dir: Path):
        self.report_dir, self.files = report_dir, {}

    def add(self, rel: str, data: bytes | str) -> None:
        self.files[rel] = data.encode("utf-8") if isinstance(data, str) else data

    def read(self, rel: str) -> bytes | None:
        if rel in self.files:
            return self.files[rel]
        path = self.report_dir / rel
        return path.read_bytes() if path.is_file() else None

    def exists(self, rel: str) -> bool:
        return rel in self.files or (self.report_dir / rel).is_file()

    def matching(self, folder: str, suffix: str) -> dict[str, bytes]:
        names = {r for r in self.files if r.startswith(folder + "/") and r.endswith(suffix)}
        if (self.report_dir / folder).is_dir():
            names |= {p.relative_to(self.report_dir).as_posix() for p in (self.report_dir / folder).glob("*" + suffix)}
        return {n: self.read(n) for n in sorted(names)}


def _add_results(planned: _Planned, results: list[JobResult]) -> None:
    for r in results:
        planned.add(f"notebooks/{r.notebook_name}", r.notebook)
        planned.add(f"{r.key}.html", r.html or "")
        for rel, data in r.artifacts.items():
            planned.add(f"artifacts/{rel}", data)


def _manifest(old: dict, system_dir: Path, results: list[JobResult], checklist: list) -> dict:
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    pages = dict(old.get("pages", {}))
    for r in results:
        pages[r.key] = {"notebook": f"notebooks/{r.notebook_name}", "html": f"{r.key}.html",
                        "input_hash": r.input_hash, "seconds": round(r.seconds, 2), "built_at": now}
    passed = sum(bool(getattr(c, "passed", False)) for c in checklist)
    return {"system_dir": str(system_dir), "archbook": package_fingerprint(), "built_at": now,
            "pages": dict(sorted(pages.items())), "checklist": {"passed": passed, "total": len(checklist)}}


def _index(planned: _Planned, manifest: dict, name: str, system_dir: Path, checklist: list, title: str) -> str:
    pages = []
    for key, page in manifest["pages"].items():
        if planned.exists(page["html"]):
            nb_bytes = planned.read(page["notebook"]) or b"{}"
            page_title = _title(nb_bytes.decode("utf-8"), key) if nb_bytes != b"{}" else key
            pages.append({"title": page_title, "html": page["html"], "notebook": page["notebook"]})
    document = {"html": DOCUMENT_HTML, "md": DOCUMENT_MD,
                "pdf": "section05.pdf" if planned.exists("section05.pdf") else None}
    grids = [{"name": Path(rel).parent.name, "html": rel, "csv": str(Path(rel).with_suffix(".csv"))}
             for rel in sorted(p.relative_to(planned.report_dir).as_posix()
                               for p in planned.report_dir.glob("grids/*/summary.html"))]
    page = IndexPage(system_name=name, system_dir=str(system_dir), checklist=checklist,
                     capacity=read_capacity(planned.read("artifacts/capacity.json")),
                     charts=chart_images(planned.matching("artifacts/charts", ".png")),
                     pages=pages, document=document, grids=grids, title=title)
    return render_index(page)


def _pdfs(planned: _Planned) -> None:
    """Print the document and the index to PDF (from temp copies: nothing is published yet)."""
    from archbook.report.pdf import print_pdf

    with tempfile.TemporaryDirectory(prefix="archbook-print-") as tmp:
        for rel in [DOCUMENT_HTML, "index.html", *assets.shared_files()]:  # pages and the scripts they load
            (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / rel).write_bytes(planned.files[rel])
        for rel, target in ((DOCUMENT_HTML, "section05.pdf"), ("index.html", "index.pdf")):
            planned.add(target, print_pdf(Path(tmp) / rel))


def _publish(report_dir: Path, planned: _Planned, results: list[JobResult]) -> list[Path]:
    """Atomic renames, the shared scripts first and index.html last, with SIGINT/SIGTERM held
    until the batch is done: a page is never published before the files it loads."""
    order = sorted(planned.files, key=lambda rel: (rel == "index.html", rel == MANIFEST,
                                                   not rel.startswith(assets.ASSETS_FOLDER + "/"), rel))
    written = []
    with signals_deferred():
        for rel in order:
            written.append(atomic_write_bytes(safe_join(report_dir, rel), planned.files[rel]))
        for r in results:  # a stale failure from an earlier build no longer applies
            stale = report_dir / "notebooks" / (Path(r.notebook_name).stem + ".failed.ipynb")
            stale.unlink(missing_ok=True)
    return written


def build_report(system_path: str | Path, options: BuildOptions | None = None) -> BuildResult:
    """Build `<out>/<system-name>/`: executed notebooks, their HTML, Section 05 (MD + HTML), index.html."""
    from archbook import load_system

    opts, start = options or BuildOptions(), time.perf_counter()
    system_dir = resolve_system(system_path)
    name = check_name(system_dir.name, "system folder name")
    out = Path(opts.out).resolve()
    report_dir = safe_join(out, name)
    system = load_system(system_dir)  # bad input fails before any notebook runs
    assets.find_assets()  # likewise a missing `make assets`
    notebooks = select_notebooks(find_notebooks_dir(opts.notebooks_dir), opts.only)
    manifest = _read_manifest(report_dir)
    cache = WorkCache(out, name)
    jobs, reused, skipped = _plan(system_dir, notebooks, opts, report_dir, manifest, cache)
    pending = run_jobs(jobs, n_jobs=opts.jobs or default_jobs(), scheduler=opts.scheduler, desc="notebooks",
                       progress=opts.progress)
    try:  # the document is rendered here while the notebooks run in the workers
        checklist, markdown = _document(system)
        document_html = markdown_to_html(markdown, title=f"{DOCUMENT_TITLE}: {system.name}",
                                         index_href="index.html", resources_dir=system_dir,
                                         assets_href=PAGE_ASSETS_HREF)
        results = sorted(reused + _collect(pending, report_dir, cache), key=lambda r: r.key)
    finally:
        pending.close()
    planned = _Planned(report_dir)
    for rel, data in assets.shared_files().items():  # one copy of the scripts for every page
        planned.add(rel, data)
    _add_results(planned, results)
    planned.add(DOCUMENT_MD, markdown)
    planned.add(DOCUMENT_HTML, document_html)
    manifest = _manifest(manifest, system_dir, results, checklist)
    planned.add(MANIFEST, json.dumps(manifest, indent=2))
    planned.add("index.html", _index(planned, manifest, name, system_dir, checklist, system.name))
    if opts.pdf:
        _pdfs(planned)
        planned.add("index.html", _index(planned, manifest, name, system_dir, checklist, system.name))
    written = _publish(report_dir, planned, results)
    cache.clear()
    return BuildResult(report_dir, report_dir / "index.html", [j.key for j in jobs], skipped, written,
                       time.perf_counter() - start, reused=[r.key for r in reused])
