"""The main-time calculator: main time of longitudinal turning or boring by the formula of time-norms.md §3.1,
computed by assistant/engineering/norms.py."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.catalog import load_catalog
from assistant.chat.calculators.base import Computed, FormulaSource
from assistant.chat.calculators.quantities import N, first, fmt, number
from assistant.engineering import norms
from assistant.engineering.types import Process, Requirement

# ---- main time of turning (time-norms.md §3.1) -----------------------------------------------------

TURNING_CLAUSE = FormulaSource(norms.TIME_DOC, "3.1.1", "main time of longitudinal turning To = (L + l_approach)")
PASSES_CLAUSE = FormulaSource(norms.TIME_DOC, "3.1.2", "number of passes i is one for semi-finish finish")


class TurningMainTime(BaseModel):
    """Main (machining) time of longitudinal turning or boring: To = (L + l)·i / (n·s), n = 1000·v / (π·D)."""

    length_mm: float = Field(gt=0, description="length turned L, mm")
    diameter_mm: float = Field(gt=0, description="diameter D of the surface turned, mm")
    speed_m_min: float = Field(gt=0, description="cutting speed v, m/min")
    feed_mm_rev: float = Field(gt=0, description="feed s, mm per revolution")
    passes: int | None = Field(None, ge=1, description="number of passes i, if given")


_TURN = re.compile(r"\b(?:main|machining|cutting|turning|boring)\s+time\b|\b(?:turn|bor)(?:e|es|ed|ing)?\b", re.I)
_LENGTH = (
    rf"length(?:\s*(?:of|is|=|:))*\s*{N}\s*mm",
    rf"over\s+{N}\s*mm",
    rf"{N}\s*mm\s+(?:long|length)",
    rf"\bL\s*=\s*{N}",
)
_SPEED = (rf"{N}\s*m\s*/\s*min", rf"cutting\s+speed(?:\s*(?:v|of|is|=|:))*\s*{N}", rf"\bv\s*=\s*{N}")
_FEED = (
    rf"{N}\s*mm\s*/\s*r(?:ev)?\b",
    rf"feed(?:\s*(?:s|of|is|=|:))*\s*{N}(?![\d.,])(?!\s*mm\s*/\s*min)",
    rf"\bs\s*=\s*{N}(?![\d.,])(?!\s*mm\s*/\s*min)",
)
_DIAMETER = (rf"(?:diameter|dia\.?|Ø|⌀|ø)(?:\s*(?:of|is|=|:))*\s*{N}", rf"{N}\s*mm\s+diameter", rf"\bD\s*=\s*{N}")
_PASSES = (r"\b(\d+|one|two|three|four)\s+passes?\b", r"\bpasses?(?:\s*(?:i|=|:))*\s*(\d+)\b", r"\bi\s*=\s*(\d+)\b")


def recognise_turning(question: str) -> TurningMainTime | None:
    """L, D, v and s (and i when given) of a question on the main time of turning."""
    if not _TURN.search(question):
        return None
    found = [first(question, p) for p in (_LENGTH, _DIAMETER, _SPEED, _FEED)]
    if any(m is None for m in found):
        return None
    length, diameter, speed, feed = (number(m.group(1)) for m in found if m is not None)
    passes = first(question, _PASSES)
    return TurningMainTime(
        length_mm=length,
        diameter_mm=diameter,
        speed_m_min=speed,
        feed_mm_rev=feed,
        passes=int(number(passes.group(1))) if passes else None,
    )


def compute_turning(args: TurningMainTime) -> Computed:
    """To by the turning formula of assistant/engineering/norms.py, with n and the values substituted."""
    approach, passes = load_catalog().norms.approach_mm, args.passes or 1
    cutting = {"v": {"any": args.speed_m_min}, "feed": args.feed_mm_rev, "depth": 1.0}  # i passes = stock i / depth 1
    process = Process("turn", "turning", "finish", "turning", {}, None, 0.0, TURNING_CLAUSE.section, cutting)
    requirement = Requirement("Q", "external_cylinder", 0, 0.0, args.diameter_mm, args.length_mm)
    minutes = norms.turning(norms.Cut(process, requirement, "any", approach, float(passes), args.diameter_mm))
    n = norms.spindle_speed(args.speed_m_min, args.diameter_mm)
    v, d, s, length = (fmt(x) for x in (args.speed_m_min, args.diameter_mm, args.feed_mm_rev, args.length_mm))
    lines = [
        f"Main time of turning: To = {fmt(minutes, 2)} min [1].",
        f"n = 1000·v / (π·D) = 1000 × {v} / (π × {d}) = {fmt(n, 1)} rev/min [1].",
        f"To = (L + l_approach)·i / (n·s) = ({length} + {fmt(approach)}) × {passes} / ({fmt(n, 1)} × {s}) "
        f"= {fmt(minutes, 2)} min [1],",
        f"with L = {length} mm, D = {d} mm, v = {v} m/min, s = {s} mm/rev, i = {passes} and l_approach = "
        f"{fmt(approach)} mm, the approach and overrun prepro adds to every cutting length.",
    ]
    if not args.passes:
        lines.append("No number of passes was given: one pass, as for semi-finish and finish turning [2].")
    text = "\n".join(lines)
    return Computed("main_time", text, (TURNING_CLAUSE,) if args.passes else (TURNING_CLAUSE, PASSES_CLAUSE))
