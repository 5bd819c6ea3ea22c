"""The tables of norms.yaml as values: time norms, production types and blank allowances."""

from __future__ import annotations

from dataclasses import dataclass

# (upper bound, value) rows: the first row whose bound is at least the looked-up value applies.
BoundTable = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class CentreHole:
    """A centre hole drilled by the facing-centering machine (time-norms.md §3.2)."""

    depth: float
    feed: float  # mm/rev
    v: float  # m/min
    diameter: float


@dataclass(frozen=True)
class MeasureMinutes:
    """Auxiliary time per feature measured, min; fine = IT 8 or finer (time-norms.md §4.3)."""

    coarse: float
    fine: float


@dataclass(frozen=True)
class PieceNorm:
    """A non-machining operation: base minutes per piece plus minutes per feature, fine feature or kg (§6.1)."""

    base_min: float
    per_feature_min: float = 0.0
    per_fine_feature_min: float = 0.0
    per_kg_min: float = 0.0


@dataclass(frozen=True)
class TimeNorms:
    """Coefficients of the time-norm formulas (time-norms.md)."""

    doc: str
    approach_mm: float
    install_min: BoundTable  # by part mass, kg
    step_min: dict[str, float]  # by machine automation; "universal" is the fallback
    measure_min: MeasureMinutes
    allowances_pct: dict[str, tuple[float, float]]  # (servicing, rest) by operation kind; "default" is the fallback
    saw_rate_mm2_min: dict[str, float]  # by material group
    centre_hole: CentreHole
    grinding_spark_out: float
    deburring: PieceNorm
    washing: PieceNorm
    inspection: PieceNorm
    marking: PieceNorm
    setup_default_min: float
    piece_time_max_min: float


@dataclass(frozen=True)
class VolumeBand:
    """Lower bounds of annual volume for small_batch … mass, for parts up to `max_mass` kg."""

    max_mass: float
    bounds: tuple[int, ...]


@dataclass(frozen=True)
class ProductionTypes:
    """Production types by volume and mass, and the machine automation each prefers."""

    doc: str
    section: str
    order: tuple[str, ...]
    thresholds: tuple[VolumeBand, ...]
    automation: dict[str, tuple[str, ...]]
    fill_factor: float


@dataclass(frozen=True)
class Allowances:
    """Blank allowances and standard stock sizes (machining-allowances.md §3)."""

    doc: str
    bar_diameter: BoundTable  # finished diameter -> total 2z, mm
    bar_length: BoundTable  # part length -> total facing allowance, mm
    plate_side: float
    plate_face: float
    plate_thicknesses: tuple[float, ...]
    bar_sizes: tuple[float, ...]
    saw_kerf_mm: float
