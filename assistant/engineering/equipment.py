"""Choose a catalogue machine for an operation: kind, work envelope, accuracy, production type, cost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.engineering.types import Geometry, Machine, PartClass


@dataclass(frozen=True)
class MachineNeed:
    """What an operation asks of a machine."""

    kind: str
    geometry: Geometry
    accuracy_it: int | None = None
    machine_types: tuple[str, ...] = ()
    hole_diameter: float = 0.0


@dataclass(frozen=True)
class MachineChoice:
    """The chosen machine (None when the catalogue has no machine of the kind) and why."""

    machine: Machine | None
    reason: str
    fits: bool
    holds: bool = True


def fits(machine: Machine, geometry: Geometry) -> bool:
    """True when the part fits the machine's work envelope (diameter and length, or a box)."""
    if machine.max_diameter is not None or machine.max_length is not None:
        diameter = geometry.diameter if geometry.rotational else (geometry.width**2 + geometry.height**2) ** 0.5
        return (machine.max_diameter is None or diameter <= machine.max_diameter) and (
            machine.max_length is None or geometry.length <= machine.max_length
        )
    if machine.max_size is not None:
        return all(p <= m for p, m in zip(geometry.box, sorted(machine.max_size, reverse=True), strict=True))
    return True


def part_class(geometry: Geometry) -> PartClass:
    """Rotational parts are turned about their axis; all others are clamped as boxes."""
    return PartClass.ROTATIONAL if geometry.rotational else PartClass.PRISMATIC


def takes(machine: Machine, geometry: Geometry) -> bool:
    """True when the machine takes this class of part (a lathe never takes a housing, whatever its diagonal)."""
    return not machine.part_classes or part_class(geometry) in machine.part_classes


def bar_fed(machine: Machine) -> bool:
    """True for an automatic, which is fed from full bar and parts off itself (route-review-rules.md 3.5)."""
    return "automatic" in machine.type.lower()


CENTRELESS = ("centreless", "centerless")


def centreless(machine_type: str) -> bool:
    """True for a centreless grinder (or the word that asks for one), which has no centre datum (2.12)."""
    return machine_type.lower().startswith(CENTRELESS)


def bore_fits(machine: Machine, diameter: float) -> bool:
    """True when a bore of this diameter lies within what the machine drills, bores, grinds or hones."""
    return (machine.min_hole_diameter or 0.0) <= diameter <= (machine.max_hole_diameter or float("inf"))


def _type_matches(machine: Machine, words: tuple[str, ...]) -> bool:
    if words == ("lathe",):
        return "turning" in machine.kinds
    return not words or any(word in machine.type.lower() for word in words)


def _holds(machine: Machine, need: MachineNeed) -> bool:
    return need.accuracy_it is None or machine.accuracy_it is None or machine.accuracy_it <= need.accuracy_it


def _size_key(machine: Machine) -> float:
    if machine.max_size:
        return machine.max_size[0] * machine.max_size[1] * machine.max_size[2]
    return (machine.max_diameter or 0) ** 2 * (machine.max_length or 0)


def select_machine(need: MachineNeed, machines: Sequence[Machine], automation_order: Sequence[str]) -> MachineChoice:
    """The cheapest suitable machine of the preferred automation level; the reason names every test it passed."""
    able = [m for m in machines if need.kind in m.kinds and takes(m, need.geometry)]
    by_kind = [m for m in able if _type_matches(m, need.machine_types)] or able
    if not by_kind:
        work = part_class(need.geometry).value
        return MachineChoice(None, f"the catalogue has no machine for {need.kind} of {work} parts", False)
    fitting = [m for m in by_kind if fits(m, need.geometry)]
    if not fitting:
        largest = max(by_kind, key=_size_key)
        return MachineChoice(
            largest, f"no {need.kind} machine in the catalogue takes the part; largest is {largest.model}", False
        )
    capable = [m for m in fitting if _holds(m, need)]
    holds = bool(capable)
    capable = capable or fitting
    if need.hole_diameter:
        capable = [m for m in capable if bore_fits(m, need.hole_diameter)] or capable
    rank = {level: i for i, level in enumerate(automation_order)}
    chosen = min(capable, key=lambda m: (rank.get(m.automation, 9), m.hourly_cost, _size_key(m)))
    accuracy = f"holds IT{chosen.accuracy_it}" if chosen.accuracy_it is not None else "no accuracy limit"
    needed = f" (needs IT{need.accuracy_it})" if need.accuracy_it is not None else ""
    reason = (
        f"{chosen.model} {chosen.type}: does {need.kind}, part fits its envelope, {accuracy}{needed}, "
        f"{chosen.automation} machine preferred for this production type, {chosen.hourly_cost:g} USD/h "
        f"(cheapest of {len(capable)} suitable)"
    )
    return MachineChoice(chosen, reason, True, holds)
