"""Setups of an operation: which surfaces are machined in which clamping, and how the part is held.

A hubbed rotational part (gear, bushing, flange, disk) is located from its bore: the bore and one end face are
machined first, in the first setup, and the outside diameter, the rim and the second face from the bore, in the
next setup or operation, on a mandrel (route-review-rules.md 4.4, 4.5, 9.9).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from assistant.engineering.sequencing import PlannedStep
from assistant.engineering.types import Requirement

CENTRES_RATIO = 2.5  # rotational parts this many diameters long (and shafts) are held on centres
BOTH_ENDS = frozenset({"end_face", "chamfer"})  # surfaces found at both ends: one end in each setup
LATHE_KINDS = frozenset({"turning", "boring", "drilling", "countersinking", "reaming", "threading", "grinding"})
MANDREL_KINDS = frozenset({"turning", "threading", "grinding", "superfinishing"})  # outside work on a mandrel
CHUCKED = "Clamp by the outside diameter in a three-jaw chuck against the end face"


@dataclass(frozen=True)
class SetupPlan:
    """One clamping within an operation: its letter, how the part is held, and the steps made in it."""

    id: str
    steps: tuple[PlannedStep, ...]
    clamping: str | None = None
    locates: str = ""  # "bore": the part is located on its machined bore (a mandrel)


def on_centres(kind: str, rotational: bool, length: float, diameter: float) -> bool:
    """Shafts and long rotational parts are held on centres (their centre holes are the datum)."""
    return rotational and (kind == "shaft" or length >= CENTRES_RATIO * diameter)


def datum_bore(rotational: bool, centres: bool, requirements: Mapping[str, Requirement]) -> str | None:
    """The bore a hubbed rotational part is located from: its largest single hole (4.4); None for parts held
    on centres, prismatic parts and parts without a bore."""
    if not rotational or centres:
        return None
    bores = [r for r in requirements.values() if r.feature_type == "hole" and r.count == 1]
    return max(bores, key=lambda r: r.size).feature_id if bores else None


def located_on_bore(bore: str) -> str:
    """How the part is held for work located from its machined bore."""
    return f"Locate on bore {bore} and the machined end face (expanding mandrel), clamp"


def _one_end(step: PlannedStep, count: int) -> PlannedStep:
    return replace(step, requirement=replace(step.requirement, count=count))


def plan_setups(
    kind: str, steps: tuple[PlannedStep, ...], bore: str | None, axial: frozenset[str], bore_machined: bool
) -> list[SetupPlan]:
    """The setups of one operation of a part located from `bore` (None: one setup as planned).

    An operation that machines both the axial bores and the outside is two setups: A holds the part by the
    outside and makes the bores and the first end face, B holds it on the bore and makes the rest; surfaces at
    both ends are shared, one end each. Outside work after the bore is machined is located on the bore.
    """
    if bore is None or kind not in LATHE_KINDS:
        return [SetupPlan("A", steps)]
    inside = [s for s in steps if s.requirement.feature_id in axial]
    if not inside:
        on_bore = bore_machined and kind in MANDREL_KINDS
        return [SetupPlan("A", steps, located_on_bore(bore), "bore") if on_bore else SetupPlan("A", steps)]
    if len(inside) == len(steps):
        return [SetupPlan("A", steps, CHUCKED)]
    faces = [
        s.requirement.feature_id for s in steps if s.requirement.feature_type == "end_face" and s.requirement.count == 1
    ]
    first = {s.requirement.feature_id for s in inside} | set(faces[:1])
    a, b = [], []
    for step in steps:
        req = step.requirement
        if req.feature_id in first:
            a.append(step)
        elif req.feature_type in BOTH_ENDS and req.count > 1:
            a.append(_one_end(step, 1))
            b.append(_one_end(step, req.count - 1))
        else:
            b.append(step)
    turned_over = f"Turn the part over; {located_on_bore(bore)[0].lower()}{located_on_bore(bore)[1:]}"
    return [SetupPlan("A", tuple(a), CHUCKED), SetupPlan("B", tuple(b), turned_over, "bore")]
