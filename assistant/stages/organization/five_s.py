"""The 5S implementation and audit plan of the line's new workplaces (lean-5s.md; GOST R 56906): which
workplace types the line has, and the audit checkpoints of each type under the five steps, scored 0..4 (5.1)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from assistant.citation import Citation
from assistant.stages.organization.plan import FiveSCheck

FIVE_S_DOC = "lean-5s.md"
SCORE_MAX = 4  # each checkpoint scored 0..4 (lean-5s.md 5.1)


class Workplace(StrEnum):
    """The workplace types a 5S plan distinguishes."""

    MACHINING = "machining station"
    ASSEMBLY = "assembly station"
    INSPECTION = "inspection station"
    STORAGE = "storage / supermarket"


STEPS = ("Sort", "Set in order", "Shine", "Standardize", "Sustain")

# (step, checkpoint, clause of lean-5s.md) per workplace type, in our words
CHECKPOINTS: dict[Workplace, tuple[tuple[str, str, str], ...]] = {
    Workplace.MACHINING: (
        (
            "Sort",
            "Only the tools, holders, inserts and gauges of the parts assigned to the station are at the machine",
            "6.1",
        ),
        ("Sort", "Red-tagged items have left the station and the red-tag area is cleared within its period", "3.4"),
        (
            "Set in order",
            "Tool holders and gauges sit on a shadow board or in labelled drawers in the order of use",
            "6.2",
        ),
        (
            "Set in order",
            "Places of blanks, work in progress and finished parts are marked with their maximum quantity",
            "6.5",
        ),
        (
            "Set in order",
            "The drawing and the operation card of the current operation are in the holder at the machine",
            "6.3",
        ),
        ("Shine", "Chips are removed daily; coolant level and concentration are checked; way covers are clean", "6.4"),
        ("Shine", "Sources of spray and leaks are closed by guards and seals, not only wiped", "2.5"),
        ("Standardize", "The layout, cleaning schedule and 5S checklist of the station are posted and current", "2.6"),
        ("Standardize", "Measuring instruments have a fixed protected place and a visible calibration status", "6.3"),
        ("Sustain", "The daily 5S routine (5-10 min at shift end) is part of the standard work and is done", "6.6"),
        ("Sustain", "Findings of the last audit are closed by their owners by the due date", "5.4"),
    ),
    Workplace.ASSEMBLY: (
        ("Sort", "Only the parts, fasteners and tools of the current assembly are at the post", "2.3"),
        (
            "Set in order",
            "Parts are presented in kanban containers or kits at marked places from the aisle side",
            "2.4",
        ),
        (
            "Set in order",
            "Every tool has one marked place within reach; any item is found and returned in about 30 s",
            "2.4",
        ),
        (
            "Shine",
            "Benches, fixtures and the floor are cleaned daily and damage found while cleaning is reported",
            "2.5",
        ),
        ("Standardize", "The standard work sheet, the post layout and the cleaning schedule are posted", "2.6"),
        ("Sustain", "Audits are held on schedule and the results posted as a trend", "5.3"),
    ),
    Workplace.INSPECTION: (
        ("Sort", "Only the instruments and gauges for the parts inspected here are at the place", "2.3"),
        ("Set in order", "Instruments have fixed protected places; the calibration status of each is visible", "6.3"),
        (
            "Set in order",
            "Places for parts awaiting inspection, accepted and rejected parts are marked; rejects in red",
            "4.2",
        ),
        ("Shine", "The surface plate and instruments are cleaned and checked for damage each shift", "2.5"),
        ("Standardize", "Inspection instructions and the current drawings are at the place", "2.6"),
        ("Sustain", "Audit findings are closed by their owners by the due date", "5.4"),
    ),
    Workplace.STORAGE: (
        ("Sort", "Only items of the line's kanban loops are stored; dead stock is red-tagged", "3.3"),
        (
            "Set in order",
            "Every rack place is labelled with part name, place and maximum quantity (min-max marks)",
            "4.3",
        ),
        ("Set in order", "Walkways and storage places are marked in the plant's colours", "4.2"),
        ("Shine", "Racks, containers and floor are clean; damaged containers are taken out", "2.5"),
        ("Standardize", "A place without a label or above its maximum is treated as an abnormality", "4.3"),
        ("Sustain", "Kanban cards and stock are checked at each audit and differences closed", "5.4"),
    ),
}

_KINDS = (
    (Workplace.INSPECTION, re.compile(r"inspect|check|control|measur|test", re.IGNORECASE)),
    (Workplace.ASSEMBLY, re.compile(r"assembl|fit|press|mount|install", re.IGNORECASE)),
)


def workplace_of(names: Iterable[str]) -> Workplace:
    """The type of a station from the names of its elements (machining unless they say otherwise)."""
    text = " ".join(names)
    return next((kind for kind, pattern in _KINDS if pattern.search(text)), Workplace.MACHINING)


def five_s_plan(station_names: Iterable[Iterable[str]], with_storage: bool) -> list[FiveSCheck]:
    """The audit checkpoints of every workplace type the line has, step by step."""
    kinds = {workplace_of(names) for names in station_names}
    if with_storage:
        kinds.add(Workplace.STORAGE)
    return [
        FiveSCheck(workplace=kind.value, step=step, checkpoint=text, source=Citation(doc=FIVE_S_DOC, section=clause))
        for kind in Workplace
        if kind in kinds
        for step, text, clause in CHECKPOINTS[kind]
    ]
