"""Cost of a part from its route: operations at machine-hour rates, setups spread over the batch, material, per year.

Formulas: line-simulation-and-scheduling.md §7 (operation and part cost, sensitivity, break-even batch size).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.engineering.values import not_negative, positive

COSTING_DOC = "line-simulation-and-scheduling.md"


# ---- input --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostedOperation:
    """One route operation: piece time and setup time per batch, min; the machine-hour rate, money per hour."""

    name: str
    piece_min: float
    setup_min: float
    rate_per_hour: float


@dataclass(frozen=True)
class Material:
    """Blank: consumption per piece (blank mass with cutting losses), kg, and price; returnable waste credited."""

    consumption_kg: float
    price_per_kg: float
    waste_kg: float = 0.0
    waste_price_per_kg: float = 0.0

    @property
    def cost(self) -> float:
        """§7.4: M = Q·P − q·P_w, money per piece."""
        return self.consumption_kg * self.price_per_kg - self.waste_kg * self.waste_price_per_kg


# ---- output -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OperationCost:
    """Cost of one operation per piece: processing, the setup share of the batch, and their sum."""

    name: str
    processing: float
    setup: float

    @property
    def total(self) -> float:
        """Processing plus setup share, money per piece."""
        return self.processing + self.setup


@dataclass(frozen=True)
class PartCost:
    """Cost per piece and per year of a part at one batch size and annual demand."""

    operations: tuple[OperationCost, ...]
    material: float
    fixed_per_piece: float
    batch_size: int
    annual_demand: float

    @property
    def machining(self) -> float:
        """Sum of the operations, money per piece."""
        return sum(op.total for op in self.operations)

    @property
    def per_piece(self) -> float:
        """§7.5: material + operations + fixed annual costs spread over the demand."""
        return self.material + self.machining + self.fixed_per_piece

    @property
    def per_year(self) -> float:
        """Cost per piece × annual demand."""
        return self.per_piece * self.annual_demand


@dataclass(frozen=True)
class SensitivityRow:
    """One line of the sensitivity table: demand factor, annual demand, batch size and the resulting costs."""

    demand_factor: float
    annual_demand: float
    batch_size: int
    per_piece: float
    per_year: float


# ---- operation and part cost (§7.1-7.5) ---------------------------------------------------------


def operation_cost(operation: CostedOperation, batch_size: int) -> OperationCost:
    """§7.2-7.3: processing = rate × t_pc / 60; setup share = rate × t_su / 60 / batch size."""
    positive(batch_size=batch_size, rate=operation.rate_per_hour)
    not_negative(piece_time=operation.piece_min, setup_time=operation.setup_min)
    per_minute = operation.rate_per_hour / 60
    return OperationCost(
        operation.name, per_minute * operation.piece_min, per_minute * operation.setup_min / batch_size
    )


def part_cost(
    operations: Sequence[CostedOperation],
    material: Material,
    batch_size: int,
    annual_demand: float,
    fixed_per_year: float = 0.0,
) -> PartCost:
    """§7.5: the part's cost per piece and per year; fixed annual costs (special tooling, programs) per piece."""
    positive(annual_demand=annual_demand)
    not_negative(fixed_per_year=fixed_per_year, consumption=material.consumption_kg, price=material.price_per_kg)
    if material.waste_kg > material.consumption_kg:
        raise ValueError(f"waste ({material.waste_kg} kg) cannot exceed consumption ({material.consumption_kg} kg)")
    lines = tuple(operation_cost(op, batch_size) for op in operations)
    return PartCost(lines, material.cost, fixed_per_year / annual_demand, batch_size, annual_demand)


def sensitivity(
    operations: Sequence[CostedOperation],
    material: Material,
    annual_demand: float,
    batch_sizes: Sequence[int],
    demand_factors: Sequence[float] = (0.7, 1.0, 1.3),
    fixed_per_year: float = 0.0,
) -> tuple[SensitivityRow, ...]:
    """§7.6: part cost for every demand factor (default ±30 %) × batch size, demand-major order."""
    rows = []
    for factor in demand_factors:
        demand = annual_demand * factor
        for batch in batch_sizes:
            cost = part_cost(operations, material, batch, demand, fixed_per_year)
            rows.append(SensitivityRow(factor, demand, batch, cost.per_piece, cost.per_year))
    return tuple(rows)


# ---- break-even batch size between two equipment variants (§7.7) --------------------------------


@dataclass(frozen=True)
class EquipmentVariant:
    """How one operation is done on one kind of equipment: setup per batch and piece time, min; rate per hour."""

    name: str
    setup_min: float
    piece_min: float
    rate_per_hour: float

    def cost_per_piece(self, batch_size: float) -> float:
        """§7.7: c(n) = rate / 60 × (t_pc + t_su / n)."""
        return self.rate_per_hour / 60 * (self.piece_min + self.setup_min / batch_size)


@dataclass(frozen=True)
class BreakEven:
    """Where two variants cost the same per piece; `batch_size` None when one is cheaper (or equal) at every size."""

    cheaper_small: str
    cheaper_large: str
    batch_size: float | None
    cost: float | None
    formula: str

    @property
    def whole_batch(self) -> int | None:
        """The smallest whole batch from which the large-batch variant is no dearer: ceil(n*)."""
        return None if self.batch_size is None else math.ceil(round(self.batch_size, 9))


def break_even_batch(first: EquipmentVariant, second: EquipmentVariant) -> BreakEven:
    """§7.7: n* = (r2·s2 − r1·s1) / (r1·t1 − r2·t2), where the two cost lines c(n) cross."""
    for variant in (first, second):
        positive(**{f"{variant.name} rate": variant.rate_per_hour})
        not_negative(**{f"{variant.name} setup": variant.setup_min, f"{variant.name} piece time": variant.piece_min})
    slope = first.rate_per_hour * first.piece_min - second.rate_per_hour * second.piece_min
    setups = second.rate_per_hour * second.setup_min - first.rate_per_hour * first.setup_min
    formula = (
        f"n* = ({second.rate_per_hour:g}·{second.setup_min:g} − {first.rate_per_hour:g}·{first.setup_min:g}) / "
        f"({first.rate_per_hour:g}·{first.piece_min:g} − {second.rate_per_hour:g}·{second.piece_min:g})"
    )
    if slope == 0:  # equal cost per piece without setups: the smaller setup cost wins at every batch size
        winner = first if setups >= 0 else second
        return BreakEven(winner.name, winner.name, None, None, formula)
    large, small = (second, first) if slope > 0 else (first, second)
    n = setups / slope
    if n <= 0:  # the large-batch variant is no dearer at any batch size
        return BreakEven(large.name, large.name, None, None, formula)
    return BreakEven(small.name, large.name, n, first.cost_per_piece(n), formula)
