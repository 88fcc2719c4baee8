"""`archbook lab`: start JupyterLab for a design session, from this environment.

JupyterLab is started with `sys.executable -m jupyter lab`, so the server, the
`archbook` kernel and the widget extension all come from the same virtualenv
(ipywidgets 8 ships its JupyterLab extension prebuilt: no build step). The
server root is the project folder, so the notebooks' relative system paths
(`data/video-editor`) resolve; the browser opens on `notebooks/`. JupyterLab 4
renders Mermaid fences itself, from its own bundle, with no extension.

Everything that would phone home (news, update checks, the PyPI extension
manager) is switched off: a design session works offline.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from archbook.errors import ArchbookError

__all__ = ["register", "run", "run_server", "lab_command", "find_project_root", "require_kernel", "KERNEL_NAME"]

KERNEL_NAME = "archbook"

# Server settings that keep JupyterLab from reaching the internet.
OFFLINE_ARGS = [
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
]


def register(subparsers) -> None:
    parser = subparsers.add_parser("lab", help="start JupyterLab on the project's notebooks")
    parser.add_argument("--port", type=int, default=None, help="port to listen on (default: first free from 8888)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--dir", default=None, help="project folder (default: the nearest folder with notebooks/)")
    parser.set_defaults(func=run)


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder, from `start` upward, that holds `notebooks/`; else `start` itself.

    Why: `make lab` runs from the repo root, but users also call it from inside
    `notebooks/` or `data/`; the server root must be the project so that the
    notebooks' relative system paths resolve.
    """
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "notebooks").is_dir():
            return folder
    return start


def require_kernel(name: str = KERNEL_NAME) -> None:
    """Fail with a fix when the notebooks' kernel is not registered in this environment."""
    from jupyter_client.kernelspec import KernelSpecManager

    if name not in KernelSpecManager().find_kernel_specs():
        raise ArchbookError(
            f"the Jupyter kernel {name!r} is not registered in {sys.prefix}\n"
            f"    hint: run `make venv`, or `{sys.executable} -m ipykernel install --sys-prefix --name {name}`"
        )


def lab_command(root: Path, port: int | None = None, open_browser: bool = True, token: str | None = None) -> list[str]:
    """The JupyterLab command line: this interpreter, localhost only, offline, rooted at `root`."""
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}", "--ServerApp.ip=127.0.0.1"]
    cmd += [f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}", *OFFLINE_ARGS]
    if (root / "notebooks").is_dir():
        cmd.append("--LabApp.default_url=/lab/tree/notebooks")
    if port is not None:
        cmd.append(f"--ServerApp.port={port}")
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI often run as root
        cmd.append("--allow-root")
    return cmd


def run(args: argparse.Namespace) -> int:
    root = Path(args.dir).resolve() if args.dir else find_project_root()
    if not root.is_dir():
        raise ArchbookError(f"--dir {args.dir}: no such folder\n    hint: pass the project folder, the one holding notebooks/")
    require_kernel()
    cmd = lab_command(root, args.port, open_browser=not args.no_browser)
    return run_server(cmd, cwd=root)


def run_server(cmd: list[str], cwd: Path, env: dict | None = None) -> int:
    """Run a server until it exits; Ctrl-C reaches it too (same process group), so wait for it."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env or os.environ.copy())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.terminate()
            return proc.wait()
