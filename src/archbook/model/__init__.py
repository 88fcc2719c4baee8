"""The design model: pydantic types that define every input format. No I/O happens here."""
from archbook.model.api import Operation, RateLimit, WsChannel, WsMessage
from archbook.model.architecture import (
    Architecture, Component, ComponentKind, Dependency, FailureMode, Layer, Release, SystemInfo,
)
from archbook.model.flows import Alt, Branch, Flow, Loop, Message, Note, Opt, Participant, iter_steps
from archbook.model.grid import GridFile
from archbook.model.patterns import CodeSample, Pattern, PatternsFile, PatternUsage
from archbook.model.system import SystemModel
from archbook.model.versioning import SupportPolicy, Versioning

__all__ = [
    "Alt", "Architecture", "Branch", "CodeSample", "Component", "ComponentKind", "Dependency", "FailureMode",
    "Flow", "GridFile", "Layer", "Loop", "Message", "Note", "Operation", "Opt", "Participant", "Pattern", "PatternUsage",
    "PatternsFile", "RateLimit", "Release", "SupportPolicy", "SystemInfo", "SystemModel", "Versioning",
    "WsChannel", "WsMessage", "iter_steps",
]
