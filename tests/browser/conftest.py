"""Fixtures for the browser tests: Debian's chromium through Playwright, and servers we own.

Every server runs in its own process group, in a temporary copy of the project's
notebooks and data (so nothing a test does is saved into the committed
notebooks), with its own Jupyter runtime/settings folders. The finalizer stops
the group and then any kernel whose connection file lives in our runtime folder.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
# Lab settings for the tests: render every cell (no virtual scrolling), no news toasts.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    """A headless Debian chromium; skipped only when it is absent and we are not in CI.

    Module scope, not session: Playwright's sync API keeps an asyncio loop marked
    as running while it is open, which would change how later tests (any
    `asyncio.run`, the panel's debounce) behave in the same pytest process.
    """
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing but CI=true: the browser tests must run (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed; the browser tests need Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and refuses every request leaving localhost."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.external_requests, pg.console_errors = [], []

    def guard(route):
        url = route.request.url
        host = url.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
        if url.startswith(("http://", "https://", "ws://", "wss://")) and host not in ("127.0.0.1", "localhost"):
            pg.external_requests.append(url)
            return route.abort()
        return route.continue_()

    context.route("**/*", guard)
    pg.on("console", lambda msg: pg.console_errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    context.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    token: str | None
    log: Path
    runtime: Path
    root: Path | None = None

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


def start_server(cmd: list[str], cwd: Path, env: dict, url: str, token: str | None, scratch: Path,
                 probe: str, timeout: float = 90) -> Server:
    """Start a server in its own process group and wait until `url + probe` answers."""
    log = scratch / f"server-{secrets.token_hex(3)}.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=_die_with_parent)
    server = Server(proc, url, token, log, Path(env["JUPYTER_RUNTIME_DIR"]))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(url + probe, timeout=2):
                return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    stop_server(server)
    raise RuntimeError(f"server did not answer {url} within {timeout} s:\n{server.log_tail()}")


def _die_with_parent() -> None:
    """Linux: SIGTERM the server if pytest dies (killed by a timeout, say) before its finalizers run."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop_server(server: Server) -> None:
    """SIGTERM the group (the server shuts its kernels down), then SIGKILL leftovers, kernels included."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    for pid in _processes_mentioning(str(server.runtime)):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _processes_mentioning(text: str) -> list[int]:
    """Pids whose command line mentions `text` (our kernels, by their connection-file folder)."""
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if text.encode() in (proc / "cmdline").read_bytes():
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def jupyter_env(scratch: Path) -> dict:
    """An environment whose Jupyter state (runtime, settings, workspaces) lives in `scratch`."""
    env = dict(os.environ)
    for name in ("runtime", "settings", "workspaces"):
        (scratch / name).mkdir(exist_ok=True)
    env.update(JUPYTER_RUNTIME_DIR=str(scratch / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(scratch / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"), PYDEVD_DISABLE_FILE_VALIDATION="1")
    for rel, value in LAB_SETTINGS.items():
        target = scratch / "settings" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))
    return env


def copy_project(dest: Path) -> Path:
    """A throwaway copy of notebooks/ and data/: the notebooks' relative system paths still resolve."""
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for name in ("notebooks", "data"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name, ignore=ignore)
    return dest


def launch_lab(scratch: Path) -> Server:
    """JupyterLab on a random port with a random token, rooted at a copy of the project in `scratch`."""
    from archbook.cli.lab import lab_command

    root = copy_project(scratch / "project")
    token, port = secrets.token_hex(16), free_port()
    cmd = lab_command(root, port, open_browser=False, token=token)
    server = start_server(cmd, root, jupyter_env(scratch), f"http://127.0.0.1:{port}/", token, scratch,
                          probe=f"api/status?token={token}")
    server.root = root
    return server


def launch_voila(scratch: Path) -> Server:
    """`archbook serve`'s Voilà command on a random port, for the copied default system."""
    from archbook.cli.serve import serve_command, serve_env

    root = copy_project(scratch / "project")
    port = free_port()
    env = serve_env(root / "data" / "video-editor", jupyter_env(scratch))
    cmd = serve_command(port, open_browser=False) + [f"--Voila.connection_dir_root={scratch / 'runtime'}"]
    server = start_server(cmd, root, env, f"http://127.0.0.1:{port}/", None, scratch, probe="voila/static/voila.js")
    server.root = root
    return server


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    server = launch_lab(tmp_path_factory.mktemp("lab"))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory):
    server = launch_voila(tmp_path_factory.mktemp("voila"))
    yield server
    stop_server(server)
