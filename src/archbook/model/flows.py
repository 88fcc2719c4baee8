"""Data flows: ordered steps between participants, with loop / alt / opt blocks, drawn as sequence diagrams."""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, model_validator

from archbook.model.base import Id, Strict, Text

__all__ = ["Participant", "Message", "Note", "Loop", "Opt", "Alt", "Branch", "Phase", "Step", "Flow", "iter_steps"]


class Participant(Strict):
    """A component id, or an actor (e.g. User) that is not a component. `label` renames it in the diagram."""

    id: Id
    label: str | None = None
    actor: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"id": value} if isinstance(value, str) else value


class Message(Strict):
    """An arrow. `operation` names an OpenAPI operationId; `event` an AsyncAPI message; `graphql` a
    GraphQL root operation (`Query.job`)."""

    source: Id = Field(alias="from")
    target: Id = Field(alias="to")
    message: Text
    kind: Literal["request", "response", "self", "async"] = "request"
    operation: str | None = Field(default=None, description="OpenAPI operationId this request calls.")
    event: str | None = Field(default=None, description="AsyncAPI message name this step sends.")
    graphql: str | None = Field(default=None, description="GraphQL root operation this step calls, e.g. Query.job.")

    @model_validator(mode="after")
    def _self_is_self(self) -> "Message":
        if self.kind == "self" and self.source != self.target:
            raise ValueError("a 'self' step must have the same 'from' and 'to'")
        return self


class Note(Strict):
    kind: Literal["note"]
    over: list[Id] = Field(min_length=1, max_length=2)
    message: Text


class Phase(Strict):
    """A marker (`- phase: Upload`) at the top level of a flow: the steps after it, up to the next
    marker, form one named phase, drawn as its own sequence diagram (long flows stay readable)."""

    phase: Text


class _Block(Strict):
    """Loop, opt and alt branches: nested steps, where a phase marker makes no sense."""

    @model_validator(mode="after")
    def _no_phase_inside(self):
        if any(isinstance(s, Phase) for s in self.steps):
            raise ValueError("a `phase:` marker belongs at the top level of a flow's steps, not inside a block")
        return self


class Loop(_Block):
    loop: Text
    steps: list["Step"] = Field(min_length=1)


class Opt(_Block):
    opt: Text
    steps: list["Step"] = Field(min_length=1)


class Branch(_Block):
    when: Text
    steps: list["Step"] = Field(min_length=1)


class Alt(Strict):
    alt: list[Branch] = Field(min_length=1)


def _step_tag(value: Any) -> str:
    """Pick the step type from its keys, so YAML stays terse (no `type:` field needed)."""
    if isinstance(value, dict):
        for key in ("loop", "opt", "alt", "phase"):
            if key in value:
                return key
        return "note" if value.get("kind") == "note" else "message"
    if isinstance(value, (Loop, Opt, Alt, Note, Message, Phase)):
        return type(value).__name__.lower()
    return "message"


Step = Annotated[
    Union[
        Annotated[Message, Tag("message")],
        Annotated[Note, Tag("note")],
        Annotated[Loop, Tag("loop")],
        Annotated[Opt, Tag("opt")],
        Annotated[Alt, Tag("alt")],
        Annotated[Phase, Tag("phase")],
    ],
    Discriminator(_step_tag),
]


class Flow(Strict):
    id: Id
    title: Text
    description: str | None = None
    participants: list[Participant] = Field(min_length=2)
    steps: list[Step] = Field(min_length=1)


Loop.model_rebuild()
Opt.model_rebuild()
Branch.model_rebuild()


def iter_steps(steps: list) -> "list[tuple[tuple[int | str, ...], Message | Note]]":
    """Flatten nested blocks into (path, leaf step) pairs; the path locates it in the YAML."""
    out: list = []

    def walk(items, prefix):
        for i, step in enumerate(items):
            here = prefix + (i,)
            if isinstance(step, (Loop, Opt)):
                walk(step.steps, here + ("steps",))
            elif isinstance(step, Alt):
                for j, branch in enumerate(step.alt):
                    walk(branch.steps, here + ("alt", j, "steps"))
            elif isinstance(step, Phase):
                continue
            else:
                out.append((here, step))

    walk(steps, ("steps",))
    return out
