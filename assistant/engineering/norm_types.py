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
    specific_cutting_force: dict[str, float]  # k_c, N/mm², by material group (route-review-rules.md 2.9)
    drive_efficiency: float  # share of the main drive power available at the spindle


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
class RangeRow:
    """A row of typical allowances per side, mm, for parts whose largest dimension is up to `up_to` mm.

    `low` applies at the bottom of the size range, `high` at its top and on the top face in the mould
    (route-review-rules.md 3.4, Table 2).
    """

    up_to: float
    low: float
    high: float


# Rows in ascending `up_to`; a part larger than the last row takes the last row.
RangeTable = tuple[RangeRow, ...]


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
    # Blanks other than cut bar and plate (typical first estimates; blanks.py)
    bar_stock_mm: float  # mill length of bar and tube (route-review-rules.md 3.11)
    bar_end_loss_mm: float  # bar end the saw or collet cannot use (route-review-rules.md 3.6, 3.11)
    parting_width_mm: float  # parting tool on a bar automatic (route-review-rules.md 3.6)
    tube_bore: BoundTable  # finished bore -> total 2z left in the tube bore, mm (route-review-rules.md 3.8)
    tube_walls: tuple[float, ...]  # stocked walls of seamless tube, mm
    tube_max_wall: BoundTable  # tube outside diameter -> thickest wall rolled, mm
    sheet_thicknesses: tuple[float, ...]  # stocked sheet below the plate range, mm
    cast_iron_sand: RangeTable  # per side, grey iron sand casting
    cast_steel_sand: RangeTable  # per side, steel sand casting
    die_forging: RangeTable  # per side, die forging (GOST 7505)
    open_die_forging: RangeTable  # per side, open-die hammer forging (GOST 7829)
    forging_loss: float  # flash, scale and cropping as a share of the forging mass
    stamping_contour_mm: float  # per side on the contour of a sheet stamping
    stamping_nesting_loss: float  # share of the sheet lost to the skeleton and offcuts
    grinding_on_diameter: dict[str, BoundTable]  # by surface state (soft, hardened, induction): diameter -> 2z, mm
    slender_grinding_extra_mm: float  # more on diameter for shafts over 10 diameters long
    weldment_factor: float  # weldment blank mass / part mass
