"""The lean calculators: the number of kanban cards of a loop (lean-kanban.md §4.1) and the takt time of a line
(takt-and-line-balancing.md §2.1-2.2)."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, PrivateAttr, model_validator

from assistant.chat.calculators.base import Computed, FormulaSource
from assistant.chat.calculators.quantities import COUNT, UNIT_TIME, N, blank, daily_demand, first, fmt, minutes, number
from assistant.engineering import lean

# ---- kanban cards (lean-kanban.md §4.1) -------------------------------------------------------------

KANBAN_CLAUSE = FormulaSource(lean.KANBAN_DOC, "4.1", "number of kanban cards N = ceil(D·L·(1 + S) / C)")
KANBAN_STOCK = FormulaSource(lean.KANBAN_DOC, "4.5", "maximum inventory in the loop equals N·C")


class KanbanCardCount(BaseModel):
    """Number of kanban cards (containers) of a pull loop: N = ceil(D·L·(1 + S) / C)."""

    demand_per_day: float = Field(gt=0, description="demand D, pieces per day")
    lead_time_days: float = Field(gt=0, description="replenishment lead time L of the whole loop, days")
    safety_factor: float = Field(ge=0, lt=1, description="safety factor S as a fraction (10 % is 0.1)")
    container_quantity: float = Field(gt=0, description="container quantity C, pieces per container")


_LEAD = (
    rf"lead[\s-]*time(?:\s*(?:is|of|=|:))*\s*{N}\s*(days?|d|hours?|hrs?|h|shifts?|weeks?|wk)?\b",
    rf"{N}\s*(days?|d)\b[^.?!]{{0,12}}lead[\s-]*time",
    rf"replenish\w*(?:\s+time)?(?:\s*(?:is|of|=|:|takes))*\s*{N}\s*(days?|d|hours?|hrs?|h|weeks?)?\b",
    rf"\bL\s*=\s*{N}\s*(days?|d)?\b",
)
_CONTAINER = (
    rf"(?:containers?|boxe?s?|bins?|totes?)\s+(?:of|with|holding|holds|hold)\s+{N}",
    rf"(?:container|box|bin|tote)\s*(?:size|quantity|qty|capacity)?(?:\s*(?:is|of|=|:))*\s*{N}",
    rf"{N}\s*(?:pcs|pieces|parts|units|items)?\s*(?:per|/|in\s+(?:a|each|one|every))\s*(?:container|box|bin|tote)",
    rf"\bC\s*=\s*{N}",
)
_SAFETY = (
    rf"safety(?:\s+(?:factor|stock|margin|allowance))?(?:\s*(?:is|of|=|:))*\s*{N}\s*(%|percent)?",
    rf"{N}\s*(%|percent)\s*(?:of\s+)?safety",
    rf"\bS\s*=\s*{N}\s*(%)?",
)


def _safety(question: str) -> float | None:
    """The safety factor as a fraction: 10 % → 0.1; a bare number under 1 is a fraction; a bare 1.1 is ambiguous."""
    if re.search(r"\b(?:no|without|zero)\s+safety", question, re.I):
        return 0.0
    match = first(question, _SAFETY)
    if not match:
        return None
    value = number(match.group(1))
    if match.group(2):
        return value / 100
    return value if value < 1 else None


def recognise_kanban(question: str) -> KanbanCardCount | None:
    """The loop's D, L, S and C, when the question asks for kanban cards and gives all four."""
    if not re.search(r"\bkanban|\bcards?\b", question, re.I):
        return None
    demand, lead, container = daily_demand(question), first(question, _LEAD), first(question, _CONTAINER)
    safety = _safety(question)
    if demand is None or lead is None or container is None or safety is None:
        return None
    unit = (lead.group(2) or "days").lower()
    if not unit.startswith("d"):
        return None  # hours, shifts or weeks: days per week or hours per day would be a guess
    return KanbanCardCount(
        demand_per_day=demand,
        lead_time_days=number(lead.group(1)),
        safety_factor=safety,
        container_quantity=number(container.group(1)),
    )


def compute_kanban(args: KanbanCardCount) -> Computed:
    """N = ceil(D·L·(1 + S) / C) with the values substituted."""
    loop = lean.KanbanLoop(args.demand_per_day, args.lead_time_days, args.safety_factor, args.container_quantity)
    result = lean.kanban_cards(loop)
    d, lt, c = fmt(loop.demand_per_day), fmt(loop.lead_time_days), fmt(loop.container)
    safety = f"{fmt(loop.safety)} ({fmt(loop.safety * 100)} %)"
    text = "\n".join(
        [
            f"Number of kanban cards: N = {result.cards} [1].",
            f"N = ceil(D·L·(1 + S) / C) = ceil({d} × {lt} × {fmt(1 + loop.safety)} / {c}) "
            f"= ceil({fmt(result.exact)}) = {result.cards}, rounded up to the next whole card,",
            f"with D = {d} pieces per day, L = {lt} days, S = {safety} and C = {c} pieces per container [1].",
            f"The loop then holds at most N·C = {result.cards} × {c} = {fmt(result.max_inventory)} pieces [2].",
        ]
    )
    return Computed("kanban", text, (KANBAN_CLAUSE, KANBAN_STOCK))


# ---- takt time (takt-and-line-balancing.md §2.1-2.2) --------------------------------------------

AVAILABLE_CLAUSE = FormulaSource(
    lean.TAKT_DOC, "2.1", "available working time per day T_avail = number of shifts × (shift length − planned breaks)"
)
TAKT_CLAUSE = FormulaSource(lean.TAKT_DOC, "2.2", "takt time T_takt = T_avail / D customer demand per day")


