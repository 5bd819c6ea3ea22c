"""The model a chain runs on: a chat model, or the offline model that applies each step's rules instead.

A chain step declares both ways of doing its job (`Step`): the rule-based one and the one that uses an
LLM. The configured model runs one of them, so no caller branches on whether an LLM is configured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from assistant.llm.client import LLM

In = TypeVar("In")
Out = TypeVar("Out")


@dataclass(frozen=True)
class Step(Generic[In, Out]):
    """One step of a chain: what it does from rules alone, and what it does with an LLM."""

    name: str
    offline: Callable[[In], Out]
    with_llm: Callable[[LLM, In], Out]


class Model(Protocol):
    """What chains need of a model: who it is, and running a step."""

    @property
    def provider(self) -> str:
        """The provider's name (`offline`, `local`, `openai`, ...)."""
        ...

    @property
    def label(self) -> str:
        """`offline`, or `provider:model` as drafts and answers record it."""
        ...

    def run(self, step: Step[In, Out], value: In) -> Out:
        """Do the step this model's way."""
        ...


@dataclass(frozen=True)
class OfflineModel:
    """The `offline` provider: no LLM; every step is done by its rules (extractive answers, rule-based drafts)."""

    provider: str = "offline"
    model_name: str = "rules"

    @property
    def label(self) -> str:
        """Always `offline`."""
        return "offline"

    def run(self, step: Step[In, Out], value: In) -> Out:
        """The step's rule-based way."""
        return step.offline(value)
