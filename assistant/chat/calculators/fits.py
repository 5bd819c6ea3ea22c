"""The ISO 286 calculators: the standard tolerance of a grade at a size, the limit deviations of a hole or
shaft class at a size, and the limits of a fit (iso-286-limits.md)."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, model_validator

from assistant.catalog.fits import load_fits
from assistant.chat.calculators.base import Computed, FormulaSource
from assistant.chat.calculators.quantities import fmt, number, signed, term
from assistant.engineering.fits import (
    FitLimits,
    Limits,
    LimitsTable,
    fit_limits,
    limits,
    standard_tolerance,
    tolerance_class,
)

# ---- limits of fits (iso-286-limits.md) --------------------------------------------------------------


class FitLimitsOfSize(BaseModel):
    """Limit deviations of an ISO 286 hole and/or shaft tolerance class at a nominal size, and their fit."""

    size_mm: float = Field(gt=0, le=500, description="nominal size, mm")
    hole: str | None = Field(None, description="hole tolerance class, e.g. H7 (upper case)")
    shaft: str | None = Field(None, description="shaft tolerance class, e.g. g6 (lower case)")

    @model_validator(mode="after")
    def _a_class(self) -> FitLimitsOfSize:
        if not (self.hole or self.shaft):
            raise ValueError("give a hole class, a shaft class or both")
        if (self.hole and not self.hole[0].isupper()) or (self.shaft and not self.shaft[0].islower()):
            raise ValueError("hole classes are written in upper case (H7), shaft classes in lower case (g6)")
        return self


_SIZE = r"(?:Ø|⌀|ø|diameter\s*|dia\.?\s*|size\s*|\bD\s*=\s*)?(\d+(?:[.,]\d+)?)\s*(?:mm\s*)?"
_FIT = re.compile(rf"{_SIZE}([A-Z]{{1,2}}\d{{1,2}})\s*/\s*([a-z]{{1,2}}\d{{1,2}})\b")
_CLASS = re.compile(rf"{_SIZE}([A-Za-z]{{1,2}}\d{{1,2}})\b")
_BARE_FIT = re.compile(r"\b([A-Z]{1,2}\d{1,2})\s*/\s*([a-z]{1,2}\d{1,2})\b")
_BARE_CLASS = re.compile(r"\b([A-Za-z]{1,2}\d{1,2})\b")
_LONE_SIZE = re.compile(
    r"(?:Ø|⌀|ø|diameter\s+(?:of\s+)?|dia\.?\s*|size\s+(?:of\s+)?)(\d+(?:[.,]\d+)?)|(\d+(?:[.,]\d+)?)\s*mm\b"
)
_ASKS_LIMITS = re.compile(r"limit|deviation|toleran|clearance|interference|upper|lower|\bmax|\bmin|range", re.I)


def _known(table: LimitsTable, cls: str) -> bool:
    try:
        found = tolerance_class(cls)
    except ValueError:
        return False
    return found.letter in table.positions and found.grade in table.tolerances


def _lone_size(question: str) -> float | None:
    sizes = {number(a or b) for a, b in _LONE_SIZE.findall(question)}
    return sizes.pop() if len(sizes) == 1 else None


def recognise_fit(question: str) -> FitLimitsOfSize | None:
    """'Ø50 H7/g6', '50 H7/k6', 'limits of 40 g6', 'H7/g6 at Ø50': one size with one fit or one class."""
    table = load_fits()
    fits = [m for m in _FIT.finditer(question) if _known(table, m.group(2)) and _known(table, m.group(3))]
    if len(fits) == 1:
        size, hole, shaft = fits[0].groups()
        return FitLimitsOfSize(size_mm=number(size), hole=hole, shaft=shaft)
    bare = [m for m in _BARE_FIT.finditer(question) if _known(table, m.group(1)) and _known(table, m.group(2))]
    if not fits and len(bare) == 1 and (size := _lone_size(question)) is not None:
        return FitLimitsOfSize(size_mm=size, hole=bare[0].group(1), shaft=bare[0].group(2))
    if fits or bare or not _ASKS_LIMITS.search(question):
        return None
    classes = [m for m in _CLASS.finditer(question) if _known(table, m.group(2))]
    if len(classes) == 1:
        size, cls = classes[0].groups()
    else:
        lone = [m.group(1) for m in _BARE_CLASS.finditer(question) if _known(table, m.group(1))]
        if classes or len(lone) != 1 or (found := _lone_size(question)) is None:
            return None
        size, cls = str(found), lone[0]
    upper = cls[0].isupper()
    return FitLimitsOfSize(size_mm=number(size), hole=cls if upper else None, shaft=None if upper else cls)


def _limit_lines(table: LimitsTable, found: Limits) -> str:
    """How the two deviations of one class follow from IT and the fundamental deviation."""
    hole, g = found.hole, found.cls.grade
    up, low = ("ES", "EI") if hole else ("es", "ei")
    it = f"IT{g} = {fmt(found.it)} µm"
    position = table.positions[found.cls.letter]
    if position.limit == "sym":
        return f"{up} = +IT{g}/2 = {signed(found.upper)} µm, {low} = −IT{g}/2 = {signed(found.lower)} µm ({it})"
    if position.limit in {"es", "ES"}:
        fixed = f"{up} = {signed(found.upper)} µm"
        if found.delta:
            previous = standard_tolerance(table, found.size, g - 1)
            base = found.fundamental - found.delta
            fixed = (
                f"{up} = {fmt(base)} + Δ = {fmt(base)} + {fmt(found.delta)} = {signed(found.upper)} µm "
                f"(Δ = IT{g} − IT{g - 1} = {fmt(found.it)} − {fmt(previous)})"
            )
        return f"{fixed}, {low} = {up} − IT{g} = {fmt(found.upper)} − {fmt(found.it)} = {signed(found.lower)} µm"
    return (
        f"{low} = {signed(found.lower)} µm, {up} = {low} + IT{g} = {fmt(found.lower)} + {fmt(found.it)} "
        f"= {signed(found.upper)} µm"
    )


def _source(table: LimitsTable, found: Limits) -> FormulaSource:
    """The clause of the rule of a class's letter (§3.1 ... §4.5)."""
    kind = "holes" if found.hole else "shafts"
    return FormulaSource(table.doc, table.positions[found.cls.letter].section, f"limit deviations of {kind}")


