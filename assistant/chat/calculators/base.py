"""What every calculator is: the clause a formula comes from, a computed answer, and the calculator itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

Args = TypeVar("Args", bound=BaseModel)


@dataclass(frozen=True)
class FormulaSource:
    """The clause a formula comes from, and words of it to find its passage in the index."""

    doc: str
    section: str
    query: str


@dataclass(frozen=True)
class Computed:
    """A computed answer: its text (with [n] markers) and the clauses [1], [2] ... it cites."""

    calculator: str
    text: str
    sources: tuple[FormulaSource, ...]


@dataclass(frozen=True)
class Calculator(Generic[Args]):
    """Recognise the quantities of one formula in a question, and compute the answer from them."""

    name: str
    arguments: type[Args]
    recognise: Callable[[str], Args | None]
    compute: Callable[[Args], Computed]

    def answer(self, question: str) -> Computed | None:
        """The computed answer, or None when the question lacks a quantity or its values are out of range."""
        try:
            args = self.recognise(question)
        except ValueError:  # pydantic's ValidationError included: a quantity out of its range
            return None
        return self.computed(args) if args is not None else None

    def computed(self, args: Args) -> Computed | None:
        """The answer for arguments already read (by the recogniser or an LLM tool call); None when out of range."""
        try:
            return self.compute(args)
        except ValueError:
            return None
