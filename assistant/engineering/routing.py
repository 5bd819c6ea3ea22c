"""Feature → the cheapest chain of processes that reaches its IT grade and roughness."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.engineering.operations import MachiningStage
from assistant.engineering.types import PRODUCTION_TYPES, Capability, ChainOption, Process, Requirement

ABRASIVE_KINDS = frozenset({"grinding", "superfinishing", "gear_finishing"})
# Cut before heat treatment and not finished after it (operation-sequencing.md §4.4)
NOT_FINISHED_AFTER_HT = frozenset({"keyway", "slot", "groove", "chamfer", "external_thread", "internal_thread"})
SHAFT_LIKE = frozenset({"shaft"})


@dataclass(frozen=True)
class Condition:
    """What the router must know about the part: material group, production type, shape, hardened state."""

    group: str
    production: str
    rotational: bool
    part_kind: str
    hardened: bool = False
    heat_treated: bool = False  # the part is hardened somewhere: all grinding waits for the heat treatment
    nitrided: bool = False  # nitriding: surfaces are finished before it, only fine abrasive steps follow
    cored_above: float | None = None  # holes larger than this exist in the blank: bored, never drilled from solid


@dataclass(frozen=True)
class FeatureRoute:
    """The chosen chain for one feature: steps, which of them follow heat treatment, and what it reaches."""

    requirement: Requirement
    option: ChainOption
    steps: tuple[Process, ...]
    after_ht: tuple[bool, ...]
    reached: Capability
    ok: bool
    cost: float
    hardened: bool = False


RA_SERIES = (0.012, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.3, 12.5, 25.0, 50.0, 100.0)


def degrade(cap: Capability) -> Capability:
    """Heat-treatment distortion: one IT grade and one step of the Ra series lost (operation-sequencing.md §4.3)."""
    coarser = next((ra for ra in RA_SERIES if ra > cap.ra * 1.0001), cap.ra * 2)
    return Capability(cap.it + 1, coarser)


def distortion_matters(requirement: Requirement) -> bool:
    """Only toleranced or finished surfaces care about distortion: IT11 or finer, or Ra 3.2 or finer (§4.3)."""
    return requirement.it <= 11 or requirement.ra <= 3.2


def is_external(requirement: Requirement, part_kind: str) -> bool:
    """Keyways, splines and teeth are external on shafts and internal on hubbed parts unless stated."""
    if requirement.internal is not None:
        return not requirement.internal
    if requirement.feature_type == "gear_teeth":
        return True
    return part_kind in SHAFT_LIKE


def _applies(process: Process, requirement: Requirement, condition: Condition) -> bool:
    size = requirement.size
    if process.min_d is not None and size and size < process.min_d:
        return False
    if process.max_d is not None and size and size > process.max_d:
        return False
    level = PRODUCTION_TYPES.index(condition.production)
    if process.min_production and level < PRODUCTION_TYPES.index(process.min_production):
        return False
    return not process.max_production or level <= PRODUCTION_TYPES.index(process.max_production)


def _option_fits(option: ChainOption, requirement: Requirement, condition: Condition, hardened: bool) -> bool:
    if option.part and option.part != ("rotational" if condition.rotational else "prismatic"):
        return False
    cored = condition.cored_above is not None and requirement.size > condition.cored_above
    if cored and requirement.feature_type == "hole" and option.steps[0].startswith("drill"):
        return False  # the hole is in the blank (tube bore, cored casting hole): it is bored, not drilled
    if option.external is not None and option.external != is_external(requirement, condition.part_kind):
        return False
    if option.max_d is not None and requirement.size and requirement.size > option.max_d:
        return False
    return option.hardened_ok or not hardened


def _split(steps: tuple[Process, ...], hardened: bool, nitrided: bool = False) -> tuple[bool, ...]:
    """Which steps come after heat treatment: from the first abrasive step that can work hardened steel on;
    after nitriding only fine grinding or lapping (heat-treatment.md 6.3, 9.7)."""
    if not hardened:
        return tuple(False for _ in steps)
    first = next(
        (
            i
            for i, s in enumerate(steps)
            if s.kind in ABRASIVE_KINDS and s.hardened and (not nitrided or s.stage == MachiningStage.FINE)
        ),
        len(steps),
    )
    return tuple(i >= first for i in range(len(steps)))


def evaluate(
    option: ChainOption, processes: dict[str, Process], requirement: Requirement, condition: Condition
) -> FeatureRoute | None:
    """What the chain reaches on this feature, or None when one of its steps cannot be used here."""
    hardened = (
        condition.hardened and requirement.feature_type not in NOT_FINISHED_AFTER_HT and distortion_matters(requirement)
    )
    if (
        requirement.feature_type in {"external_thread", "internal_thread"}
        and condition.hardened
        and requirement.it <= 5
    ):
        hardened = True
    # a nitrided surface is finished before nitriding, which hardly distorts it: any chain fits
    if not _option_fits(option, requirement, condition, hardened and not condition.nitrided):
        return None
    steps = tuple(processes[code] for code in option.steps)
    after = _split(steps, hardened or condition.heat_treated, condition.nitrided)
    for step, post in zip(steps, after, strict=True):
        if not _applies(step, requirement, condition):
            return None
        if (step.hardened if post and hardened else step.capability.get(condition.group)) is None:
            return None
    last, post = steps[-1], after[-1]
    reached = last.hardened if post and hardened else last.capability[condition.group]
    assert reached is not None
    if hardened and not post and not condition.nitrided:
        reached = degrade(reached)
    flat_ok = requirement.flatness is None or _flatness_ok(last, requirement)
    ok = reached.reaches(requirement.it, requirement.ra) and flat_ok
    return FeatureRoute(requirement, option, steps, after, reached, ok, sum(s.cost for s in steps), hardened)


def _flatness_ok(process: Process, requirement: Requirement) -> bool:
    if process.flatness is None:
        return True
    span = max(requirement.length, requirement.width, requirement.size, 100.0)
    return process.flatness * span / 100.0 <= (requirement.flatness or 0) * 1.0001


def choose_chain(
    requirement: Requirement, options: tuple[ChainOption, ...], processes: dict[str, Process], condition: Condition
) -> FeatureRoute | None:
    """The cheapest chain reaching the requirement; failing that, the most capable one (marked not ok)."""
    routes = [r for o in options if (r := evaluate(o, processes, requirement, condition)) is not None]
    if not routes:
        return None
    good = [r for r in routes if r.ok]
    if good:
        return min(good, key=lambda r: (r.cost, len(r.steps)))
    return min(routes, key=lambda r: (r.reached.it, r.reached.ra, r.cost))
