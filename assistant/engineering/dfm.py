"""Design-for-manufacture rules: a part's requirements against the standard tables and the plant's capability.

Each rule is a pure function over values (a requirement, a material, a hardness, the catalogue's processes) and
returns what is wrong, or None. The design stage wraps them as checks (assistant/stages/design/checks.py); the
rules, their thresholds and their sources are knowledge/corpus/design-review-rules.md (PP-DRV-001):

- roughness usual for an IT grade: surface-roughness-parameters.md Table 4 (ISO 1302, GOST 2789);
- metric thread series: ISO 261 / GOST 8724 (threads-metric.md Tables 1-2, third-choice sizes from ISO 261);
- parallel key sections by shaft diameter: GOST 23360 / DIN 6885-1 / ISO 773 (keys-and-keyways.md Table 1);
- twist drill reach: GOST 10902 / DIN 338 (jobber), GOST 886 / DIN 340 (long series), design-for-manufacture.md 3.1;
- bearing seats: tolerances-and-fits.md section 6 (ISO 492 bearings on ISO 286 seats).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.engineering.fits import LimitsTable, ToleranceClass, fit_limits
from assistant.engineering.heat import Hardness, treatment_problem
from assistant.engineering.routing import RA_SERIES, Condition, choose_chain, evaluate
from assistant.engineering.types import PRODUCTION_TYPES, ChainOption, Machine, Material, Process, Requirement

# ---- roughness and IT grade (PP-DRV-001 section 2) -----------------------------------------------

# Usual Ra range, µm, of a surface toleranced to an IT grade (surface-roughness-parameters.md Table 4)
# fmt: off
RA_USUAL: dict[int, tuple[float, float]] = {
    5: (0.2, 0.4), 6: (0.4, 0.8), 7: (0.8, 1.6), 8: (0.8, 3.2), 9: (1.6, 3.2), 10: (3.2, 6.3), 11: (3.2, 6.3),
    12: (6.3, 12.5), 13: (12.5, 25.0), 14: (12.5, 25.0),
}
# fmt: on
TOO_FINE_STEPS = 2  # steps of the Ra series finer than the usual range before a finding (PP-DRV-001 2.2)
IMPOSSIBLE_STEPS = 2  # steps coarser than the usual range that make the grade unachievable (2.2)


def _step(ra: float) -> int:
    """Index of the preferred Ra value nearest to `ra` (GOST 2789 series)."""
    return min(range(len(RA_SERIES)), key=lambda i: abs(RA_SERIES[i] - ra) / RA_SERIES[i])


@dataclass(frozen=True)
class RaVerdict:
    """A roughness outside the usual range of its grade: `steps` finer (< 0) or coarser (> 0) than the range."""

    it: int
    ra: float
    usual: tuple[float, float]
    steps: int

    @property
    def too_fine(self) -> bool:
        """True when the roughness is finer than the grade needs."""
        return self.steps < 0

    @property
    def impossible(self) -> bool:
        """True when the roughness is so coarse that the grade cannot be held (an error)."""
        return self.steps >= IMPOSSIBLE_STEPS


# The finest Ra a function itself calls for, µm (surface-roughness-parameters.md Table 2): a roughness this fine is
# not "too fine for the grade" on a surface with that function (PP-DRV-001 2.3)
# fmt: off
FUNCTION_RA = {
    "bearing_seat": 0.4, "sealing": 0.2, "sliding_fit": 0.4, "press_fit": 0.8, "locating": 0.8, "keyed_joint": 0.8,
}
# fmt: on


def ra_vs_it(it: int, ra: float, function: str | None = None) -> RaVerdict | None:
    """The verdict on Ra for an IT grade, or None when it lies in (or one step finer than) the usual range, or
    is as fine as the surface's function calls for."""
    usual = RA_USUAL.get(it)
    if usual is None:
        return None
    here, finest, coarsest = _step(ra), _step(usual[0]), _step(usual[1])
    if here > coarsest:
        return RaVerdict(it, ra, usual, here - coarsest)
    needed = FUNCTION_RA.get(function or "")
    if finest - here >= TOO_FINE_STEPS and (needed is None or ra < needed * 0.999):
        return RaVerdict(it, ra, usual, here - finest)
    return None


# ---- chains: what a requirement costs, and the finest grade the plant holds (sections 2.4, 9) ------


