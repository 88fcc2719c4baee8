"""`archbook serve [SYSTEM]`: the capacity panel as a code-free web app, with Voilà, on localhost.

Voilà runs the app notebook shipped in `archbook.widgets.app` and strips its
code. It listens on 127.0.0.1 only, and uses archbook's `archbook` Voilà template,
which drops the stock template's CDN links, so the page works offline: every
script and stylesheet comes from this server.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from archbook.cli.lab import run_server, require_kernel

__all__ = ["register", "run", "serve_command", "serve_env"]


def register(subparsers) -> None:
    parser = subparsers.add_parser("serve", help="serve the capacity panel as a web app (Voilà, localhost)")
    parser.add_argument("system", nargs="?", default="data/video-editor",
                        help="system folder or its queue.yaml (default: data/video-editor, searched from here upward)")
    parser.add_argument("--port", type=int, default=8866, help="port to listen on (default: 8866)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--token", action="store_true",
                        help="require a generated token in the URL (other local users cannot connect)")
    parser.set_defaults(func=run)


def serve_command(port: int, open_browser: bool = True, token: bool = False) -> list[str]:
    """The Voilà command line for the app notebook: localhost, code stripped, offline template."""
    from archbook.widgets.app import APP_NOTEBOOK, TEMPLATE

    cmd = [sys.executable, "-m", "voila", str(APP_NOTEBOOK), f"--port={port}", "--Voila.ip=127.0.0.1",
           f"--template={TEMPLATE}", "--strip_sources=True", "--theme=light"]
    if not open_browser:
        cmd.append("--no-browser")
    if token:
        cmd.append("--token")
    return cmd


def serve_env(system: Path, base: dict | None = None) -> dict:
    """Environment for the Voilà server: the scenario to show (absolute), and our template on JUPYTER_PATH."""
    from archbook.widgets.app import JUPYTER_DIR, SYSTEM_ENV

    env = dict(os.environ if base is None else base)
    env[SYSTEM_ENV] = str(system)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_DIR), env.get("JUPYTER_PATH", "")) if p)
    return env


def run(args: argparse.Namespace) -> int:
    from archbook.load.scenario import load_scenario, resolve_scenario_path

    system = resolve_scenario_path(args.system)  # fail here, with a clear message, not inside the web page
    load_scenario(system)  # a file that is no valid scenario fails here too
    require_kernel()
    print(f"archbook serve: capacity panel for {system} on http://127.0.0.1:{args.port}/", file=sys.stderr)
    cmd = serve_command(args.port, not args.no_browser, token=args.token)
    return run_server(cmd, cwd=Path.cwd(), env=serve_env(system))
