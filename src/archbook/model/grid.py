"""GRID.yaml: batch runs of one notebook, once per combination of parameter values.

    name: load-x-autoscale        # optional, default: the file's stem
    notebook: "04"                # notebook number (or file name) under notebooks/
    parameters:                   # every combination runs once
      arrival_multiplier: [0.5, 1, 1.5, 2]
      autoscale: [true, false]    # a single value may be written without brackets
    fixed: {reps: 3}              # optional, the same for every run

A model, like every other input format, so that the file is checked (and its mistakes
explained) by the same code and `archbook schema` can publish its JSON Schema.
"""
from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from archbook.model.base import Strict

__all__ = ["GridFile", "Identifier"]


def _python_name(name: str) -> str:
    """Parameters become Python variables in the notebook's injected cell."""
    if not name.isidentifier():
        raise PydanticCustomError("python_name", "`{name}` is not a valid Python name",
                                  {"name": name, "hint": "use letters, digits and `_`, not starting with a digit"})
    return name


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _notebook_number(value: Any) -> Any:
    """`notebook: 4` (or YAML's octal-looking `04`) means notebook "04"."""
    return f"{value:02d}" if _is_int(value) else value


def _int_as_text(value: Any) -> Any:
    return str(value) if _is_int(value) else value


def _as_list(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


def _none_as_empty(value: Any) -> Any:
    return {} if value is None else value


Identifier = Annotated[str, AfterValidator(_python_name)]
_Single = Union[str, float, bool, None, dict[str, Any]]
# Values of one parameter: a non-empty list, or one value (any value but a list) meaning [value].
Values = Annotated[list[Any], Field(min_length=1),
                   BeforeValidator(_as_list, json_schema_input_type=Union[Annotated[list[Any], Field(min_length=1)],
                                                                          _Single])]


class GridFile(Strict):
    name: Annotated[str | None, BeforeValidator(_int_as_text, json_schema_input_type=str | int | None)] = Field(
        default=None, description="Folder name of this grid's runs; default: the file's stem.")
    notebook: Annotated[str, Field(min_length=1), BeforeValidator(_notebook_number, json_schema_input_type=str | int)] \
        = Field(description='Notebook number ("04") or file name under notebooks/.')
    parameters: dict[Identifier, Values] = Field(min_length=1, description="Every combination runs once.")
    fixed: Annotated[dict[str, Any], BeforeValidator(_none_as_empty, json_schema_input_type=dict[str, Any] | None)] \
        = Field(default_factory=dict, description="Parameters with the same value in every run.")
