"""fits.yaml (ISO 286 standard tolerances and fundamental deviations) → the engineering LimitsTable, cached."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from assistant.catalog.fields import Entry, Text
from assistant.catalog.load import _read
from assistant.engineering.fits import LimitsTable, Position, Rows, Special
from assistant.resources import catalog_dir

FITS_FILE = "fits.yaml"
Row = tuple[float, float]


def _ascending(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    bounds = [bound for bound, _ in rows]
    if bounds != sorted(set(bounds)):
        raise ValueError(f"row bounds must rise from row to row (got {bounds})")
    return rows


def _letters(case: Literal["lower", "upper"]) -> AfterValidator:
    def check(letter: str) -> str:
        if not letter.isalpha() or not (letter.islower() if case == "lower" else letter.isupper()):
            raise ValueError(f"'{letter}' must be written in {case} case letters")
        return letter

    return AfterValidator(check)


Rising = Annotated[tuple[Row, ...], AfterValidator(_ascending)]


class SpecialEntry(Entry):
    """A tabulated exception: the fundamental deviation of one grade over one size range."""

    grade: int
    over: float
    to: float
    value: float


class PositionEntry(Entry):
    """A letter of `shafts` or `holes`: which deviation it fixes and its values by size range."""

    limit: Literal["es", "ei", "EI", "ES", "sym"]
    section: Text
    rows: Rising = ()
    fine_up_to: int | None = None
    delta: bool = False
    coarse: Rising | None = None
    special: tuple[SpecialEntry, ...] = ()

    @model_validator(mode="after")
    def _rows_unless_symmetric(self) -> PositionEntry:
        if self.limit == "sym" and self.rows:
            raise ValueError("a symmetric position (js, JS) takes no rows: its deviations are ±IT/2")
        if self.limit != "sym" and not self.rows:
            raise ValueError(f"a position whose limit is {self.limit} needs rows")
        if self.delta and self.limit != "ES":
            raise ValueError("delta applies only to holes whose fundamental deviation is ES (K to ZC)")
        return self

    def to_position(self, letter: str) -> Position:
        """The engineering value."""
        return Position(
            letter=letter,
            limit=self.limit,
            rows=self.rows,
            section=self.section,
            fine_up_to=self.fine_up_to,
            delta=self.delta,
            coarse=self.coarse,
            special=tuple(Special(**s.model_dump()) for s in self.special),
        )


class ShaftEntry(PositionEntry):
    """A shaft letter: es for a to h, ei for j to zc, sym for js."""

    limit: Literal["es", "ei", "sym"]


class HoleEntry(PositionEntry):
    """A hole letter: EI for A to H, ES for J to ZC, sym for JS."""

    limit: Literal["EI", "ES", "sym"]


class TolerancesEntry(Entry):
    """`standard_tolerances`: one row per size range, the bound then one IT value per grade."""

    section: Text
    grades: tuple[int, ...] = Field(min_length=1)
    rows: tuple[tuple[float, ...], ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _a_value_per_grade(self) -> TolerancesEntry:
        for row in self.rows:
            if len(row) != len(self.grades) + 1:
                raise ValueError(
                    f"row {list(row)} needs the bound and {len(self.grades)} values, one per grade {list(self.grades)}"
                )
        _ascending(tuple((row[0], 0.0) for row in self.rows))
        return self

    def by_grade(self) -> dict[int, Rows]:
        """IT grade → (bound, value) rows."""
        return {grade: tuple((row[0], row[i]) for row in self.rows) for i, grade in enumerate(self.grades, start=1)}


class FitsFile(Entry):
    """fits.yaml."""

    doc: str
    max_size: float
    no_delta_up_to: float
    fit_section: Text
    standard_tolerances: TolerancesEntry
    shafts: dict[Annotated[str, _letters("lower")], ShaftEntry]
    holes: dict[Annotated[str, _letters("upper")], HoleEntry]

    @model_validator(mode="after")
    def _rows_reach_max_size(self) -> FitsFile:
        tables = [("standard_tolerances", self.standard_tolerances.rows[-1][0])]
        tables += [(f"shaft {k}", e.rows[-1][0]) for k, e in self.shafts.items() if e.rows]
        tables += [(f"hole {k}", e.rows[-1][0]) for k, e in self.holes.items() if e.rows]
        short = [f"{name} ends at {bound:g} mm" for name, bound in tables if bound < self.max_size]
        if short:
            raise ValueError(f"rows must reach max_size {self.max_size:g} mm: {'; '.join(short)}")
        return self

    def to_table(self) -> LimitsTable:
        """The engineering value."""
        positions = {k: e.to_position(k) for k, e in self.shafts.items()}
        positions |= {k: e.to_position(k) for k, e in self.holes.items()}
        return LimitsTable(
            doc=self.doc,
            tolerances=self.standard_tolerances.by_grade(),
            positions=positions,
            max_size=self.max_size,
            no_delta_up_to=self.no_delta_up_to,
            fit_section=self.fit_section,
            tolerance_section=self.standard_tolerances.section,
        )


@lru_cache(maxsize=4)
def load_fits(folder: Path | None = None) -> LimitsTable:
    """The ISO 286 tables of fits.yaml in `folder` (the shipped knowledge/catalog by default)."""
    return _read(folder or catalog_dir(), FITS_FILE, FitsFile).to_table()
