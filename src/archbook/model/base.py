"""Shared base for every design-model type: unknown keys are errors, not silently dropped."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = ["Strict", "Id", "Text"]


class Strict(BaseModel):
    """Base model: forbid unknown keys (typos must be caught), freeze nothing, strip strings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True, defer_build=True)


# An identifier used in references (components, layers, flows). Letters, digits, `_`, `-`, `.`.
Id = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$")]
# Free text shown to readers: any characters, escaped when rendered.
Text = Annotated[str, StringConstraints(min_length=1)]
