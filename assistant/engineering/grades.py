"""The IT grade of a tolerance given as limit deviations (tolerances-and-fits.md §3.7.4-3.7.5; ISO 286-1, GOST 25346).

The tolerance is the upper minus the lower deviation; its grade is the coarsest grade whose standard tolerance for
the size range does not exceed it, since a process that holds that grade holds the drawing's tolerance. A tolerance
finer than IT1 or coarser than IT18 for the size is not a drawing tolerance but a slip (a µm value typed as mm).

Standard tolerances come from the ISO 286 table of fits.yaml (IT4 to IT14); the grades outside it follow the rules of
the standard: IT15 to IT18 are ten times IT10 to IT13 (§3.4-3.5), IT1 = 0.8 + 0.020·D µm with D the geometric mean
of the size range, and the grades between IT1 and the finest tabulated one are scaled geometrically (§3.7.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from assistant.engineering.fits import LimitsTable, standard_tolerance

GRADES = range(1, 19)  # IT1 to IT18
DOC, SECTION = "tolerances-and-fits.md", "3.7.5"


@dataclass(frozen=True)
class SpanGrade:
    """The grade a tolerance span holds at a nominal size."""

    size: float  # mm
    span: float  # upper − lower deviation, µm
    grade: int
    standard: float  # the standard tolerance of that grade at the size, µm


def _range_mean(table: LimitsTable, size: float) -> float:
    """D, the geometric mean of the limits of the table's size range holding `size` (√(1·3) for the first, as
    ISO 286-1 takes it)."""
    bounds = sorted({bound for rows in table.tolerances.values() for bound, _ in rows})
    upper = next(bound for bound in bounds if size <= bound)
    lower = max((bound for bound in bounds if bound < upper), default=1.0)
    return math.sqrt(lower * upper)


def grade_tolerances(table: LimitsTable, size: float) -> dict[int, float]:
    """IT1 to IT18 in µm at a nominal size: the tabulated grades as they are, the others by the standard's rules."""
    values = {grade: standard_tolerance(table, size, grade) for grade in table.tolerances}
    for grade in GRADES:  # IT(n) = 10·IT(n−5) from IT6 upward
        if grade not in values and grade >= 11 and grade - 5 in values:
            values[grade] = 10 * values[grade - 5]
    values.setdefault(1, 0.8 + 0.020 * _range_mean(table, size))
    known = sorted(values)
    for grade in GRADES:  # grades between two known ones: the geometric series between them
        if grade not in values:
            below = max((g for g in known if g < grade), default=None)
            above = min((g for g in known if g > grade), default=None)
            if below is None or above is None:
                raise ValueError(f"IT{grade} is not known for {size:g} mm")
            ratio = values[above] / values[below]
            values[grade] = values[below] * ratio ** ((grade - below) / (above - below))
    return dict(sorted(values.items()))


def span_grade(table: LimitsTable, size: float, span: float) -> SpanGrade:
    """The coarsest grade whose standard tolerance at `size` (mm) does not exceed `span` (µm); a span finer than
    IT1 or coarser than IT18 is an absurd tolerance (ValueError)."""
    if span <= 0:
        raise ValueError(f"a tolerance span must be positive (got {span:g} µm)")
    values = grade_tolerances(table, size)
    finest, coarsest = values[min(values)], values[max(values)]
    slack = 1e-6  # deviations in mm carry float noise: 0.016000000000000004 mm is 16 µm
    if span < finest - slack:
        raise ValueError(f"absurd tolerance: span {span:g} µm is tighter than IT1 ({finest:.2g} µm) for {size:g} mm")
    if span > coarsest + slack:
        raise ValueError(f"absurd tolerance: span {span:g} µm is coarser than IT18 ({coarsest:g} µm) for {size:g} mm")
    grade = max(g for g, value in values.items() if value <= span + slack)
    return SpanGrade(size, span, grade, values[grade])
