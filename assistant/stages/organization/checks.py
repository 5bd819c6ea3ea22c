"""Checks of any organizational plan (the stage's, a person's edit) against its input (ORG_PLAN.md rules):
takt, station loads within takt, every element in exactly one station, precedence across stations, efficiency and
balance delay, kanban cards by the formula."""

from __future__ import annotations

import math
from collections import Counter

from assistant.stages.findings import Finding, error
from assistant.stages.organization.balance import Timing
from assistant.stages.organization.elements import Line
from assistant.stages.organization.flow import kanban_count, kanban_formula
from assistant.stages.organization.model import KanbanItem, OrgRule
from assistant.stages.organization.plan import OrgPlan

RELATIVE = 1e-9  # a load within this share of takt is within takt
FIGURE = 5e-6  # efficiency and balance delay are shown to six decimals


def _close(a: float, b: float, tolerance: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def check_takt(plan: OrgPlan, timing: Timing) -> list[Finding]:
    """The plan's takt is the input's (takt_min, or available time over demand)."""
    if _close(plan.takt_min, timing.takt_min):
        return []
    return [error(OrgRule.TAKT, f"takt_min is {plan.takt_min:g} but the input gives {timing.takt_min:g} min")]


def check_assignment(plan: OrgPlan, line: Line) -> list[Finding]:
    """Every element of the line in exactly one station, and no element the line does not have."""
    known = [e.id for e in line.elements]
    placed = Counter(op for s in plan.stations for op in s.operations)
    found = []
    for element in known:
        if placed[element] == 0:
            found.append(error(OrgRule.ELEMENT_ASSIGNMENT, f"element {element} is in no station", operation=element))
        elif placed[element] > 1:
            where = ", ".join(str(s.n) for s in plan.stations if element in s.operations)
            message = f"element {element} is in {placed[element]} stations ({where}); it belongs in exactly one"
            found.append(error(OrgRule.ELEMENT_ASSIGNMENT, message, operation=element))
    for element in sorted(set(placed) - set(known)):
        message = f"station lists element {element}, which the line does not have"
        found.append(error(OrgRule.ELEMENT_ASSIGNMENT, message, operation=element))
    return found


def check_loads(plan: OrgPlan, line: Line, takt: float) -> list[Finding]:
    """Each station's load is the sum of its elements and within takt, unless it holds one element longer than takt."""
    times = {e.id: e.time_min for e in line.elements}
    found = []
    for s in plan.stations:
        where = f"station {s.n}"
        load = round(sum(times.get(op, 0.0) for op in s.operations), 9)
        if not _close(load, s.load_min):
            message = f"{where}: load_min is {s.load_min:g} but its elements take {load:g} min"
            found.append(error(OrgRule.STATION_LOAD, message, operation=where))
        alone_over = len(s.operations) == 1 and times.get(s.operations[0], 0.0) > takt
        if load > takt * (1 + RELATIVE) and not alone_over:
            message = (
                f"{where}: load {load:g} min is over takt {takt:g} min; move an element to another station "
                "(an element longer than takt stays alone in its station)"
            )
            found.append(error(OrgRule.STATION_OVER_TAKT, message, operation=where))
    return found


def check_precedence(plan: OrgPlan, line: Line) -> list[Finding]:
    """No predecessor in a later station than its successor."""
    station: dict[str, int] = {}
    for s in plan.stations:
        for op in s.operations:
            station.setdefault(op, s.n)  # an element in two stations is an assignment error; its first one counts
    found = []
    for e in line.elements:
        for p in e.predecessors:
            if e.id in station and p in station and station[p] > station[e.id]:
                message = (
                    f"element {e.id} (station {station[e.id]}) comes before its predecessor {p} (station {station[p]})"
                )
                found.append(error(OrgRule.PRECEDENCE_ORDER, message, operation=e.id))
    return found


def check_indicators(plan: OrgPlan, line: Line) -> list[Finding]:
    """Total work is the elements' sum; efficiency = ΣT / (N × takt); balance delay = 1 − efficiency."""
    total = round(sum(e.time_min for e in line.elements), 9)
    found = []
    if not _close(plan.total_work_min, total):
        message = f"total_work_min is {plan.total_work_min:g} but the elements take {total:g} min"
        found.append(error(OrgRule.EFFICIENCY, message, operation="total_work_min"))
    if plan.stations:
        expected = plan.total_work_min / (len(plan.stations) * plan.takt_min)
        if abs(plan.efficiency - expected) > FIGURE:
            message = (
                f"efficiency is {plan.efficiency:g} but ΣT / (N × takt) = {plan.total_work_min:g} / "
                f"({len(plan.stations)} × {plan.takt_min:g}) = {expected:.6g}"
            )
            found.append(error(OrgRule.EFFICIENCY, message, operation="efficiency"))
    if abs(plan.balance_delay - (1 - plan.efficiency)) > FIGURE:
        message = f"balance_delay is {plan.balance_delay:g} but 1 − efficiency = {1 - plan.efficiency:.6g}"
        found.append(error(OrgRule.EFFICIENCY, message, operation="balance_delay"))
    return found


def check_kanban(plan: OrgPlan, items: list[KanbanItem]) -> list[Finding]:
    """Each loop of the input has its cards by N = ceil(D·L·(1 + S) / C), and the formula shows those values."""
    shown = {k.item: k for k in plan.kanban}
    found = []
    for item in items:
        formula, cards = kanban_formula(item), kanban_count(item)
        result = shown.get(item.item)
        if result is None:
            found.append(error(OrgRule.KANBAN_CARDS, f"kanban loop {item.item} is missing", feature=item.item))
        elif result.cards != cards or result.formula != formula:
            message = f"kanban {item.item}: {result.cards} cards ({result.formula}) but {formula} = {cards}"
            found.append(error(OrgRule.KANBAN_CARDS, message, feature=item.item))
    return found


def check_plan(plan: OrgPlan, line: Line, timing: Timing, kanban: list[KanbanItem]) -> list[Finding]:
    """Every check of a plan against its input's line, time base and kanban loops."""
    return [
        *check_takt(plan, timing),
        *check_assignment(plan, line),
        *check_loads(plan, line, timing.takt_min),
        *check_precedence(plan, line),
        *check_indicators(plan, line),
        *check_kanban(plan, kanban),
    ]
