"""The design model: pydantic types that define every input format. No I/O happens here."""
from __future__ import annotations

_HOME = {
    "archbook.model.api": ["Operation", "RateLimit", "WsChannel", "WsMessage"],
    "archbook.model.architecture": ["Architecture", "Component", "ComponentKind", "Dependency", "FailureMode",
                                    "Layer", "Release", "SystemInfo"],
    "archbook.model.flows": ["Alt", "Branch", "Flow", "Loop", "Message", "Note", "Opt", "Participant", "iter_steps"],
    "archbook.model.grid": ["GridFile"],
    "archbook.model.patterns": ["CodeSample", "Pattern", "PatternsFile", "PatternUsage"],
    "archbook.model.system": ["SystemModel"],
    "archbook.model.versioning": ["SupportPolicy", "Versioning"],
}
_LAZY = {name: module for module, names in _HOME.items() for name in names}
__all__ = sorted(_LAZY)


def __getattr__(name: str):
    """Lazy (PEP 562): a scenario needs only `archbook.model.queue`, and building every
    architecture model on the way cost a warm `archbook sweep` 0.13 s."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'archbook.model' has no attribute {name!r}")