class TaktTime(BaseModel):
    """Takt time T_takt = T_avail / D, T_avail = shifts × (shift length − planned breaks per shift)."""

    demand_per_day: float = Field(gt=0, description="customer demand D, pieces per day")
    shifts: float | None = Field(None, gt=0, description="number of shifts per day")
    shift_min: float | None = Field(None, gt=0, description="length of one shift, minutes")
    breaks_min: float | None = Field(None, ge=0, description="planned breaks of one shift, minutes")
    available_min: float | None = Field(None, gt=0, description="available time per day, minutes, if given directly")
    _shift_hours: float | None = PrivateAttr(None)  # the shift length as the question wrote it, in hours

    @model_validator(mode="after")
    def _time_given(self) -> TaktTime:
        if self.available_min is None and None in (self.shifts, self.shift_min, self.breaks_min):
            raise ValueError("give the available time, or the shifts, the shift length and the planned breaks")
        return self


_SHIFTS = (
    rf"\b{COUNT}\s+(?:\d+(?:[.,]\d+)?\s*-?\s*{UNIT_TIME}\s+)?shifts?\b",
    r"\b(\d+)\s*-\s*shifts?\b",
    r"\bshifts?(?:\s+per\s+day)?\s*(?:=|:)\s*(\d+)\b",
)
_SHIFT_LENGTH = (
    rf"shifts?\s*(?:of|lasting|length(?:\s+of)?|=|:|are|is)\s*(?:of\s+)?{N}\s*{UNIT_TIME}\b",
    rf"{N}\s*-?\s*{UNIT_TIME}\s*-?\s*shifts?\b",
    rf"{N}\s*{UNIT_TIME}\s+(?:per|a|each|/)\s*shift\b",
    rf"{N}\s*{UNIT_TIME}\s+each\b",
)
_BREAKS = (
    rf"breaks?(?:\s*(?:of|=|:|are|is|total(?:ling)?))*\s*{N}\s*{UNIT_TIME}",
    rf"{N}\s*{UNIT_TIME}\s+(?:of\s+)?(?:planned\s+)?(?:breaks?|pauses?)",
)
_AVAILABLE = (
    rf"available(?:\s+(?:working\s+)?time)?(?:\s*(?:is|of|=|:))*\s*{N}\s*{UNIT_TIME}",
    rf"{N}\s*{UNIT_TIME}\s+(?:of\s+)?available",
)


def _breaks(question: str) -> tuple[float | None, str]:
    """Planned breaks per shift in minutes (0 for 'no breaks'), and the text without them."""
    if re.search(r"\b(?:no|without)\s+(?:planned\s+)?breaks?\b", question, re.I):
        return 0.0, question
    match = first(question, _BREAKS)
    if match is None or re.match(r"\s*(?:per|a|each)\s+day", question[match.end() :], re.I):
        return None, question  # breaks per day would need their split over the shifts
    return minutes(number(match.group(1)), match.group(2)), blank(question, match)


def recognise_takt(question: str) -> TaktTime | None:
    """Demand and the available time (given, or from shifts, shift length and breaks) of a takt question."""
    if not re.search(r"\bta[ck]t\b", question, re.I):
        return None
    demand = daily_demand(question)
    if demand is None:
        return None
    if available := first(question, _AVAILABLE):
        return TaktTime(demand_per_day=demand, available_min=minutes(number(available.group(1)), available.group(2)))
    breaks, rest = _breaks(question)
    shifts, length = first(rest, _SHIFTS), first(rest, _SHIFT_LENGTH)
    if breaks is None or shifts is None or length is None:
        return None
    args = TaktTime(
        demand_per_day=demand,
        shifts=number(shifts.group(1)),
        shift_min=minutes(number(length.group(1)), length.group(2)),
        breaks_min=breaks,
    )
    if length.group(2).lower().startswith("h"):
        args._shift_hours = number(length.group(1))
    return args


def compute_takt(args: TaktTime) -> Computed:
    """T_avail (when built from shifts) and T_takt with the values substituted."""
    lines, sources = [], [TAKT_CLAUSE]
    if args.available_min is not None:
        available = args.available_min
        lines.append(f"T_avail = {fmt(available)} min per day (given).")
    else:
        assert args.shifts is not None and args.shift_min is not None and args.breaks_min is not None
        pattern = lean.ShiftPattern(args.shifts, args.shift_min, args.breaks_min)
        available = lean.available_time(pattern)
        shift, breaks = fmt(pattern.shift_min), fmt(pattern.breaks_min)
        hours = args._shift_hours
        given = f" (shift length {fmt(hours)} h = {shift} min)" if hours is not None else ""
        lines.append(
            f"T_avail = number of shifts × (shift length − planned breaks) = {fmt(pattern.shifts)} × ({shift} − "
            f"{breaks}) = {fmt(available)} min per day{given} [2]."
        )
        sources.append(AVAILABLE_CLAUSE)
    takt = lean.takt_time(available, args.demand_per_day)
    head = f"Takt time: {fmt(takt.minutes)} min = {fmt(takt.seconds, 1)} s per piece [1]."
    formula = (
        f"T_takt = T_avail / D = {fmt(available)} / {fmt(args.demand_per_day)} = {fmt(takt.minutes)} min "
        f"per piece, with D = {fmt(args.demand_per_day)} pieces per day [1]."
    )
    return Computed("takt", "\n".join([head, *lines, formula]), tuple(sources))
