"""ISO 286 limits of size: limit deviations of a hole or shaft tolerance class, and the limits of a fit.

Rules: iso-286-limits.md (§3 shafts, §4 holes, §5 fits); values: the tables of knowledge/catalog/fits.yaml.
Deviations are in micrometres, sizes in millimetres; a size range "over a to b" includes b.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (upper bound of the size range in mm, value in µm) rows: the first row whose bound is at least the size applies.
Rows = tuple[tuple[float, float], ...]
_CLASS = re.compile(r"^([A-Za-z]{1,2})(\d{1,2})$")


@dataclass(frozen=True)
class Special:
    """A tabulated exception to a rule, e.g. M6 over 250 to 315 mm (iso-286-limits.md §4.7)."""

    grade: int
    over: float
    to: float
    value: float


@dataclass(frozen=True)
class Position:
    """The fundamental deviation of one letter (H, g, K ...), which limit it fixes, and its values by size.

    `limit` is es or ei (shafts), EI or ES (holes), or sym for js / JS (±IT/2). Grades up to `fine_up_to`
    read `rows` (holes K to ZC add Δ there when `delta`); coarser grades read `coarse`, which may stop at a
    smaller size than `rows` where the standard gives no value.
    """

    letter: str
    limit: str
    rows: Rows = ()
    section: str = ""
    fine_up_to: int | None = None
    delta: bool = False
    coarse: Rows | None = None
    special: tuple[Special, ...] = ()


@dataclass(frozen=True)
class LimitsTable:
    """Standard tolerances and fundamental deviations (fits.yaml) with the document that states the rules."""

    doc: str
    tolerances: dict[int, Rows]  # IT grade → rows
    positions: dict[str, Position]  # by letter as written: H, JS, g, js
    max_size: float
    no_delta_up_to: float  # Δ is zero for sizes up to this (3 mm)
    fit_section: str = ""
    tolerance_section: str = ""


@dataclass(frozen=True)
class ToleranceClass:
    """A tolerance class: the letter of the fundamental deviation and the IT grade (H7, g6, JS9)."""

    letter: str
    grade: int

    def __str__(self) -> str:
        return f"{self.letter}{self.grade}"


def tolerance_class(text: str) -> ToleranceClass:
    """'H7' → ToleranceClass('H', 7); 'js6' → ToleranceClass('js', 6)."""
    match = _CLASS.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a tolerance class like H7 or g6")
    return ToleranceClass(match.group(1), int(match.group(2)))


@dataclass(frozen=True)
class Limits:
    """Limit deviations of one toleranced size, µm."""

    size: float
    cls: ToleranceClass
    upper: float
    lower: float
    fundamental: float  # the deviation the letter fixes (Δ included), before the IT is added or subtracted
    it: float
    delta: float = 0.0

    @property
    def hole(self) -> bool:
        """True for a hole class."""
        return self.cls.letter.isupper()

    @property
    def tolerance(self) -> float:
        """Upper minus lower deviation, µm."""
        return self.upper - self.lower

    @property
    def largest(self) -> float:
        """Maximum limit of size, mm."""
        return self.size + self.upper / 1000

    @property
    def smallest(self) -> float:
        """Minimum limit of size, mm."""
        return self.size + self.lower / 1000


@dataclass(frozen=True)
class FitLimits:
    """The limits of a fit: positive values are clearances, negative ones interferences, µm (§5.1)."""

    hole: Limits
    shaft: Limits

    @property
    def max_clearance(self) -> float:
        """ES − ei."""
        return self.hole.upper - self.shaft.lower

    @property
    def min_clearance(self) -> float:
        """EI − es."""
        return self.hole.lower - self.shaft.upper

    @property
    def kind(self) -> str:
        """clearance, interference or transition (§5.2)."""
        if self.min_clearance >= 0:
            return "clearance"
        if self.max_clearance <= 0:
            return "interference"
        return "transition"


def _row(rows: Rows, size: float) -> float | None:
    return next((value for bound, value in rows if size <= bound), None)


def standard_tolerance(table: LimitsTable, size: float, grade: int) -> float:
    """IT value in µm of a grade at a nominal size."""
    if not 0 < size <= table.max_size:
        raise ValueError(f"nominal size {size:g} mm is outside the tables (over 0 up to {table.max_size:g} mm)")
    if grade not in table.tolerances:
        grades = ", ".join(f"IT{g}" for g in sorted(table.tolerances))
        raise ValueError(f"IT{grade} is not tabulated (choose from {grades})")
    value = _row(table.tolerances[grade], size)
    if value is None:
        raise ValueError(f"IT{grade} has no value for {size:g} mm")
    return value


def _delta(table: LimitsTable, size: float, grade: int) -> float:
    """Δ = IT(n) − IT(n−1), zero for sizes up to 3 mm (§4.6)."""
    if size <= table.no_delta_up_to:
        return 0.0
    if grade - 1 not in table.tolerances:
        raise ValueError(f"Δ for grade {grade} needs IT{grade - 1}, which is not tabulated")
    return standard_tolerance(table, size, grade) - standard_tolerance(table, size, grade - 1)


def _fundamental(table: LimitsTable, position: Position, size: float, grade: int) -> tuple[float, float]:
    """(fundamental deviation, the Δ it includes) of a position at a size and grade."""
    for special in position.special:
        if special.grade == grade and special.over < size <= special.to:
            return special.value, 0.0
    fine = position.fine_up_to is None or grade <= position.fine_up_to
    rows = position.rows if fine or position.coarse is None else position.coarse
    value = _row(rows, size)
    if value is None:
        raise ValueError(f"{position.letter}{grade} is not defined for {size:g} mm in ISO 286")
    delta = _delta(table, size, grade) if fine and position.delta else 0.0
    return value + delta, delta


def limits(table: LimitsTable, size: float, cls: ToleranceClass) -> Limits:
    """Limit deviations of a tolerance class at a nominal size (§3 for shafts, §4 for holes)."""
    position = table.positions.get(cls.letter)
    if position is None:
        letters = ", ".join(sorted(table.positions, key=lambda x: (x.islower(), x)))
        raise ValueError(f"tolerance position '{cls.letter}' is not in the tables (choose from {letters})")
    it = standard_tolerance(table, size, cls.grade)
    if position.limit == "sym":
        return Limits(size, cls, it / 2, -it / 2, 0.0, it)
    fundamental, delta = _fundamental(table, position, size, cls.grade)
    if position.limit in {"es", "ES"}:
        return Limits(size, cls, fundamental, fundamental - it, fundamental, it, delta)
    return Limits(size, cls, fundamental + it, fundamental, fundamental, it, delta)


def fit_limits(table: LimitsTable, size: float, hole: ToleranceClass, shaft: ToleranceClass) -> FitLimits:
    """Limits of the fit hole/shaft at a nominal size, e.g. Ø50 H7/g6 (§5)."""
    if not hole.letter.isupper() or not shaft.letter.islower():
        raise ValueError(f"a fit is written hole/shaft, e.g. H7/g6 (got {hole}/{shaft})")
    return FitLimits(limits(table, size, hole), limits(table, size, shaft))