def extra_steps(
    requirement: Requirement,
    relaxed: Requirement,
    options: tuple[ChainOption, ...],
    processes: dict[str, Process],
    condition: Condition,
) -> tuple[Process, ...]:
    """Steps the cheapest chain for `requirement` has beyond the cheapest chain for the `relaxed` one."""
    tight = choose_chain(requirement, options, processes, condition)
    loose = choose_chain(relaxed, options, processes, condition)
    if tight is None or loose is None:
        return ()
    kept = {step.code for step in loose.steps}
    return tuple(step for step in tight.steps if step.code not in kept)


def relaxed_ra(requirement: Requirement) -> Requirement:
    """The requirement with the coarsest roughness usual for its grade."""
    usual = RA_USUAL.get(requirement.it)
    return replace(requirement, ra=usual[1]) if usual else requirement


def _machine_grade(process: Process, machines: Sequence[Machine]) -> int | None:
    """The finest grade a catalogue machine of the process's kind holds; None when none states a limit."""
    words = tuple(w.lower() for w in process.machine_types)
    able = [m for m in machines if process.kind in m.kinds and (not words or any(w in m.type.lower() for w in words))]
    grades = [m.accuracy_it for m in able]
    if not able or any(g is None for g in grades):
        return None
    return min(g for g in grades if g is not None)


CARE_GRADES = 1  # grades finer than the economical one that careful work still holds (design-review-checklist 5.3)


@dataclass(frozen=True)
class Finest:
    """The finest grade the catalogue holds on a feature, and the chain and machine grade behind it."""

    it: int
    chain: tuple[str, ...]


def finest_grade(
    requirement: Requirement,
    options: tuple[ChainOption, ...],
    processes: dict[str, Process],
    condition: Condition,
    machines: Sequence[Machine],
) -> Finest | None:
    """The finest IT any chain of the catalogue reaches on this feature on a catalogue machine (Ra ignored)."""
    best: Finest | None = None
    for option in options:
        route = evaluate(option, processes, requirement, condition)
        if route is None:
            continue
        machine = _machine_grade(route.steps[-1], machines)
        grade = max(route.reached.it, machine or 0)
        if best is None or grade < best.it:
            best = Finest(grade, tuple(step.name for step in route.steps))
    return best


# ---- hardness (section 3) ------------------------------------------------------------------------


@dataclass(frozen=True)
class HardnessIssue:
    """Why a hardness cannot be had as specified; `unreachable` when no treatment of the material gives it."""

    unreachable: bool
    problem: str


def hardness_issue(hardness: Hardness | None, material: Material, notes: str) -> HardnessIssue | None:
    """The material's problem with the hardness (heat.treatment_problem), graded: out of reach, or unnamed treatment."""
    problem = treatment_problem(hardness, material, notes)
    if hardness is None or problem is None:
        return None
    unreachable = material.hardening == "none" or material.max_hrc is None or hardness.low_hrc > material.max_hrc
    return HardnessIssue(unreachable, problem)


def materials_reaching(hardness: Hardness, materials: Sequence[Material], group: str, limit: int = 3) -> list[str]:
    """Catalogue grades of the same group that reach the hardness by some treatment (suggestions for a fix)."""
    able = [m for m in materials if m.group == group and m.max_hrc is not None and m.max_hrc >= hardness.low_hrc]
    return [m.grade for m in able[:limit]]


# ---- blank (section 4) ---------------------------------------------------------------------------

STOCK_BLANKS = frozenset({"rolled_bar", "plate", "sheet", "tube", "weldment"})
DIE_PAYS_FROM = "medium_batch"  # a stamping die or forging die pays from medium batches (blanks.md 3.2.2)
BAR_KINDS = frozenset({"shaft", "bushing"})  # turned from bar in single and small batches (blanks.md 3.2.1)
STEP_RATIO = 1.5  # a shaft whose largest step exceeds the next by more than this is worth forging (3.3.2)
# Parts that are not the complex cavity shapes cast in every production type (blanks.md 3.2.3)
UNCAST_KINDS = frozenset({"shaft", "bushing", "disk", "flange", "gear", "plate", "lever"})


@dataclass(frozen=True)
class BlankIssue:
    """A blank that the material cannot be (an error) or that the volume does not pay for (a warning)."""

    impossible: bool
    problem: str


def step_ratio(diameters: Sequence[float]) -> float:
    """The largest diameter of a stepped part over the next largest (1.0 for a plain one)."""
    steps = sorted(set(diameters), reverse=True)
    return steps[0] / steps[1] if len(steps) > 1 else 1.0


