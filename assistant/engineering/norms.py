"""Time norms: main time per process step, auxiliary time, allowances, setup, piece and piece-calculation time.

Formulas and coefficients: time-norms.md (clauses in the comments) with the cutting data of processes.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.engineering.norm_types import CentreHole, TimeNorms
from assistant.engineering.types import Process, Requirement

TIME_DOC = "time-norms.md"


@dataclass(frozen=True)
class Cut:
    """Everything a main-time formula reads for one step on one feature."""

    process: Process
    requirement: Requirement
    group: str
    approach: float
    stock: float  # per side, mm, removed by this step (rough steps: what the later stages leave)
    part_diameter: float
    speed_factor: float = 1.0  # K_mv of the grade against its group's reference (cutting-data.md 2.5-2.6)
    manual: bool = False  # on a manual machine: the process's v_manual speeds where it has them


_WHEEL_KINDS = frozenset({"grinding", "superfinishing", "gear_finishing"})  # wheel speeds do not follow K_mv


def _speed(cut: Cut) -> float:
    speeds = cut.process.cutting.get("v_manual" if cut.manual and "v_manual" in cut.process.cutting else "v", {})
    table = float(speeds.get(cut.group) or next(iter(speeds.values()), 50.0))
    return table if cut.process.kind in _WHEEL_KINDS else table * cut.speed_factor


def spindle_speed(v: float, diameter: float) -> float:
    """n = 1000 · v / (π · D), rev/min, for cutting speed v in m/min at diameter D in mm."""
    return 1000.0 * v / (math.pi * max(diameter, 1.0))


def _passes(cut: Cut) -> int:
    depth = float(cut.process.cutting.get("depth") or 0)
    return max(1, math.ceil(cut.stock / depth - 1e-9)) if depth > 0 else 1


def _length(cut: Cut, default: float) -> float:
    return cut.requirement.length or default


def turning(cut: Cut) -> float:
    """§3.1 and §3.4: To = (L + l) · i / (n · s)."""
    diameter = cut.requirement.size or cut.part_diameter
    n = spindle_speed(_speed(cut), diameter)
    return (_length(cut, 20.0) + cut.approach) * _passes(cut) / (n * float(cut.process.cutting["feed"]))


def facing(cut: Cut) -> float:
    """§3.2: To = (D / 2 + l) · i / (n · s), spindle speed at the outer diameter."""
    diameter = cut.requirement.size or cut.part_diameter
    n = spindle_speed(_speed(cut), diameter)
    return (diameter / 2 + cut.approach) * _passes(cut) / (n * float(cut.process.cutting["feed"]))


def grooving(cut: Cut) -> float:
    """§3.1: plunge To = (t + 1) / (n · s)."""
    n = spindle_speed(_speed(cut), cut.requirement.size or cut.part_diameter)
    return ((cut.requirement.depth or 2.0) + 1.0) / (n * float(cut.process.cutting["feed"]))


def drilling(cut: Cut) -> float:
    """§3.3: To = (l + 0.3·d + l_approach) / (n · s), s = feed_per_d · d capped at feed_max."""
    d = cut.requirement.size - cut.requirement.pitch if cut.process.code == "tap_drill" else cut.requirement.size
    d = max(d, 1.0)
    feed = min(float(cut.process.cutting["feed_per_d"]) * d, float(cut.process.cutting["feed_max"]))
    depth = cut.requirement.depth or cut.requirement.length or 2 * d
    return (depth + 0.3 * d + cut.approach) / (spindle_speed(_speed(cut), d) * feed)


def face_milling(cut: Cut) -> float:
    """§3.5: To = (L + D + l) · i · passes across / (s_z · z · n), passes across = ceil(B / 0.8·D)."""
    tool = float(cut.process.cutting.get("tool_diameter", 100))
    teeth = int(cut.process.cutting.get("teeth", 8))
    width = cut.requirement.width or cut.requirement.size or 50.0
    if cut.requirement.feature_type == "slot":
        tool = min(tool, width)
    minute_feed = float(cut.process.cutting["feed"]) * teeth * spindle_speed(_speed(cut), tool)
    across = max(1, math.ceil(width / (0.8 * tool) - 1e-9))
    return (_length(cut, 100.0) + tool + cut.approach) * _passes(cut) * across / minute_feed


def keyway_milling(cut: Cut) -> float:
    """§3.5: pendulum feed, strokes = depth / depth per stroke, To = strokes · (L − b) / s_m."""
    width = cut.requirement.width or 8.0
    depth = cut.requirement.depth or 0.6 * width
    strokes = math.ceil(depth / float(cut.process.cutting["depth"]) - 1e-9)
    return strokes * max(_length(cut, 40.0) - width, 5.0) / float(cut.process.cutting["feed"])


def slotting(cut: Cut) -> float:
    """§3.5: double strokes = depth / depth per stroke, each (L + 20) at speed v, return stroke doubled."""
    depth = cut.requirement.depth or 0.4 * (cut.requirement.width or 8.0)
    strokes = math.ceil(depth / float(cut.process.cutting["depth"]) - 1e-9)
    return strokes * 2 * (_length(cut, 40.0) + 20) / (1000 * _speed(cut))


def grinding(cut: Cut) -> float:
    """§3.6: To = (L + l) / (n_w · s_l) · (h / t) · K, K = 1.3 (cylindrical and internal)."""
    n = spindle_speed(_speed(cut), cut.requirement.size or cut.part_diameter)
    depth = float(cut.process.cutting["depth"])
    strokes = max(1.0, cut.stock / depth)
    return (_length(cut, 20.0) + cut.approach) / (n * float(cut.process.cutting["feed"])) * strokes * 1.3


def surface_grinding(cut: Cut) -> float:
    """§3.6: To = (L + 20) / (1000 · v_table) · ceil((B + 10) / s_cross) · (h / t) · K."""
    width = cut.requirement.width or cut.requirement.size or 50.0
    crossings = math.ceil((width + 10) / float(cut.process.cutting["feed"]))
    strokes = max(1.0, cut.stock / float(cut.process.cutting["depth"]))
    return (_length(cut, 100.0) + 20) / (1000 * _speed(cut)) * crossings * strokes * 1.3


def timed_by_length(cut: Cut) -> float:
    """§3.6, §3.7: honing, superfinishing, thread rolling: base time + time per mm of length."""
    return float(cut.process.cutting.get("base_min", 0.3)) + float(cut.process.cutting.get("per_mm", 0.0)) * _length(
        cut, 20.0
    )


def thread_turning(cut: Cut) -> float:
    """§3.7: To = (L + 3P) · i / (n · P), i = round(3 + 2P); thread grinding uses its own passes."""
    pitch = cut.requirement.pitch or 1.5
    passes = int(cut.process.cutting.get("passes") or round(3 + 2 * pitch))
    n = spindle_speed(_speed(cut), cut.requirement.size)
    return (_length(cut, 20.0) + 3 * pitch) * passes / (n * pitch)


def tapping(cut: Cut) -> float:
    """§3.7: tapping and die threading To = 2 · (L + 3P) / (n · P) (in and out)."""
    pitch = cut.requirement.pitch or 1.5
    return (
        2
        * (_length(cut, 1.5 * cut.requirement.size) + 3 * pitch)
        / (spindle_speed(_speed(cut), cut.requirement.size) * pitch)
    )


def broaching(cut: Cut) -> float:
    """§3.8: To = (L_broach + L + 30) · strokes · 1.5 / (1000 · v)."""
    broach = float(cut.process.cutting.get("broach_length", 900))
    strokes = int(cut.process.cutting.get("strokes", 1))
    return (broach + _length(cut, 30.0) + 30) * strokes * 1.5 / (1000 * _speed(cut))


def hobbing(cut: Cut) -> float:
    """§3.8: To = (B + l_in) · z / (n_hob · s_o), l_in from tooth depth and hob diameter."""
    module = cut.requirement.module or max(1.0, cut.requirement.size / max(cut.requirement.teeth + 2, 8))
    teeth = cut.requirement.teeth or 20
    hob = float(
        cut.process.cutting.get("tool_diameter")
        or (63 if module <= 2 else 80 if module <= 4 else 100 if module <= 6 else 125)
    )
    tooth_depth = 2.25 * module
    run_in = math.sqrt(tooth_depth * (hob - tooth_depth)) + 3
    passes = 2 if module > 6 else 1
    return (
        (_length(cut, 20.0) + run_in)
        * teeth
        * passes
        / (spindle_speed(_speed(cut), hob) * float(cut.process.cutting["feed"]))
    )


def per_tooth(cut: Cut) -> float:
    """§3.8: shaping, shaving and gear grinding: base time + time per tooth."""
    teeth = cut.requirement.teeth or 20
    return float(cut.process.cutting.get("base_min", 0.0)) + float(cut.process.cutting["per_tooth"]) * teeth


def chamfering(cut: Cut) -> float:
    """§3.1: a chamfer is a short plunge, about 0.05 min."""
    return 0.05


FORMULAS: dict[str, Callable[[Cut], float]] = {
    "turning": turning,
    "facing": facing,
    "grooving": grooving,
    "drilling": drilling,
    "face_milling": face_milling,
    "keyway_milling": keyway_milling,
    "slotting": slotting,
    "grinding": grinding,
    "surface_grinding": surface_grinding,
    "timed_by_length": timed_by_length,
    "thread_turning": thread_turning,
    "tapping": tapping,
    "broaching": broaching,
    "hobbing": hobbing,
    "per_tooth": per_tooth,
    "chamfering": chamfering,
}
_BY_CODE = {
    "keyway_mill": "keyway_milling",
    "keyway_slot": "slotting",
    "groove_turn": "grooving",
    "tap": "tapping",
    "thread_die": "tapping",
    "thread_die_6g": "tapping",
    "thread_turn": "thread_turning",
    "thread_turn_int": "thread_turning",
    "thread_grind": "thread_turning",
    "thread_roll": "timed_by_length",
    "hob": "hobbing",
    "spline_hob": "hobbing",
    "superfinish": "timed_by_length",
    "hone": "timed_by_length",
}
_BY_KIND = {
    "boring": "turning",
    "drilling": "drilling",
    "countersinking": "drilling",
    "reaming": "drilling",
    "broaching": "broaching",
    "gear_cutting": "per_tooth",
    "gear_finishing": "per_tooth",
}


def formula_for(process: Process, feature_type: str) -> str:
    """Which main-time formula applies to a process on a feature type."""
    if feature_type == "chamfer":
        return "chamfering"
    if process.code in _BY_CODE:
        return _BY_CODE[process.code]
    if process.kind == "turning":
        return "facing" if feature_type == "end_face" else "turning"
    if process.kind == "milling":
        return "face_milling"
    if process.kind == "grinding":
        return (
            "surface_grinding"
            if feature_type in {"plane", "slot"} or "surface" in process.machine_types
            else "grinding"
        )
    return _BY_KIND.get(process.kind, "turning")


@dataclass(frozen=True)
class CuttingData:
    """The R row of a transition: depth of cut, feed, cutting speed, spindle speed and main time."""

    depth_mm: float | None
    feed_mm_rev: float | None
    speed_m_min: float
    rpm: float | None
    main_time_min: float


def _turned(cut: Cut) -> bool:
    return formula_for(cut.process, cut.requirement.feature_type) in {"turning", "facing", "grooving", "grinding"}


def cutting_power_kw(depth_mm: float, feed_mm_rev: float, speed_m_min: float, specific_force: float) -> float:
    """Effective cutting power N = P_z · v / 60000 kW with P_z = k_c · t · s (route-review-rules.md 2.9)."""
    return specific_force * depth_mm * feed_mm_rev * speed_m_min / 60000.0


def cut_diameter(cut: Cut) -> float:
    """The diameter the spindle speed is set for: the work's (turning, grinding) or the tool's (drilling, milling)."""
    formula = formula_for(cut.process, cut.requirement.feature_type)
    if formula == "face_milling":
        return float(cut.process.cutting.get("tool_diameter", 100))
    return max(cut.requirement.size or cut.part_diameter, 1.0)


def cutting_data(cut: Cut) -> CuttingData:
    """Cutting data of one step: per pass depth and feed per revolution of the work (turning, boring, grinding)
    or of the tool (drilling, milling), the corrected speed and the spindle speed it needs (§2.2)."""
    v, formula = _speed(cut), formula_for(cut.process, cut.requirement.feature_type)
    depth = float(cut.process.cutting.get("depth") or 0) or None
    depth = min(depth, cut.stock) if depth else (cut.stock or None)
    feed: float | None = None
    rpm: float | None = None
    if _turned(cut) or formula == "thread_turning":
        feed = float(cut.process.cutting.get("feed") or 0) or None
        if formula == "thread_turning":
            feed = cut.requirement.pitch or None
        rpm = spindle_speed(v, cut.requirement.size or cut.part_diameter)
    elif formula == "drilling":
        d = max(cut.requirement.size, 1.0)
        feed = min(float(cut.process.cutting["feed_per_d"]) * d, float(cut.process.cutting["feed_max"]))
        rpm = spindle_speed(v, d)
        depth = d / 2 if cut.process.code.startswith(("drill", "tap_drill")) else cut.stock  # from solid: the radius
    elif formula == "face_milling":
        tool = float(cut.process.cutting.get("tool_diameter", 100))
        feed = float(cut.process.cutting["feed"]) * int(cut.process.cutting.get("teeth", 8))
        rpm = spindle_speed(v, tool)
    return CuttingData(depth, feed, v, rpm, main_time(cut))


def main_time(cut: Cut) -> float:
    """Main (machining) time of one step on all `count` instances of the feature, min."""
    return FORMULAS[formula_for(cut.process, cut.requirement.feature_type)](cut) * cut.requirement.count


TOOTH_CHAMFER_MIN = 0.05  # min per tooth, both ends (time-norms.md 3.8.6, a first estimate)


def tooth_chamfering_time(teeth: int, per_tooth_min: float = TOOTH_CHAMFER_MIN) -> float:
    """§3.8.6: To = z · t per tooth for chamfering both ends of the teeth."""
    return teeth * per_tooth_min


def sawing_time(section_mm2: float, rate_mm2_min: float) -> float:
    """§3.9: To = section area / cutting rate."""
    return section_mm2 / rate_mm2_min


def centre_holes_time(centre: CentreHole, approach: float) -> float:
    """§3.2: two centre holes drilled by the facing-centering machine, To = 2 · (l + l_approach) / (n · s)."""
    n = spindle_speed(centre.v, centre.diameter)
    return 2 * (centre.depth + approach) / (n * centre.feed)


@dataclass(frozen=True)
class PieceTime:
    """The norm of one operation, min."""

    main: float
    auxiliary: float
    servicing_pct: float
    rest_pct: float
    setup: float
    batch: int

    @property
    def operative(self) -> float:
        """Top = To + Ta."""
        return self.main + self.auxiliary

    @property
    def piece(self) -> float:
        """Tpc = Top · (1 + (a_serv + a_rest) / 100)  (§7.2)."""
        return self.operative * (1 + (self.servicing_pct + self.rest_pct) / 100)

    @property
    def piece_calculation(self) -> float:
        """Tpc-calc = Tpc + Tsetup / batch  (§7.2)."""
        return self.piece + self.setup / self.batch


def auxiliary_time(mass_kg: float, steps: int, measured: Sequence[bool], automation: str, norms: TimeNorms) -> float:
    """§4.1-4.3: install and remove by mass + time per step by automation + measuring per feature (fine ones longer)."""
    install = next(minutes for bound, minutes in norms.install_min if mass_kg <= bound)
    per_step = float(norms.step_min.get(automation, norms.step_min["universal"]))
    measuring = sum(norms.measure_min.fine if fine else norms.measure_min.coarse for fine in measured)
    return install + steps * per_step + measuring


def allowances_pct(kind: str, norms: TimeNorms) -> tuple[float, float]:
    """§5.1: servicing and rest allowances, % of operative time, for the operation kind."""
    serv, rest = norms.allowances_pct.get(kind, norms.allowances_pct["default"])
    return float(serv), float(rest)
