"""Sweeps as batch runs: one parameterised notebook per combination of a grid.

    # GRID.yaml (format: archbook.model.grid.GridFile)
    name: load-x-autoscale        # optional, default: the file's stem
    notebook: "04"                # notebook number (or file name) under notebooks/
    parameters:                   # every combination runs once
      arrival_multiplier: [0.5, 1, 1.5, 2]
      autoscale: [true, false]
    fixed: {reps: 3}              # optional, the same for every run

Runs go to `<out>/<system>/grids/<name>/runs/<run>/`, each published atomically
as it finishes, `run.json` last; a rerun skips runs whose input hash is
unchanged. A failed run does not stop the others; it is listed with its
notebook, cell and error. `summary.csv` / `summary.html` gather every run's
parameters and `capacity.json`.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from archbook.report import assets
from archbook.atomic import atomic_write_bytes, atomic_write_text
from archbook.report.paths import check_name, safe_join, sanitize_name, signals_deferred
from archbook.report.cache import input_hash, system_files
from archbook.report.execute import Job, JobResult, default_jobs, run_jobs
from archbook.report.index import read_capacity, render_grid_summary
from archbook.report.report import find_notebooks_dir, parameters_for, resolve_system, select_notebooks
from archbook.errors import ArchbookError, Problem, ValidationFailed
from archbook.load.diagnose import pydantic_problems
from archbook.load.reading import display_path, read_yaml
from archbook.model.grid import GridFile

__all__ = ["GridSpec", "GridRun", "GridResult", "load_grid", "expand_grid", "run_grid", "CAPACITY_COLUMNS"]

CAPACITY_COLUMNS = ["recommended_workers", "cost_per_hour", "slo", "slo_met", "p95_wait_s"]


@dataclass(frozen=True)
class GridSpec:
    name: str
    notebook: str
    parameters: dict[str, list]
    fixed: dict = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class GridRun:
    name: str
    parameters: dict  # the grid's own values for this combination


@dataclass
class GridResult:
    grid_dir: Path
    summary_csv: Path
    summary_html: Path
    rows: list[dict]
    executed: list[str]
    skipped: list[str]
    failed: list[dict]
    seconds: float


def load_grid(path: str | Path) -> GridSpec:
    """Read and check GRID.yaml (`archbook.model.grid.GridFile`); every mistake is reported
    with its file, line and field, by the same code that explains the design files."""
    path = Path(path)
    problems: list[Problem] = []
    parsed = read_yaml(path, problems, example='write `notebook: "04"` and `parameters: {name: [values]}`')
    grid = None
    if parsed is not None:
        data, lines = parsed
        try:
            grid = GridFile.model_validate(data)
        except ValidationError as exc:
            problems += pydantic_problems(exc, GridFile, display_path(path), lines)
    if problems:
        raise ValidationFailed(problems)
    return GridSpec(name=check_name(grid.name or sanitize_name(path.stem), "grid name"), notebook=grid.notebook,
                    parameters=grid.parameters, fixed=grid.fixed, source=str(path))


def _show(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def expand_grid(spec: GridSpec) -> list[GridRun]:
    """Every combination, in file order; names are derived from values and made path-safe."""
    keys = list(spec.parameters)
    runs = []
    for values in itertools.product(*(spec.parameters[k] for k in keys)):
        combo = dict(zip(keys, values))
        name = "_".join(f"{sanitize_name(k)}-{sanitize_name(_show(v))}" for k, v in combo.items())
        runs.append(GridRun(name=sanitize_name(name), parameters=combo))
    names = [r.name for r in runs]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ArchbookError(f"{spec.source}: parameters: combinations repeat ({', '.join(dupes)})"
                            "\n    hint: list each value once")
    return runs


def _notebook(spec: GridSpec, notebooks_dir: Path) -> Path:
    number = spec.notebook.removesuffix(".ipynb")
    matches = [p for p in select_notebooks(notebooks_dir) if p.stem == number or p.name[:2] == number.zfill(2)]
    if len(matches) != 1:
        raise ArchbookError(f"{spec.source}: notebook: {spec.notebook!r} matches no notebook in {notebooks_dir}"
                            "\n    hint: use its number, e.g. notebook: \"04\"")
    return matches[0]


def _up_to_date(run_dir: Path, digest: str) -> bool:
    try:
        state = json.loads((run_dir / "run.json").read_text())
    except (OSError, ValueError):
        return False
    files = [state.get("html"), state.get("notebook")]
    return (state.get("status") == "ok" and state.get("input_hash") == digest
            and all(f and (run_dir / f).is_file() for f in files))


def _publish_run(run_dir: Path, run: GridRun, params: dict, result: JobResult) -> dict:
    """Write one run's outputs atomically, run.json last (the marker a rerun trusts)."""
    stem = Path(result.notebook_name).stem
    state = {"run": run.name, "grid_parameters": run.parameters, "parameters": params,
             "input_hash": result.input_hash, "seconds": round(result.seconds, 2),
             "status": "ok" if result.ok else "failed", "notebook_name": result.notebook_name}
    with signals_deferred():
        if result.ok:
            for rel, data in result.artifacts.items():
                atomic_write_bytes(safe_join(run_dir, "artifacts", rel), data)
            atomic_write_bytes(run_dir / result.notebook_name, result.notebook)
            atomic_write_text(run_dir / f"{stem}.html", result.html or "")
            (run_dir / f"{stem}.failed.ipynb").unlink(missing_ok=True)
            state.update(notebook=result.notebook_name, html=f"{stem}.html")
        else:
            for stale in (run_dir / result.notebook_name, run_dir / f"{stem}.html"):
                stale.unlink(missing_ok=True)
            shutil.rmtree(run_dir / "artifacts", ignore_errors=True)
            atomic_write_bytes(run_dir / f"{stem}.failed.ipynb", result.notebook)
            state.update(notebook=f"{stem}.failed.ipynb", cell=result.cell, error=result.error)
        atomic_write_text(run_dir / "run.json", json.dumps(state, indent=2, default=str))
    return state