def blank_issue(
    blank: str, material: Material, production: str, kind: str, steps: float, material_known: bool = True
) -> BlankIssue | None:
    """The blank against the material's blank kinds, then against what the production type pays for (tooling);
    `steps` is the step ratio of a turned part (step_ratio)."""
    if material_known and material.blanks and blank not in material.blanks:
        kinds = ", ".join(k.replace("_", " ") for k in material.blanks)
        cast_only = set(material.blanks) == {"casting"}
        if cast_only or blank == "casting":
            why = "a cast grade cannot be rolled or forged" if cast_only else "a wrought grade is not cast"
            return BlankIssue(
                True,
                f"{material.grade} is made only as {kinds} ({why}): a {blank.replace('_', ' ')} of it is impossible",
            )
        return BlankIssue(
            False, f"{material.grade} is not stocked as {blank.replace('_', ' ')} (the catalogue lists {kinds})"
        )
    stock = [k for k in material.blanks if k in STOCK_BLANKS] if material.blanks else ["rolled_bar"]
    small = PRODUCTION_TYPES.index(production) < PRODUCTION_TYPES.index(DIE_PAYS_FROM)
    volume = f"{production.replace('_', ' ')} production"
    if blank == "stamping" and small and stock:
        return BlankIssue(False, f"a stamping needs a die, which {volume} does not pay for")
    if blank == "forging" and small and kind in BAR_KINDS and steps <= STEP_RATIO and "rolled_bar" in stock:
        return BlankIssue(
            False, f"a {kind} with steps within {STEP_RATIO:g}x of each other is turned from bar in {volume}"
        )
    if blank == "casting" and production == "single" and kind in UNCAST_KINDS and stock:
        return BlankIssue(False, f"a casting needs a pattern, which {volume} does not pay for")
    return None


# ---- deep holes (section 6) ----------------------------------------------------------------------

JOBBER_RATIO = 5.0  # depth/diameter of one ordinary twist-drilling pass (GOST 10902, DIN 338; PP-DFM-001 3.1)
LONG_SERIES_RATIO = 10.0  # reach of long-series drills with peck cycles (GOST 886, DIN 340)
TIGHT_IT = 7  # beyond LONG_SERIES_RATIO at this grade or finer, without a deep-hole process named: an error
SMALL_DRILL_MM = 3.0  # drills below this break easily in deep holes (PP-DFM-001 3.2)
_DEEP_PROCESS = re.compile(r"gun[- ]?drill|deep[- ]hole|\b(?:BTA|STS)\b|ejector drill|honed|honing", re.I)


@dataclass(frozen=True)
class DeepHole:
    """A hole deeper than one twist-drilling pass: its depth ratio and whether it cannot be made as specified."""

    ratio: float
    beyond_long_series: bool
    impossible: bool
    small: bool


def deep_hole(diameter: float, depth: float, it: int, notes: str) -> DeepHole | None:
    """The verdict on a drilled hole of this depth and grade, or None within one ordinary drilling pass."""
    if diameter <= 0 or depth <= 0:
        return None
    ratio = depth / diameter
    if ratio <= JOBBER_RATIO:
        return None
    beyond = ratio > LONG_SERIES_RATIO
    impossible = beyond and it <= TIGHT_IT and not _DEEP_PROCESS.search(notes or "")
    return DeepHole(round(ratio, 1), beyond, impossible, diameter < SMALL_DRILL_MM)


# ---- thread and keyway series (sections 7-8) -----------------------------------------------------

