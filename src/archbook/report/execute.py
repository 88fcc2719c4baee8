"""Run notebooks with papermill, one self-contained job at a time, locally or on Dask.

A job carries everything a worker needs (notebook text, parameters, and for
remote workers the system folder's files) and returns everything it produced
as bytes. Workers never write into the report folder: the caller publishes the
results atomically, so an interrupted or failed run leaves no half-written
report, and the same job runs unchanged on a process pool or a Dask cluster.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import contextvars
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["Job", "JobResult", "run_job", "run_jobs", "default_jobs"]

KERNEL_NAME = "archbook"
_IN_POOL_WORKER = False  # set in pool workers, whose stderr we may redirect


@dataclass(frozen=True)
class Job:
    """One notebook execution. `key` names it uniquely (page name or run name)."""

    key: str
    notebook_name: str
    notebook_text: str
    parameters: dict
    system_dir: str
    input_hash: str
    title: str = ""
    cwd: str | None = None
    system_files: dict[str, bytes] | None = None  # shipped to remote workers
    export: bool = True
    with_code: bool = False
    index_href: str | None = None
    assets_href: str | None = None  # the report's shared `_assets/` folder, relative to the page; None inlines
    kernel_name: str = KERNEL_NAME
    timeout: int | None = None
    out_dir_shown: str | None = None  # where the artifacts will be published (shown instead of the temp path)


@dataclass
class JobResult:
    """What one job produced; `artifacts` maps paths relative to out_dir to bytes."""

    key: str
    notebook_name: str
    input_hash: str
    ok: bool
    notebook: bytes = b""
    html: str | None = None
    artifacts: dict[str, bytes] = field(default_factory=dict)
    cell: int | None = None
    error: str | None = None
    seconds: float = 0.0


def default_jobs() -> int:
    """Workers to use by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def _materialise_system(files: dict[str, bytes], root: Path) -> Path:
    for rel, data in files.items():
        target = (root / rel).resolve()
        if not target.is_relative_to(root.resolve()):
            raise ValueError(f"system file {rel!r} escapes the system folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def _collect(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _failing_cell_number(source_nb, executed_nb) -> int | None:
    """1-based position of the failing cell in the *source* notebook.

    Papermill inserts cells (injected parameters, error banners) into the
    executed copy, so its index is mapped back through the cell id.
    """
    failed = next((c for c in executed_nb.cells
                   if any(o.get("output_type") == "error" for o in c.get("outputs", []))
                   or c.get("metadata", {}).get("papermill", {}).get("exception") is True), None)
    if failed is None:
        return None
    for position, cell in enumerate(source_nb.cells, start=1):
        if failed.get("id") and cell.get("id") == failed.get("id"):
            return position
    return None


def _execute(job: Job, tmp: Path):
    """Run papermill into `tmp`; return (executed notebook node, cell, error)."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    system = job.system_dir
    if job.system_files is not None:
        system = str(_materialise_system(job.system_files, tmp / "system"))
    out_dir = tmp / "artifacts"
    out_dir.mkdir()
    source = nbformat.reads(job.notebook_text, as_version=4)
    output = tmp / "executed.ipynb"
    params = {**job.parameters, "system": system, "out_dir": str(out_dir)}
    cell = error = None
    log = tmp / "kernel-stderr.log"
    try:
        _papermill_with_restart(source, output, params, job, tmp, log)
    except PapermillExecutionError as exc:
        cell = _failing_cell_number(source, nbformat.read(output, as_version=4))
        error = f"{exc.ename}: {exc.evalue} (In [{exc.exec_count}])"
    except Exception as exc:  # kernel missing or died, timeout: still a failed run, not a crash
        error = f"{type(exc).__name__}: {exc}" + _tail(log)
    executed = nbformat.read(output, as_version=4) if output.exists() else source
    return executed, cell, error, out_dir


_START_ATTEMPTS = 3


def _papermill_with_restart(source, output: Path, params: dict, job: Job, tmp: Path, log: Path) -> None:
    """Run papermill; start the kernel again if it died before running a single cell.

    Kernels started side by side can pick the same free port (jupyter_client
    probes ports, then releases them), and the loser dies at start-up with
    "Address already in use" before replying to kernel_info. No cell ran, so a
    second start is safe and gives the same result.
    """
    for attempt in range(1, _START_ATTEMPTS + 1):
        try:
            return _papermill(source, output, params, job, tmp, log)
        except RuntimeError as exc:
            if "before replying to kernel_info" not in str(exc) or attempt == _START_ATTEMPTS:
                raise
            time.sleep(0.2 * attempt)


def _papermill(source, output: Path, params: dict, job: Job, tmp: Path, log: Path) -> None:
    import papermill as pm

    with _kernel_stderr_to(log):
        pm.execute_notebook(
            source, str(output), parameters=params, kernel_name=job.kernel_name,
            progress_bar=False, store_widget_state=True,
            # The kernel's working folder, set on the kernel only: papermill's own `cwd=`
            # chdirs this whole process, which races when Dask runs jobs in threads.
            resources={"metadata": {"path": job.cwd or str(tmp)}},
            request_save_on_cell_execute=False, execution_timeout=job.timeout,
            shutdown_kernel="immediate",  # outputs are complete; a graceful stop only costs time
        )


@contextlib.contextmanager
def _kernel_stderr_to(log: Path):
    """In pool workers, send the kernel's stderr (inherited fd 2) to `log` instead of the
    user's terminal: ipykernel's start-up warnings are noise in a batch build, and a
    crash's last words are added to the error message instead (see _tail)."""
    if not _IN_POOL_WORKER:
        yield
        return
    saved = os.dup(2)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.dup2(fd, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(fd)
        os.close(saved)


def _tail(log: Path, lines: int = 5) -> str:
    try:
        text = [ln for ln in log.read_text(errors="replace").splitlines()
                if ln.strip() and "without encryption" not in ln]
    except OSError:
        return ""
    return ("\n    kernel said: " + "\n    ".join(text[-lines:])) if text else ""


def run_job(job: Job) -> JobResult:
    """Execute (and optionally export) one notebook in a private temp folder."""
    import nbformat

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="archbook-run-") as tmp:
        # A fresh context: jupyter_core keeps "this thread's event loop" in a ContextVar, and a Dask
        # thread inherits the submitter's (a loop that may be running), so nbclient must not see it.
        executed, cell, error, out_dir = contextvars.Context().run(_execute, job, Path(tmp))
        executed = _shown_paths(executed, job, Path(tmp))
        result = JobResult(job.key, job.notebook_name, job.input_hash, ok=error is None,
                           notebook=nbformat.writes(executed).encode("utf-8"), cell=cell, error=error)
        result.artifacts = _collect(out_dir)
    if result.ok and job.export:
        result.html = export_result(job, executed)
    result.seconds = time.perf_counter() - start
    return result


def _shown_paths(executed, job: Job, tmp: Path):
    """Replace this run's private temp paths with where things really live, so the
    kept notebook (parameters cell, printed paths) points at the published files."""
    import json

    import nbformat

    text = nbformat.writes(executed)
    swaps = [(tmp / "artifacts", job.out_dir_shown), (tmp / "system", job.system_dir if job.system_files else None),
             (tmp / "executed.ipynb", job.notebook_name)]
    for private, shown in swaps:
        if shown:
            text = text.replace(json.dumps(str(private))[1:-1], json.dumps(str(shown))[1:-1])
    return nbformat.reads(text, as_version=4)


def export_result(job: Job, executed) -> str:
    """HTML page for an executed notebook (runs on the worker or, for Dask, the client)."""
    from archbook.report.export import export_html

    return export_html(executed, title=job.title or job.notebook_name, with_code=job.with_code,
                       index_href=job.index_href, resources_dir=Path(job.cwd) if job.cwd else None,
                       assets_href=job.assets_href)


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: let the parent decide, and make
    # SIGTERM (sent by the parent on interrupt) unwind so kernels shut down cleanly.
    global _IN_POOL_WORKER
    _IN_POOL_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    # Unwind so nbclient stops the kernel and temp folders go; the parent already
    # reported the interruption, so this worker's tracebacks would only be noise.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    raise KeyboardInterrupt(f"signal {signum}")


def _progress(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="nb", disable=not enabled, leave=False)


def _pool_context():
    # fork lets workers inherit the imported modules (papermill, nbconvert), saving
    # seconds per worker, but is only safe while this process runs a single thread
    # (the CLI does: run_jobs forks before the progress bar starts its thread).
    # Otherwise (e.g. inside a notebook or next to a Dask client) use forkserver.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _run_local(jobs: list[Job], n_jobs: int) -> Iterator[JobResult | None]:
    if n_jobs <= 1:  # in this process, one after another (handy for debugging)
        yield None
        for job in jobs:
            yield run_job(job)
        return
    pool = ProcessPoolExecutor(max_workers=min(n_jobs, len(jobs)), mp_context=_pool_context(),
                               initializer=_worker_init)
    finished = False
    try:
        futures = [pool.submit(run_job, job) for job in jobs]
        yield None  # every job is submitted
        for future in as_completed(futures):
            yield future.result()
        finished = True
    finally:
        if not finished:  # interrupted or abandoned: stop workers now (they hold no report files)
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(jobs: list[Job], scheduler) -> Iterator[JobResult | None]:
    from dask.distributed import Client, as_completed as dask_completed

    import nbformat

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout="30s")
    by_key = {job.key: job for job in jobs}
    # Export on the client: remote workers need not have the offline scripts (vendor/js).
    remote = [replace(job, export=False) for job in jobs]
    try:
        futures = client.map(run_job, remote, key=[f"archbook-{job.key}-{job.input_hash[:12]}" for job in jobs],
                             pure=False)
        yield None  # every job is submitted
        for future in dask_completed(futures):
            result = future.result()
            job = by_key[result.key]
            if result.ok and job.export:
                result.html = export_result(job, nbformat.reads(result.notebook.decode("utf-8"), as_version=4))
            yield result
    finally:
        if client is not scheduler:
            client.close()


def _stream(source: Iterator[JobResult | None], total: int, desc: str, progress: bool) -> Iterator[JobResult]:
    bar = _progress(total, desc, progress)
    try:
        for result in source:
            bar.update(1)
            yield result
    finally:
        bar.close()
        getattr(source, "close", lambda: None)()


def run_jobs(jobs: Iterable[Job], *, n_jobs: int | None = None, scheduler=None,
             desc: str = "notebooks", progress: bool = True) -> Iterator[JobResult]:
    """Start every job now; iterate to receive each result as it finishes.

    Jobs run on a process pool (`n_jobs`, default: all CPUs; 1 = in this process)
    or, when `scheduler` is given, on that Dask cluster. Submitting before
    returning lets the caller do other work while the notebooks run. Close the
    iterator (or exhaust it) to release the workers.
    """
    jobs = list(jobs)
    n_jobs = n_jobs or default_jobs()
    if not jobs:
        source = iter([None])
    elif scheduler is not None:
        source = _run_dask(jobs, scheduler)
    else:
        source = _run_local(jobs, n_jobs)
    next(source)  # submit (and fork) now, before the progress bar starts its thread
    return _stream(source, len(jobs), desc, progress)
