"""Run one subcommand so that no traceback ever reaches the user.

A user's mistake (`ArchbookError`), an output that cannot be written (`OSError`), a broken
template (jinja2's errors), a closed pipe (`archbook validate ... | head -1`) and Ctrl-C each
become one line on stderr and a non-zero exit. Anything else is a bug in archbook: one line
names it and the path of a file holding the full traceback, as pip does, with its own exit code.
"""
from __future__ import annotations

import gc
import os
import sys
import tempfile
import time
import traceback

from archbook.errors import ArchbookError

__all__ = ["run_guarded", "EXIT_ERROR", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_PIPE"]

EXIT_ERROR = 1         # the input or the environment is wrong; the message says how
EXIT_INTERNAL = 3      # a bug: see the saved traceback
EXIT_PIPE = 141        # the reader of our output went away (128 + SIGPIPE), as shells report it
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


def run_guarded(command: str, func, args) -> int:
    """`func(args)` with every exception turned into one line on stderr and an exit code."""
    try:
        code = int(func(args) or 0)
        gc.freeze()  # the exit's final collection would walk every object left: ~0.3 s after a sweep
        sys.stdout.flush()  # a closed pipe shows here, inside the guard, not at interpreter exit
        return code
    except ArchbookError as exc:
        return _say(command, str(exc), EXIT_ERROR)
    except KeyboardInterrupt:
        return _say(command, "interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        return _say(command, "the output was closed before all of it was written (broken pipe)", _closed_pipe())
    except OSError as exc:
        return _say(command, _os_message(exc), EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 -- the whole point: nothing escapes as a traceback
        if _caused_by_interrupt(exc):  # compiled code (numba) wraps Ctrl-C in a SystemError
            return _say(command, "interrupted", EXIT_INTERRUPTED)
        if type(exc).__module__.split(".")[0] == "jinja2":
            return _say(command, _template_message(exc), EXIT_ERROR)
        return _say(command, f"internal error: {type(exc).__name__}: {exc}; "
                             f"the traceback is saved in {_save_traceback(command)} (please report it)", EXIT_INTERNAL)


def _caused_by_interrupt(exc: BaseException) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _say(command: str, message: str, code: int) -> int:
    try:
        print(f"archbook {command}: {message}", file=sys.stderr)
    except (OSError, ValueError):
        pass
    return code


def _os_message(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    target = exc.filename if exc.filename is not None else ""
    hint = "; check that the folder exists and that you may write there" if isinstance(
        exc, (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)) else ""
    return f"{target}: {what}{hint}" if target else f"{what}{hint}"


def _template_message(exc: Exception) -> str:
    where = ":".join(str(p) for p in (getattr(exc, "filename", None) or getattr(exc, "name", None),
                                      getattr(exc, "lineno", None)) if p)
    return f"template error{' in ' + where if where else ''}: {getattr(exc, 'message', None) or exc}"


def _closed_pipe() -> int:
    """Stop writing: send what is left of stdout to /dev/null so that the exit flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_PIPE


def _save_traceback(command: str) -> str:
    text = traceback.format_exc()
    fd, path = tempfile.mkstemp(prefix=f"archbook-{command}-{time.strftime('%Y%m%d-%H%M%S')}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(f"archbook {command} {' '.join(sys.argv[1:])}\n{text}")
    return path