# ISO 261 / GOST 8724: nominal diameter → (coarse pitch or None for sizes made only fine, fine pitches)
# fmt: off
THREAD_SERIES: dict[float, tuple[float | None, tuple[float, ...]]] = {
    1.0: (0.25, (0.2,)), 1.2: (0.25, (0.2,)), 1.6: (0.35, (0.2,)), 2.0: (0.4, (0.25,)), 2.5: (0.45, (0.35,)),
    3.0: (0.5, (0.35,)), 3.5: (0.6, (0.35,)), 4.0: (0.7, (0.5,)), 5.0: (0.8, (0.5,)), 6.0: (1.0, (0.75,)),
    8.0: (1.25, (1.0, 0.75)), 10.0: (1.5, (1.25, 1.0, 0.75)), 12.0: (1.75, (1.5, 1.25, 1.0)),
    14.0: (2.0, (1.5, 1.25, 1.0)), 15.0: (None, (1.5, 1.0)), 16.0: (2.0, (1.5, 1.0)), 17.0: (None, (1.5, 1.0)),
    18.0: (2.5, (2.0, 1.5, 1.0)), 20.0: (2.5, (2.0, 1.5, 1.0)), 22.0: (2.5, (2.0, 1.5, 1.0)),
    24.0: (3.0, (2.0, 1.5, 1.0)), 25.0: (None, (2.0, 1.5, 1.0)), 26.0: (None, (1.5,)),
    27.0: (3.0, (2.0, 1.5, 1.0)), 28.0: (None, (2.0, 1.5, 1.0)), 30.0: (3.5, (3.0, 2.0, 1.5, 1.0)),
    32.0: (None, (2.0, 1.5)), 33.0: (3.5, (3.0, 2.0, 1.5)), 35.0: (None, (1.5,)), 36.0: (4.0, (3.0, 2.0, 1.5)),
    38.0: (None, (1.5,)), 39.0: (4.0, (3.0, 2.0, 1.5)), 40.0: (None, (3.0, 2.0, 1.5)),
    42.0: (4.5, (4.0, 3.0, 2.0, 1.5)), 45.0: (4.5, (4.0, 3.0, 2.0, 1.5)), 48.0: (5.0, (4.0, 3.0, 2.0, 1.5)),
    50.0: (None, (3.0, 2.0, 1.5)), 52.0: (5.0, (4.0, 3.0, 2.0, 1.5)), 55.0: (None, (4.0, 3.0, 2.0, 1.5)),
    56.0: (5.5, (4.0, 3.0, 2.0, 1.5)), 58.0: (None, (4.0, 3.0, 2.0, 1.5)), 60.0: (5.5, (4.0, 3.0, 2.0, 1.5)),
    62.0: (None, (4.0, 3.0, 2.0, 1.5)), 64.0: (6.0, (4.0, 3.0, 2.0, 1.5)), 65.0: (None, (4.0, 3.0, 2.0, 1.5)),
    68.0: (6.0, (4.0, 3.0, 2.0, 1.5)),
}
# fmt: on


def thread_pitches(diameter: float) -> tuple[float, ...] | None:
    """The ISO 261 pitches of a nominal diameter (coarse first); () for a diameter not in the series, None
    beyond the table (over M68), where the rule is silent."""
    if diameter > max(THREAD_SERIES):
        return None
    row = THREAD_SERIES.get(round(diameter, 1))
    if row is None:
        return ()
    coarse, fine = row
    return ((coarse,) if coarse else ()) + fine


# GOST 23360 / DIN 6885-1 / ISO 773: (shaft diameter over, up to, key width b, key height h, shaft depth t1)
# fmt: off
KEY_SECTIONS: tuple[tuple[float, float, float, float, float], ...] = (
    (6, 8, 2, 2, 1.2), (8, 10, 3, 3, 1.8), (10, 12, 4, 4, 2.5), (12, 17, 5, 5, 3.0), (17, 22, 6, 6, 3.5),
    (22, 30, 8, 7, 4.0), (30, 38, 10, 8, 5.0), (38, 44, 12, 8, 5.0), (44, 50, 14, 9, 5.5), (50, 58, 16, 10, 6.0),
    (58, 65, 18, 11, 7.0), (65, 75, 20, 12, 7.5), (75, 85, 22, 14, 9.0), (85, 95, 25, 14, 9.0),
    (95, 110, 28, 16, 10.0), (110, 130, 32, 18, 11.0), (130, 150, 36, 20, 12.0), (150, 170, 40, 22, 13.0),
    (170, 200, 45, 25, 15.0), (200, 230, 50, 28, 17.0),
)
# fmt: on


def key_width(shaft_diameter: float) -> float | None:
    """The standard key width b for a shaft diameter (a range "over..to" includes its upper limit)."""
    row = next((r for r in KEY_SECTIONS if r[0] < shaft_diameter <= r[1]), None)
    if row is None and shaft_diameter == KEY_SECTIONS[0][0]:
        row = KEY_SECTIONS[0]
    return row[2] if row else None


def keyway_fits(width: float, diameters: Sequence[float]) -> bool:
    """True when the width is the standard key width for one of the candidate shaft diameters (or the table
    is silent for all of them)."""
    widths = [key_width(d) for d in diameters]
    known = [w for w in widths if w is not None]
    return not known or any(abs(w - width) < 1e-6 for w in known)


def is_key_width(width: float) -> bool:
    """True for a width of the GOST 23360 key series."""
    return any(abs(row[2] - width) < 1e-6 for row in KEY_SECTIONS)


# ---- tolerance, function and fit (10-11) --------------------------------------------------------

