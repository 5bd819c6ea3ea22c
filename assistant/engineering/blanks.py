"""The blank of every kind a part spec names: its size, mass, consumption rate and utilisation (GOST 3.1118 M02).

Bar and plate follow machining-allowances.md §3 (the same sizes as production.size_blank); tube, castings,
forgings, stampings and weldments use the typical first estimates of norms.yaml `allowances`
(route-review-rules.md §3, blanks.md §4). The consumption rate is the metal issued for one part: the blank plus
its share of the saw kerf and the unusable bar end, or the forging losses, or the sheet skeleton; a casting's
consumption for the machining route is the casting mass, the gates and risers being the foundry's loss
(route-review-rules.md 3.10, 3.12). Utilisation (KIM) = part mass / consumption rate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.engineering.norm_types import Allowances, BoundTable, RangeRow, RangeTable
from assistant.engineering.types import Geometry

BLANK_KINDS = ("rolled_bar", "tube", "plate", "sheet", "casting", "forging", "stamping", "weldment")
CUT_KINDS = frozenset({"rolled_bar", "tube", "plate", "sheet"})  # cut from stock on a saw or shears
DIE_FORGED = frozenset({"medium_batch", "large_batch", "mass"})  # die forging pays from medium batches (blanks.md 3.2)
FLAT_RATIO = 0.25  # a part is flat (a sheet stamping) when its thickness is at most this share of its smaller side


@dataclass(frozen=True)
class BlankPlan:
    """The blank as the M02 line of the route card gives it (route-review-rules.md 3.9).

    `size` is the human text of profile and dimensions; `mass_kg` the blank mass (MZ); `consumption_kg` the
    consumption rate per part (N.rash.); `utilisation` KIM = part mass / consumption, 0..1 to 2 decimals;
    `needs_cutting` whether a cut-off operation starts the route; `bore_mm` the inner diameter of a tube blank
    (a hole larger than it is bored, never drilled); `parts_per_blank` KD (the parts from one bar on an automatic).
    """

    kind: str
    size: str
    mass_kg: float
    consumption_kg: float
    utilisation: float
    needs_cutting: bool
    bore_mm: float | None = None
    parts_per_blank: int = 1


@dataclass(frozen=True)
class _Part:
    """What the planners need to know about the part."""

    kind: str
    geometry: Geometry
    mass_kg: float
    density: float  # g/cm³
    allowances: Allowances
    material: str
    group: str
    bore_mm: float | None
    production: str | None
    bar_feed: bool


def _kg(volume_mm3: float, density: float) -> float:
    return volume_mm3 * density * 1e-6


def _lookup(table: BoundTable, value: float) -> float:
    return next((amount for bound, amount in table if value <= bound), table[-1][1])


def grinding_stock(diameter: float, state: str, slender: bool, allowances: Allowances) -> float:
    """Grinding allowance per side of a surface of this diameter ground in this state (soft, hardened,
    induction), with the extra of a slender shaft (heat-treatment.md 10.2, Table 4)."""
    on_diameter = _lookup(allowances.grinding_on_diameter[state], diameter)
    return (on_diameter + (allowances.slender_grinding_extra_mm if slender else 0.0)) / 2


def _next(sizes: Sequence[float], wanted: float) -> float:
    """The first stocked size at least `wanted`, or `wanted` rounded up beyond the list."""
    return float(next((s for s in sorted(sizes) if s >= wanted - 1e-9), math.ceil(wanted)))


def _range_row(table: RangeTable, size: float) -> tuple[float, RangeRow]:
    """The row for `size` and the lower bound of its range (0 for the first row; the last row beyond the table)."""
    lower = 0.0
    for row in table:
        if size <= row.up_to:
            return lower, row
        lower = row.up_to
    last = table[-1]
    return (table[-2].up_to if len(table) > 1 else 0.0), last


def range_allowance(table: RangeTable, size: float) -> tuple[float, float]:
    """Per-side allowance for the largest dimension `size` and the row's high value (for the top face in the mould).

    Table 2 of route-review-rules.md gives a range per row and applies the upper value to the larger size of the
    range: the value rises linearly from `low` at the row's lower bound to `high` at its `up_to`, to 0.1 mm.
    """
    lower, row = _range_row(table, size)
    share = min(1.0, max(0.0, (size - lower) / (row.up_to - lower)))
    return round(row.low + (row.high - row.low) * share, 1), row.high


def _plan(
    part: _Part,
    kind: str,
    size: str,
    mass: float,
    consumption: float,
    bore_mm: float | None = None,
    parts_per_blank: int = 1,
) -> BlankPlan:
    consumption = max(consumption, mass / parts_per_blank)
    utilisation = round(min(1.0, part.mass_kg / consumption), 2) if consumption > 0 else 0.0
    return BlankPlan(kind, size, mass, consumption, utilisation, kind in CUT_KINDS, bore_mm, parts_per_blank)


def _per_bar(part: _Part, section_mm2: float, length: float) -> tuple[float, int]:
    """Consumption of one blank of `length` cut from a mill length: bar mass / blanks per bar (3.11)."""
    a = part.allowances
    count = math.floor((a.bar_stock_mm - a.bar_end_loss_mm) / (length + a.saw_kerf_mm))
    if count < 1:  # longer than a mill length: one bar to order, with its kerf and end loss
        return _kg(section_mm2 * (length + a.saw_kerf_mm + a.bar_end_loss_mm), part.density), 1
    return _kg(section_mm2 * a.bar_stock_mm, part.density) / count, count


# ---- cut from rolled stock ------------------------------------------------------------------------


def _bar(part: _Part) -> BlankPlan:
    """Next stocked diameter ≥ D + 2z, length L + facing allowance (machining-allowances.md 3.1-3.4).

    A prismatic part from bar takes the round bar that circumscribes its width × height. On a bar automatic the
    blank is the whole mill length, parted off per part (route-review-rules.md 3.5-3.6).
    """
    g, a = part.geometry, part.allowances
    finished = g.diameter if g.rotational else math.hypot(g.width, g.height)
    diameter = _next(a.bar_sizes, finished + _lookup(a.bar_diameter, finished))
    section = math.pi / 4 * diameter**2
    if part.bar_feed:
        count = max(1, math.floor((a.bar_stock_mm - a.bar_end_loss_mm) / (g.length + a.parting_width_mm)))
        bar = _kg(section * a.bar_stock_mm, part.density)
        size = f"Bar D{diameter:g} x {a.bar_stock_mm:g}, {count} parts per bar (bar automatic)"
        plan = _plan(part, "rolled_bar", size, bar, bar / count, parts_per_blank=count)
        return replace(plan, needs_cutting=False)
    length = g.length + _lookup(a.bar_length, g.length)
    consumption, _ = _per_bar(part, section, length)
    return _plan(
        part, "rolled_bar", f"Bar D{diameter:g} x {length:g}", _kg(section * length, part.density), consumption
    )


def _tube(part: _Part) -> BlankPlan:
    """Outside diameter as bar; the thinnest stocked wall that leaves the bore ≥ 2z below the finished bore (3.7-3.8).

    Without a finished bore, for a prismatic part, or where no stocked wall fits, the blank is solid bar.
    """
    g, a, bore = part.geometry, part.allowances, part.bore_mm
    if not g.rotational or not bore:
        return _instead_of_tube(part, "a tube blank needs a rotational part with a bore")
    outside = _next(a.bar_sizes, g.diameter + _lookup(a.bar_diameter, g.diameter))
    inner_max = bore - _lookup(a.tube_bore, bore)
    wall = _next(a.tube_walls, (outside - inner_max) / 2)
    if inner_max <= 0 or wall > _lookup(a.tube_max_wall, outside) or outside - 2 * wall <= 0:
        return _instead_of_tube(part, f"no stocked tube {outside:g} leaves a bore of at most {inner_max:g}")
    inner = outside - 2 * wall
    length = g.length + _lookup(a.bar_length, g.length)
    section = math.pi / 4 * (outside**2 - inner**2)
    consumption, _ = _per_bar(part, section, length)
    size = f"Tube {outside:g} x {wall:g} (bore {inner:g}) cut to {length:g}"
    return _plan(part, "tube", size, _kg(section * length, part.density), consumption, bore_mm=inner)


def _instead_of_tube(part: _Part, why: str) -> BlankPlan:
    plan = _bar(replace(part, bar_feed=False))
    return replace(plan, size=f"{plan.size} ({why})")


def _plate(part: _Part) -> BlankPlan:
    """Plate: L, W + 3 mm per side, next stocked thickness ≥ H + 2 × 1 mm (3.3); sheet keeps its rolled faces.

    A rotational part (a disk) is cut as a square of its diameter. Consumption adds the saw kerf on one length
    and one width edge.
    """
    g, a = part.geometry, part.allowances
    along, across, thick = (g.diameter, g.diameter, g.length) if g.rotational else (g.length, g.width, g.height)
    length, width = along + 2 * a.plate_side, across + 2 * a.plate_side
    if part.kind == "sheet":
        name, thickness = "Sheet", _next((*a.sheet_thicknesses, *a.plate_thicknesses), thick)
    else:
        name, thickness = "Plate", _next(a.plate_thicknesses, thick + 2 * a.plate_face)
    mass = _kg(length * width * thickness, part.density)
    consumption = _kg((length + a.saw_kerf_mm) * (width + a.saw_kerf_mm) * thickness, part.density)
    return _plan(part, part.kind, f"{name} {thickness:g} mm cut to {length:g} x {width:g}", mass, consumption)


# ---- individual blanks ----------------------------------------------------------------------------


def _dims(dims: Sequence[float]) -> str:
    return " x ".join(f"{d:g}" for d in dims)


def _grown(part: _Part, side: float, top: float) -> tuple[str, float]:
    """The envelope grown by `side` per side (and `top` instead on the top face): its text and the added volume."""
    g = part.geometry
    if g.rotational:  # moulded or forged upright: one end face on top
        d, length = g.diameter + 2 * side, g.length + side + top
        added = math.pi / 4 * (d**2 * length - g.diameter**2 * g.length)
        return f"Ø{d:g} x {length:g}", added
    dims = (g.length + 2 * side, g.width + 2 * side, g.height + side + top)
    return _dims(dims), math.prod(dims) - g.length * g.width * g.height


def _casting(part: _Part) -> BlankPlan:
    """Sand casting: envelope + allowance per side by the largest dimension (Table 2), the top face the row's high.

    Mass = part mass + allowance shell × density; consumption = casting mass (route-review-rules.md 3.12).
    """
    steel = part.group in {"steel", "stainless"}
    table = part.allowances.cast_steel_sand if steel else part.allowances.cast_iron_sand
    side, top = range_allowance(table, max(part.geometry.box))
    shape, added = _grown(part, side, top)
    mass = part.mass_kg + _kg(added, part.density)
    # non-ferrous sand castings take the iron row (ISO 8062-3 gives them the same RMA grades)
    column = "steel" if steel else "grey iron" if part.group == "cast_iron" else "iron-row"
    of = f" {part.material}" if part.material else ""
    size = (
        f"Casting{of}, {shape}, allowance {side:.1f} mm per side, {top:.1f} on the top face "
        f"({column} sand casting, GOST 26645 / ISO 8062-3, typical)"
    )
    return _plan(part, "casting", size, mass, mass)


def _forging(part: _Part, kind: str = "forging") -> BlankPlan:
    """Die forging (medium batch up, or production not given) or open-die hammer forging, allowance by size.

    Mass = part mass + allowance shell × density; consumption = forging mass × (1 + forging losses).
    """
    a = part.allowances
    die = part.production is None or part.production in DIE_FORGED
    side, _ = range_allowance(a.die_forging if die else a.open_die_forging, max(part.geometry.box))
    shape, added = _grown(part, side, side)
    mass = part.mass_kg + _kg(added, part.density)
    name, standard = ("Die forging", "GOST 7505") if die else ("Hammer forging", "GOST 7829")
    size = f"{name} {shape}, allowance {side:.1f} mm per side ({standard}, typical)"
    return _plan(part, kind, size, mass, mass * (1 + a.forging_loss))


def _stamping(part: _Part) -> BlankPlan:
    """Sheet stamping of a flat part: sheet = part thickness, contour + allowance, sheet area with the nesting loss.

    A part that is not flat (thickness over a quarter of its smaller side) is a hot die stamping: a die forging.
    """
    g, a = part.geometry, part.allowances
    thick, plan_dims = (g.length, (g.diameter, g.diameter)) if g.rotational else (g.height, (g.length, g.width))
    if thick > FLAT_RATIO * min(plan_dims):
        return _forging(replace(part, production=None), kind="stamping")
    sheet = _next((*a.sheet_thicknesses, *a.plate_thicknesses), thick)
    c = a.stamping_contour_mm
    outline = tuple(d + 2 * c for d in plan_dims)
    if g.rotational:
        added, shape = math.pi / 4 * (outline[0] ** 2 - g.diameter**2), f"Ø{outline[0]:g}"
    else:
        added, shape = math.prod(outline) - math.prod(plan_dims), _dims(outline)
    mass = part.mass_kg * sheet / thick + _kg(added * sheet, part.density)
    consumption = _kg(math.prod(outline) * sheet, part.density) / (1 - a.stamping_nesting_loss)
    size = f"Stamping from sheet {sheet:g} mm, {shape}, contour allowance {c:g} mm per side"
    return _plan(part, "stamping", size, mass, consumption)


def _weldment(part: _Part) -> BlankPlan:
    """Welded of rolled plate and sections: mass ≈ part mass × factor (a typical estimate, not a sum of its parts)."""
    g, factor = part.geometry, part.allowances.weldment_factor
    shape = f"Ø{g.diameter:g} x {g.length:g}" if g.rotational else _dims((g.length, g.width, g.height))
    mass = part.mass_kg * factor
    size = f"Weldment of rolled plate and sections, {shape}, mass ≈ part mass x {factor:g} (typical estimate)"
    return _plan(part, "weldment", size, mass, mass)


_PLANNERS: dict[str, Callable[[_Part], BlankPlan]] = {
    "rolled_bar": _bar,
    "tube": _tube,
    "plate": _plate,
    "sheet": _plate,
    "casting": _casting,
    "forging": _forging,
    "stamping": _stamping,
    "weldment": _weldment,
}


def plan_blank(
    kind: str,
    geometry: Geometry,
    part_mass_kg: float,
    density: float,
    allowances: Allowances,
    *,
    material: str = "",
    group: str = "steel",
    bore_mm: float | None = None,
    production: str | None = None,
    bar_feed: bool = False,
) -> BlankPlan:
    """The blank of `kind` (a BlankKind of the part spec) for a part of `geometry` and `part_mass_kg`.

    `density` in g/cm³; `material` (grade) and `group` (material group) choose the casting column and name the
    casting; `bore_mm` is the finished bore of a tube part; `production` chooses die or open-die forging;
    `bar_feed` plans bar for an automatic or a CNC lathe with a bar feeder (no cut-off, KD parts per bar).
    """
    planner = _PLANNERS.get(kind)
    if planner is None:
        raise ValueError(f"unknown blank kind {kind!r}; expected one of {', '.join(BLANK_KINDS)}")
    part = _Part(kind, geometry, part_mass_kg, density, allowances, material, group, bore_mm, production, bar_feed)
    return planner(part)
