"""Entry models of norms.yaml (time norms, production types, allowances) → engineering values."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from assistant.catalog.fields import Entry, Text, Words, with_row
from assistant.engineering.norm_types import (
    Allowances,
    CentreHole,
    MeasureMinutes,
    PieceNorm,
    ProductionTypes,
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

    def to_allowances(self) -> Allowances:
        """The engineering value."""
        return Allowances(**self.model_dump())


class NormsFile(Entry):
    """norms.yaml."""

    time_norms: TimeNormsEntry
    production_types: ProductionTypesEntry
    allowances: AllowancesEntry