# The finest grade a function needs (coarser is enough, finer costs without a benefit): PP-DRV-001 Table 3
# fmt: off
FUNCTION_GRADE = {
    "free": 11, "bearing_seat": 5, "press_fit": 5, "sliding_fit": 5, "locating": 6, "sealing": 8, "keyed_joint": 6,
}
# fmt: on
KEYWAY_GRADE = 9  # keyway widths N9, JS9, P9, H9 (keys-and-keyways.md 5.2)
NO_GRADE_TYPES = frozenset({"external_thread", "internal_thread", "gear_teeth"})  # own classes, not IT grades


def function_grade(function: str | None, feature_type: str) -> int | None:
    """The finest IT grade the feature's function needs, or None when the function sets no limit."""
    if function is None or feature_type in NO_GRADE_TYPES:
        return None
    if feature_type in {"keyway", "slot", "spline"} and function == "keyed_joint":
        return KEYWAY_GRADE
    return FUNCTION_GRADE.get(function)


def fit_character(table: LimitsTable, size: float, cls: ToleranceClass) -> str | None:
    """clearance, transition or interference of the class with the basic member of the usual system (H with a
    shaft, h with a hole, the hole one grade coarser up to IT8); None for a basic class or outside the tables."""
    if cls.letter in {"H", "h"}:
        return None
    step = 1 if cls.grade <= 8 else 0
    try:
        if cls.letter.islower():
            return fit_limits(table, size, ToleranceClass("H", cls.grade + step), cls).kind
        return fit_limits(table, size, cls, ToleranceClass("h", cls.grade - step)).kind
    except ValueError:
        return None


BEARING_SHAFT = frozenset({"js", "j", "k", "m", "n"})  # tolerances-and-fits.md 6.2
BEARING_SHAFT_SPECIAL = frozenset({"g", "h", "p"})  # stationary inner ring (6.3), heavy or shock loads (6.2)
BEARING_HOUSING = frozenset({"H", "J", "JS", "K"})  # stationary outer ring (6.4)
BEARING_HOUSING_SPECIAL = frozenset({"G", "M", "N", "P"})  # rotating outer ring (6.5)


@dataclass(frozen=True)
class FitIssue:
    """A fit that contradicts the feature's function; `error` when it cannot work at all."""

    error: bool
    problem: str


def bearing_seat_issue(cls: ToleranceClass) -> FitIssue | None:
    """A bearing seat outside k6/js6/m6/n6 (shafts) or H7/J7/JS7/K7 (housings) (tolerances-and-fits.md 6)."""
    shaft = cls.letter.islower()
    usual, special = (BEARING_SHAFT, BEARING_SHAFT_SPECIAL) if shaft else (BEARING_HOUSING, BEARING_HOUSING_SPECIAL)
    grades = (5, 6) if shaft else (6, 7)
    seat = "shaft seat (usually k6, js6, m6 or n6)" if shaft else "housing bore (usually H7, J7, JS7 or K7)"
    if cls.letter in usual and cls.grade in grades:
        return None
    if cls.letter in usual and cls.grade == grades[1] + 1:
        return FitIssue(False, f"{cls} is one grade coarser than a bearing {seat}")
    if cls.letter in special and cls.grade in grades:
        why = "a stationary inner ring" if cls.letter in {"g", "h"} else "a rotating outer ring or heavy loads"
        return FitIssue(False, f"{cls} is a bearing {seat} only for {why}; confirm the loading of the ring")
    return FitIssue(True, f"{cls} is not a bearing {seat}: the ring creeps or is overstressed")


def fit_issue(function: str | None, cls: ToleranceClass, character: str | None) -> FitIssue | None:
    """The fit against the function: clearance on a press fit, interference on a sliding fit, a wrong bearing seat."""
    if function == "bearing_seat":
        return bearing_seat_issue(cls)
    if function == "press_fit":
        if character == "clearance":
            return FitIssue(True, f"{cls} gives a clearance fit; a press fit needs interference (p6, r6, s6 with H7)")
        if character == "transition":
            return FitIssue(False, f"{cls} gives a transition fit, which does not hold a press fit without a key")
        if cls.letter == "h":
            return FitIssue(False, f"{cls} makes a clearance with the usual H7 hole; a press fit needs p6, r6 or s6")
    if function == "sliding_fit":
        if character == "interference":
            return FitIssue(True, f"{cls} gives an interference fit; the parts cannot slide (use H7/g6, H7/f7)")
        if character == "transition":
            return FitIssue(False, f"{cls} gives a transition fit; sliding parts need a clearance (g6, f7, H7)")
    return None
