"""Discovery of users' own rules: `<system>/archbook_rules.py`, `<system>/rules/*.py`, and the
`archbook.rules` entry-point group. A rule file that fails to import, or a rule that raises,
becomes a failed checklist item carrying the error -- never a crash."""
from __future__ import annotations

import hashlib
import importlib.util
import inspect
from importlib.metadata import entry_points
from pathlib import Path

from archbook.checklist.registry import Rule

__all__ = ["rule_files", "discover", "entry_point_rules"]


def rule_files(root: str | Path) -> list[Path]:
    root = Path(root)
    files = [root / "archbook_rules.py"] if (root / "archbook_rules.py").is_file() else []
    if (root / "rules").is_dir():
        files += sorted(p for p in (root / "rules").glob("*.py") if not p.name.startswith("_"))
    return files


def _humanise(name: str) -> str:
    words = name.removeprefix("check_").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name


def _rule_from(func, origin_name: str) -> Rule:
    meta = getattr(func, "__archbook_rule__", None) or {}
    doc = (inspect.getdoc(func) or "").splitlines()
    item = meta.get("item") or (doc[0].rstrip(".") if doc else _humanise(func.__name__))
    rid = meta.get("rule_id") or f"{origin_name}:{func.__name__}"
    return Rule(rid, item, meta.get("section") or "custom", func, "custom")


def _broken(rid: str, item: str, error: BaseException) -> Rule:
    message = f"could not load: {type(error).__name__}: {error}"

    def failed(_system, _message=message):
        return False, _message
    return Rule(rid, item, "custom", failed, "custom")


def _rules_in_module(module, origin_name: str) -> list[Rule]:
    out = []
    for name, obj in vars(module).items():
        if not callable(obj) or getattr(obj, "__module__", None) != module.__name__:
            continue
        if hasattr(obj, "__archbook_rule__") or (name.startswith("check_") and inspect.isfunction(obj)):
            out.append(_rule_from(obj, origin_name))
    return out


def _load_file(path: Path):
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    spec = importlib.util.spec_from_file_location(f"archbook_user_rules_{digest}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def discover(root: str | Path) -> list[Rule]:
    """Rules defined in the system folder, in file order then definition order."""
    out: list[Rule] = []
    for path in rule_files(root):
        label = path.relative_to(Path(root)).as_posix()
        try:
            module = _load_file(path)
        except BaseException as exc:  # noqa: BLE001 -- SyntaxError, ImportError, SystemExit in user code
            if isinstance(exc, KeyboardInterrupt):
                raise
            out.append(_broken(f"{label}:load", f"Custom rules in {label}", exc))
            continue
        out += _rules_in_module(module, label)
    return out


def entry_point_rules() -> list[Rule]:
    """Rules published by installed packages under the `archbook.rules` entry-point group."""
    out: list[Rule] = []
    for ep in entry_points(group="archbook.rules"):
        try:
            obj = ep.load()
        except Exception as exc:  # noqa: BLE001
            out.append(_broken(f"entry-point:{ep.name}", f"Custom rule {ep.name}", exc))
            continue
        if inspect.ismodule(obj):
            out += _rules_in_module(obj, f"entry-point:{ep.name}")
        elif callable(obj):
            out.append(_rule_from(obj, f"entry-point:{ep.name}"))
    return out
