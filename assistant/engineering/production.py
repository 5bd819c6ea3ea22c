"""Production type from volume and mass, part mass from its envelope, and the size of the blank."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.engineering.norm_types import Allowances, BoundTable, VolumeBand
from assistant.engineering.types import PRODUCTION_TYPES, Geometry


def estimate_mass(geometry: Geometry, density: float, fill_factor: float) -> float:
    """Mass in kg ≈ envelope volume × density × fill factor (production-types-and-equipment.md §3.3)."""
    if geometry.rotational:
        volume = math.pi / 4 * geometry.diameter**2 * geometry.length
    else:
        volume = geometry.length * geometry.width * geometry.height
    return volume * 1e-9 * density * 1000 * fill_factor


def production_type(annual_volume: int, mass_kg: float, thresholds: Sequence[VolumeBand]) -> str:
    """single … mass, by the lower bounds of annual volume for the part's mass band (§3.1)."""
    band = next(t for t in thresholds if mass_kg <= t.max_mass)
    level = sum(1 for bound in band.bounds if annual_volume >= bound)
    return PRODUCTION_TYPES[level]


def _lookup(table: BoundTable, value: float) -> float:
    return next(amount for bound, amount in table if value <= bound)


@dataclass(frozen=True)
class Blank:
    """The stock a part is cut from: bar diameter and length, or plate length × width × thickness."""

    kind: str
    description: str
    diameter: float = 0.0
    length: float = 0.0
    width: float = 0.0
    thickness: float = 0.0

    @property
    def section_mm2(self) -> float:
        """Cross-section the saw cuts through."""
        return math.pi / 4 * self.diameter**2 if self.diameter else self.width * self.thickness


def size_blank(kind: str, geometry: Geometry, allowances: Allowances) -> Blank:
    """Bar: next standard diameter above D + 2z, length L + facing allowance; plate: next standard thickness (§3.1-3.4)."""
    if kind in {"rolled_bar", "tube"} or (geometry.rotational and kind not in {"plate", "sheet"}):
        wanted = geometry.diameter + _lookup(allowances.bar_diameter, geometry.diameter)
        diameter = float(next((d for d in allowances.bar_sizes if d >= wanted), math.ceil(wanted)))
        length = geometry.length + _lookup(allowances.bar_length, geometry.length)
        return Blank(kind, f"Bar D{diameter:g} cut to length {length:g}", diameter=diameter, length=length)
    side = float(allowances.plate_side)
    length, width = geometry.length + 2 * side, geometry.width + 2 * side
    wanted = geometry.height + 2 * float(allowances.plate_face)
    thickness = float(next((t for t in allowances.plate_thicknesses if t >= wanted), math.ceil(wanted)))
    return Blank(
        kind, f"Plate {thickness:g} mm cut to {length:g} x {width:g}", length=length, width=width, thickness=thickness
    )
