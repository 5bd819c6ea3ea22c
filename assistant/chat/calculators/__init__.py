"""Computed answers: a question that gives every quantity of a formula is answered by computing it.

Each calculator of `CALCULATORS` recognises the quantities of its formula in a question (None when one is
missing: a missing number is never guessed), computes with the pure functions of assistant/engineering and
writes the result with the formula, the values substituted and the clause the formula comes from. Its
arguments model doubles as the tool an LLM may call when the recogniser does not match (`CALCULATE`).
"""

from __future__ import annotations

import re
from typing import Any

from assistant.chat.calculators.base import Calculator, Computed, FormulaSource
from assistant.chat.calculators.fits import (
    FitLimitsOfSize,
    StandardTolerance,
    compute_fit,
    compute_standard_tolerance,
    recognise_fit,
    recognise_standard_tolerance,
)
from assistant.chat.calculators.lean import (
    KanbanCardCount,
    TaktTime,
    compute_kanban,
    compute_takt,
    recognise_kanban,
    recognise_takt,
)
from assistant.chat.calculators.main_time import TurningMainTime, compute_turning, recognise_turning
from assistant.errors import EmptyIndexError
from assistant.llm.client import LLM, Usage
from assistant.llm.model import Step
from assistant.llm.prompts import load_prompt
from assistant.retrieval.access import Allowed
from assistant.retrieval.index import KnowledgeIndex
from assistant.retrieval.models import Passage

_NUMBERS = re.compile(r"(?<![A-Za-z])\d+(?:[.,]\d+)?")  # numbers, not the grades of H7 or g6

CALCULATORS: dict[str, Calculator[Any]] = {
    "kanban": Calculator("kanban", KanbanCardCount, recognise_kanban, compute_kanban),
    "takt": Calculator("takt", TaktTime, recognise_takt, compute_takt),
    "fit": Calculator("fit", FitLimitsOfSize, recognise_fit, compute_fit),
    "standard_tolerance": Calculator(
        "standard_tolerance", StandardTolerance, recognise_standard_tolerance, compute_standard_tolerance
    ),
    "main_time": Calculator("main_time", TurningMainTime, recognise_turning, compute_turning),
}
_BY_TOOL = {c.arguments.__name__: c for c in CALCULATORS.values()}


def calculate(question: str) -> Computed | None:
    """The first calculator that recognises every quantity it needs in the question, computed; else None."""
    return next((found for c in CALCULATORS.values() if (found := c.answer(question)) is not None), None)


def _offline(value: tuple[str, Usage]) -> Computed | None:
    return calculate(value[0])


def _with_llm(llm: LLM, value: tuple[str, Usage]) -> Computed | None:
    """The recognisers first (no tokens); a question with numbers they do not read is offered to the model as tools."""
    question, usage = value
    if (found := calculate(question)) is not None or len(_NUMBERS.findall(question)) < 2:
        return found
    messages = load_prompt("calculator_tools").render(question=question)
    args, used = llm.choose_tool(messages, [c.arguments for c in CALCULATORS.values()], step="calculate")
    usage.add(used)
    return _BY_TOOL[type(args).__name__].computed(args) if args is not None else None


CALCULATE: Step[tuple[str, Usage], Computed | None] = Step("calculate", _offline, _with_llm)


def locate(index: KnowledgeIndex, source: FormulaSource, allowed: Allowed | None = None) -> Passage | None:
    """The indexed passage of the formula's clause (for its page and title), or None when it is not indexed
    (or not of the `allowed` access levels)."""
    try:
        passages = index.search(source.query, k=10, doc=source.doc, allowed=allowed)
    except EmptyIndexError:
        return None  # nothing indexed yet: the clause is cited by document and number alone
    return next((p for p in passages if source.section in p.clauses or p.section == source.section), None)


__all__ = ["CALCULATE", "CALCULATORS", "Calculator", "Computed", "FormulaSource", "calculate", "locate"]
