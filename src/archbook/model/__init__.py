"""The design model: pydantic types that define every input format. No I/O happens here."""
from __future__ import annotations

from archbook.lazy import lazy_attributes

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
# Lazy: a scenario needs only `archbook.model.queue` (the rest cost a warm `archbook sweep` 0.13 s).
__getattr__ = lazy_attributes(__name__, _LAZY)