def _row(grid_dir: Path, run: GridRun) -> dict:
    run_dir = grid_dir / "runs" / run.name
    try:
        state = json.loads((run_dir / "run.json").read_text())
    except (OSError, ValueError):
        state = {"status": "missing"}
    cap = read_capacity((run_dir / "artifacts" / "capacity.json").read_bytes()
                        if (run_dir / "artifacts" / "capacity.json").is_file() and state.get("status") == "ok"
                        else None) or {}
    row = {"run": run.name, **run.parameters, "status": state.get("status")}
    row.update(_flat_capacity(cap))
    row.update(failed_cell=state.get("cell"), error=state.get("error"))
    rel = f"runs/{run.name}/"
    row["html"] = rel + state["html"] if state.get("html") else None
    row["notebook"] = rel + state["notebook"] if state.get("notebook") else None
    return row


def _flat_capacity(cap: dict) -> dict:
    """One column per figure: per-class dicts become `p95_wait_s.high`, ...; the SLO a readable rule."""
    out = {}
    for key in CAPACITY_COLUMNS:
        value = cap.get(key)
        if key == "slo" and isinstance(value, dict):
            out[key] = ", ".join(f"{cls}.{metric}<={bound:g}" for cls, targets in value.items()
                                 for metric, bound in targets.items())
        elif isinstance(value, dict):
            out.update({f"{key}.{name}": v for name, v in value.items()})
        else:
            out[key] = value
    return out


def _capacity_columns(rows: list[dict]) -> list[str]:
    """CAPACITY_COLUMNS in order, each expanded to the per-class columns the runs produced."""
    columns = []
    for key in CAPACITY_COLUMNS:
        found = [c for row in rows for c in row if c == key or c.startswith(f"{key}.")]
        columns += list(dict.fromkeys(found)) or [key]
    return columns


def _write_summary(grid_dir: Path, spec: GridSpec, system_name: str, runs: list[GridRun]):
    rows = [_row(grid_dir, run) for run in runs]
    columns = ["run", *spec.parameters, "status", *_capacity_columns(rows), "failed_cell", "error"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else _show(v) if isinstance(v, (bool, dict, list)) else v)
                      for k, v in row.items()} for row in rows)
    csv_path = atomic_write_text(grid_dir / "summary.csv", buffer.getvalue())
    html = render_grid_summary(system_name=system_name, grid_name=spec.name, notebook=spec.notebook,
                               columns=columns, rows=rows)
    return csv_path, atomic_write_text(grid_dir / "summary.html", html), rows


def run_grid(system_path: str | Path, grid_file: str | Path, *, out: str | Path = "reports",
             parameters: dict | None = None, jobs: int | None = None, scheduler=None,
             notebooks_dir: Path | None = None, with_code: bool = False, force: bool = False,
             progress: bool = True, timeout: int | None = None) -> GridResult:
    """Run every combination of GRID.yaml (process pool, or Dask with `scheduler`) and summarise."""
    from archbook import load_system

    start = time.perf_counter()
    spec = load_grid(grid_file)
    system_dir = resolve_system(system_path)
    system_name = check_name(system_dir.name, "system folder name")
    load_system(system_dir)  # bad input fails once, not once per run
    assets.find_assets()
    notebook = _notebook(spec, find_notebooks_dir(notebooks_dir))
    grid_dir = safe_join(Path(out).resolve(), system_name, "grids", spec.name)
    text = notebook.read_text(encoding="utf-8")
    parameters_for([notebook], {**(parameters or {}), **spec.fixed, **spec.parameters})  # all must be declared
    shipped = system_files(system_dir) if scheduler is not None else None
    runs, pending, skipped, by_key = expand_grid(spec), [], [], {}
    for run in runs:
        run_dir = safe_join(grid_dir, "runs", run.name)
        params = {**(parameters or {}), **spec.fixed, **run.parameters}
        digest = input_hash(text, params, system_dir, f"with_code={with_code}", assets.assets_fingerprint())
        if not force and _up_to_date(run_dir, digest):
            skipped.append(run.name)
            continue
        by_key[run.name] = (run, run_dir, params)
        pending.append(Job(key=run.name, notebook_name=notebook.name, notebook_text=text, parameters=params,
                           system_dir=str(system_dir), input_hash=digest, title=f"{notebook.stem} [{run.name}]",
                           cwd=str(notebook.parent), system_files=shipped, with_code=with_code,
                           index_href="../../summary.html", timeout=timeout,
                           out_dir_shown=str(run_dir / "artifacts")))
    failed = []
    for result in run_jobs(pending, n_jobs=jobs or default_jobs(), scheduler=scheduler,
                           desc=f"grid {spec.name}", progress=progress):
        run, run_dir, params = by_key[result.key]
        state = _publish_run(run_dir, run, params, result)
        if not result.ok:
            failed.append(state)
    csv_path, html_path, rows = _write_summary(grid_dir, spec, system_name, runs)
    return GridResult(grid_dir, csv_path, html_path, rows, [j.key for j in pending], skipped,
                      sorted(failed, key=lambda s: s["run"]), time.perf_counter() - start)