def _class_line(table: LimitsTable, found: Limits, n: int) -> str:
    kind = "Hole" if found.hole else "Shaft"
    size = f"Ø{fmt(found.size)} {found.cls}"
    sizes = f"{found.smallest:.3f} to {found.largest:.3f} mm"
    return f"{kind} {size}: {_limit_lines(table, found)}; limits of size {sizes} [{n}]."


def _fit_lines(fit: FitLimits, n: int) -> tuple[str, str]:
    """The kind of fit with its range, and how the limit clearances follow from the deviations (§5.1)."""
    hole, shaft, most, least = fit.hole, fit.shaft, fit.max_clearance, fit.min_clearance
    if fit.kind == "clearance":
        summary = f"clearance fit, clearance {fmt(least)} to {fmt(most)} µm"
    elif fit.kind == "interference":
        summary = f"interference fit, interference {fmt(-most)} to {fmt(-least)} µm"
    else:
        summary = f"transition fit, from a clearance of {fmt(most)} µm to an interference of {fmt(-least)} µm"
    detail = (
        f"Maximum clearance ES − ei = {fmt(hole.upper)} − {term(shaft.lower)} = {signed(most)} µm, minimum "
        f"clearance EI − es = {fmt(hole.lower)} − {term(shaft.upper)} = {signed(least)} µm; a negative "
        f"clearance is an interference [{n}]."
    )
    return summary, detail


def compute_fit(args: FitLimitsOfSize) -> Computed:
    """Limits of the class(es) and, for a pair, the limit clearances of the fit."""
    table = load_fits()
    if args.hole and args.shaft:
        fit = fit_limits(table, args.size_mm, tolerance_class(args.hole), tolerance_class(args.shaft))
        lines = [_class_line(table, f, n) for n, f in enumerate((fit.hole, fit.shaft), start=2)]
        summary, detail = _fit_lines(fit, 1)
        head = f"Ø{fmt(args.size_mm)} {args.hole}/{args.shaft}: {summary} [1]."
        clause = FormulaSource(table.doc, table.fit_section, "maximum clearance ES − ei minimum clearance EI − es")
        sources = (clause, _source(table, fit.hole), _source(table, fit.shaft))
        return Computed("fit", "\n".join([head, *lines, detail]), sources)
    one = limits(table, args.size_mm, tolerance_class(args.hole or args.shaft or ""))
    lines = [_class_line(table, one, 1)]
    head = f"Ø{fmt(one.size)} {one.cls}: {signed(one.upper)} / {signed(one.lower)} µm [1]."
    return Computed("fit", "\n".join([head, *lines]), (_source(table, one),))


# ---- standard tolerance of a grade (iso-286-limits.md §2.3) -----------------------------------------------


class StandardTolerance(BaseModel):
    """The standard tolerance IT of a grade at a nominal size (ISO 286-1)."""

    size_mm: float = Field(gt=0, le=500, description="nominal size, mm")
    grade: int = Field(ge=1, le=18, description="IT grade, e.g. 7 for IT7")


_GRADE = re.compile(r"\bIT\s?(\d{1,2})\b")
_ASKS_TOLERANCE = re.compile(r"toleran|how (?:big|large|wide)|\bvalue\b|\bwidth\b", re.I)


def recognise_standard_tolerance(question: str) -> StandardTolerance | None:
    """'How big is the IT6 tolerance on a Ø60 shaft?': one IT grade, one size, a question about the tolerance."""
    grades = {int(g) for g in _GRADE.findall(question)}
    if len(grades) != 1 or not _ASKS_TOLERANCE.search(question) or (size := _lone_size(question)) is None:
        return None
    return StandardTolerance(size_mm=size, grade=grades.pop())


def compute_standard_tolerance(args: StandardTolerance) -> Computed:
    """The tabulated value with its size range."""
    table = load_fits()
    value = standard_tolerance(table, args.size_mm, args.grade)
    rows = table.tolerances[args.grade]
    upper = next(bound for bound, _ in rows if args.size_mm <= bound)
    lower = max((bound for bound, _ in rows if bound < upper), default=0)
    text = (
        f"IT{args.grade} at Ø{fmt(args.size_mm)}: {fmt(value)} µm = {value / 1000:.3f} mm, the ISO 286-1 value for "
        f"sizes over {fmt(lower)} to {fmt(upper)} mm [1]."
    )
    source = FormulaSource(table.doc, table.tolerance_section, "standard tolerance IT table grade size range")
    return Computed("standard_tolerance", text, (source,))
