"""Entry models of norms.yaml (time norms, production types, allowances) → engineering values."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from assistant.catalog.fields import Entry, Text, Words, with_row
from assistant.engineering.norm_types import (
    Allowances,
    CentreHole,
    MeasureMinutes,
    PieceNorm,
    ProductionTypes,
    RangeRow,
    TimeNorms,
    VolumeBand,
)

# ---- norms.yaml ----------------------------------------------------------------------------------


class CentreHoleEntry(Entry):
    """time_norms.centre_hole."""

    depth: float
    feed: float
    v: float
    diameter: float


class MeasureEntry(Entry):
    """time_norms.measure_min."""

    coarse: float
    fine: float


class PieceNormEntry(Entry):
    """time_norms.deburring, washing, inspection, marking."""

    base_min: float
    per_feature_min: float = 0.0
    per_fine_feature_min: float = 0.0
    per_kg_min: float = 0.0


class TimeNormsEntry(Entry):
    """norms.yaml `time_norms`."""

    doc: str
    approach_mm: float
    install_min: tuple[tuple[float, float], ...] = Field(min_length=1)
    step_min: Annotated[dict[str, float], with_row("universal")]
    measure_min: MeasureEntry
    allowances_pct: Annotated[dict[str, tuple[float, float]], with_row("default")]
    saw_rate_mm2_min: dict[str, float]
    centre_hole: CentreHoleEntry
    grinding_spark_out: float
    deburring: PieceNormEntry
    washing: PieceNormEntry
    inspection: PieceNormEntry
    marking: PieceNormEntry
    setup_default_min: float
    piece_time_max_min: float
    specific_cutting_force: dict[str, float]
    drive_efficiency: float = Field(gt=0, le=1)

    def to_time_norms(self) -> TimeNorms:
        """The engineering value."""
        return TimeNorms(
            doc=self.doc,
            approach_mm=self.approach_mm,
            install_min=self.install_min,
            step_min=dict(self.step_min),
            measure_min=MeasureMinutes(**self.measure_min.model_dump()),
            allowances_pct=dict(self.allowances_pct),
            saw_rate_mm2_min=dict(self.saw_rate_mm2_min),
            centre_hole=CentreHole(**self.centre_hole.model_dump()),
            grinding_spark_out=self.grinding_spark_out,
            deburring=PieceNorm(**self.deburring.model_dump()),
            washing=PieceNorm(**self.washing.model_dump()),
            inspection=PieceNorm(**self.inspection.model_dump()),
            marking=PieceNorm(**self.marking.model_dump()),
            setup_default_min=self.setup_default_min,
            piece_time_max_min=self.piece_time_max_min,
            specific_cutting_force=dict(self.specific_cutting_force),
            drive_efficiency=self.drive_efficiency,
        )


class VolumeBandEntry(Entry):
    """A row of production_types.thresholds."""

    max_mass: float
    bounds: tuple[int, int, int, int]


class ProductionTypesEntry(Entry):
    """norms.yaml `production_types`."""

    doc: str
    section: Text
    order: Words
    thresholds: tuple[VolumeBandEntry, ...] = Field(min_length=1)
    automation: dict[str, Words]
    fill_factor: float

    @model_validator(mode="after")
    def _automation_for_each_type(self) -> ProductionTypesEntry:
        missing = [kind for kind in self.order if kind not in self.automation]
        if missing:
            raise ValueError(f"automation has no row for {', '.join(missing)}")
        return self

    def to_production_types(self) -> ProductionTypes:
        """The engineering value."""
        return ProductionTypes(
            doc=self.doc,
            section=self.section,
            order=self.order,
            thresholds=tuple(VolumeBand(t.max_mass, t.bounds) for t in self.thresholds),
            automation=dict(self.automation),
            fill_factor=self.fill_factor,
        )


class RangeRowEntry(Entry):
    """A row of a typical allowance table of castings and forgings (route-review-rules.md 3.4, Table 2)."""

    up_to: float = Field(gt=0)
    low: float = Field(gt=0)
    high: float = Field(gt=0)

    @model_validator(mode="after")
    def _low_not_above_high(self) -> RangeRowEntry:
        if self.low > self.high:
            raise ValueError(f"low {self.low:g} is above high {self.high:g}")
        return self


def _ascending(rows: tuple[RangeRowEntry, ...]) -> tuple[RangeRowEntry, ...]:
    bounds = [row.up_to for row in rows]
    if bounds != sorted(set(bounds)):
        raise ValueError(f"rows must be in ascending up_to, got {', '.join(f'{b:g}' for b in bounds)}")
    return rows


RangeTableEntry = Annotated[tuple[RangeRowEntry, ...], Field(min_length=1), AfterValidator(_ascending)]
Share = Annotated[float, Field(ge=0, lt=1)]


class GrindingStockEntry(Entry):
    """Grinding allowance on diameter by diameter, for each state of the surface (heat-treatment.md Table 4)."""

    soft: tuple[tuple[float, float], ...] = Field(min_length=1)
    hardened: tuple[tuple[float, float], ...] = Field(min_length=1)
    induction: tuple[tuple[float, float], ...] = Field(min_length=1)


class AllowancesEntry(Entry):
    """norms.yaml `allowances`."""

    doc: str
    bar_diameter: tuple[tuple[float, float], ...] = Field(min_length=1)
    bar_length: tuple[tuple[float, float], ...] = Field(min_length=1)
    plate_side: float
    plate_face: float
    plate_thicknesses: tuple[float, ...]
    bar_sizes: tuple[float, ...]
    saw_kerf_mm: float
    bar_stock_mm: float = Field(gt=0)
    bar_end_loss_mm: float = Field(ge=0)
    parting_width_mm: float = Field(ge=0)
    tube_bore: tuple[tuple[float, float], ...] = Field(min_length=1)
    tube_walls: tuple[float, ...] = Field(min_length=1)
    tube_max_wall: tuple[tuple[float, float], ...] = Field(min_length=1)
    sheet_thicknesses: tuple[float, ...]
    cast_iron_sand: RangeTableEntry
    cast_steel_sand: RangeTableEntry
    die_forging: RangeTableEntry
    open_die_forging: RangeTableEntry
    forging_loss: Share
    stamping_contour_mm: float = Field(ge=0)
    stamping_nesting_loss: Share
    weldment_factor: float = Field(ge=1)
    grinding_on_diameter: GrindingStockEntry
    slender_grinding_extra_mm: float = Field(ge=0)

    @model_validator(mode="after")
    def _end_loss_within_the_bar(self) -> AllowancesEntry:
        if self.bar_end_loss_mm >= self.bar_stock_mm:
            raise ValueError(
                f"bar_end_loss_mm {self.bar_end_loss_mm:g} is not below bar_stock_mm {self.bar_stock_mm:g}"
            )
        return self

    def to_allowances(self) -> Allowances:
        """The engineering value."""
        return Allowances(
            doc=self.doc,
            bar_diameter=self.bar_diameter,
            bar_length=self.bar_length,
            plate_side=self.plate_side,
            plate_face=self.plate_face,
            plate_thicknesses=self.plate_thicknesses,
            bar_sizes=self.bar_sizes,
            saw_kerf_mm=self.saw_kerf_mm,
            bar_stock_mm=self.bar_stock_mm,
            bar_end_loss_mm=self.bar_end_loss_mm,
            parting_width_mm=self.parting_width_mm,
            tube_bore=self.tube_bore,
            tube_walls=self.tube_walls,
            tube_max_wall=self.tube_max_wall,
            sheet_thicknesses=self.sheet_thicknesses,
            cast_iron_sand=_rows(self.cast_iron_sand),
            cast_steel_sand=_rows(self.cast_steel_sand),
            die_forging=_rows(self.die_forging),
            open_die_forging=_rows(self.open_die_forging),
            forging_loss=self.forging_loss,
            stamping_contour_mm=self.stamping_contour_mm,
            stamping_nesting_loss=self.stamping_nesting_loss,
            weldment_factor=self.weldment_factor,
            grinding_on_diameter=self.grinding_on_diameter.model_dump(),
            slender_grinding_extra_mm=self.slender_grinding_extra_mm,
        )


def _rows(table: tuple[RangeRowEntry, ...]) -> tuple[RangeRow, ...]:
    return tuple(RangeRow(row.up_to, row.low, row.high) for row in table)


class NormsFile(Entry):
    """norms.yaml."""

    time_norms: TimeNormsEntry
    production_types: ProductionTypesEntry
    allowances: AllowancesEntry
