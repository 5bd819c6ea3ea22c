"""Values the engineering functions take and return: frozen dataclasses, no behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ROTATIONAL_KINDS = frozenset({"shaft", "bushing", "disk", "flange", "gear"})
PRODUCTION_TYPES = ("single", "small_batch", "medium_batch", "large_batch", "mass")


class PartClass(StrEnum):
    """The work a machine takes: turned about an axis (shafts, disks, gears) or clamped as a box (housings, plates)."""

    ROTATIONAL = "rotational"
    PRISMATIC = "prismatic"


@dataclass(frozen=True)
class Source:
    """A clause of a shipped document that a number or choice comes from."""

    doc: str
    section: str | None = None


@dataclass(frozen=True)
class Capability:
    """Economical accuracy (IT grade, or thread/gear grade) and roughness Ra, µm."""

    it: int
    ra: float

    def reaches(self, it: int, ra: float) -> bool:
        """True when this capability is at least as fine as the requirement."""
        return self.it <= it and self.ra <= ra * 1.0001


@dataclass(frozen=True)
class Process:
    """One machining or finishing process step (a row of processes.yaml)."""

    code: str
    kind: str
    stage: str
    name: str
    capability: dict[str, Capability]
    hardened: Capability | None
    cost: float
    section: str
    cutting: dict[str, Any] = field(default_factory=dict)
    flatness: float | None = None
    min_d: float | None = None
    max_d: float | None = None
    min_production: str | None = None
    max_production: str | None = None
    machine_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChainOption:
    """A candidate sequence of processes for a feature type."""

    steps: tuple[str, ...]
    doc: str
    section: str
    part: str | None = None
    external: bool | None = None
    max_d: float | None = None
    hardened_ok: bool = True


@dataclass(frozen=True)
class HeatTreatment:
    """A heat treatment the router can place in a route."""

    code: str
    name: str
    machine_types: tuple[str, ...]
    section: str
    cycle_min: float = 0.0
    load_kg: float = 0.0
    base_min: float = 0.0
    per_feature_min: float = 0.0


@dataclass(frozen=True)
class Machine:
    """A machine of the equipment catalogue."""

    model: str
    name: str
    type: str
    kinds: tuple[str, ...]
    automation: str
    hourly_cost: float
    setup_time_min: float | None
    profession: str
    worker_grade: int
    max_diameter: float | None = None
    max_length: float | None = None
    max_size: tuple[float, float, float] | None = None
    max_hole_diameter: float | None = None
    accuracy_it: int | None = None
    ra_min: float | None = None
    power_kw: float | None = None
    part_classes: tuple[PartClass, ...] = ()  # empty: any part (saws, furnaces, washers, inspection)
    rpm_min: float | None = None  # spindle (or work, on grinders) speed range, rev/min
    rpm_max: float | None = None
    min_hole_diameter: float | None = None  # smallest bore honed, ground or bored


@dataclass(frozen=True)
class Material:
    """A material grade with what routing needs to know about it."""

    grade: str
    aliases: tuple[str, ...]
    group: str
    hardening: str
    max_hrc: float | None
    induction: bool
    supplied_hb: float | None
    density: float
    machinability: float
    blanks: tuple[str, ...]
    source: Source
    through_hrc: float | None = None
    tensile_mpa: float | None = None  # typical tensile strength as supplied
    cost_class: str = "medium"  # relative price per kg of the blank: low | medium | high


@dataclass(frozen=True)
class Fixture:
    """A workholding device and where it applies."""

    name: str
    kinds: tuple[str, ...]
    part_kinds: tuple[str, ...]
    locates: str = ""  # "bore": a mandrel located in the part's machined bore


@dataclass(frozen=True)
class CuttingTool:
    """A cutting tool and where it applies."""

    name: str
    kinds: tuple[str, ...]
    stages: tuple[str, ...]
    feature_types: tuple[str, ...]
    material_groups: tuple[str, ...]
    processes: tuple[str, ...] = ()  # only for these process codes (a shaving cutter shaves, a worm grinds)


@dataclass(frozen=True)
class MeasuringTool:
    """A measuring instrument: the finest grade it verifies and the largest size."""

    name: str
    feature_types: tuple[str, ...]
    finest_it: int
    max_size: float


@dataclass(frozen=True)
class Geometry:
    """A part's overall size: rotational (diameter, length) or prismatic (length, width, height)."""

    rotational: bool
    length: float
    diameter: float = 0.0
    width: float = 0.0
    height: float = 0.0

    @property
    def box(self) -> tuple[float, float, float]:
        """Bounding box, largest dimension first."""
        dims = (
            (self.length, self.diameter, self.diameter) if self.rotational else (self.length, self.width, self.height)
        )
        return tuple(sorted(dims, reverse=True))  # type: ignore[return-value]


@dataclass(frozen=True)
class Requirement:
    """What one feature must reach, read off the drawing, with defaults filled in."""

    feature_id: str
    feature_type: str
    it: int
    ra: float
    size: float
    length: float
    count: int = 1
    flatness: float | None = None
    internal: bool | None = None
    width: float = 0.0
    depth: float = 0.0
    pitch: float = 0.0
    module: float = 0.0
    teeth: int = 0
    fit: str | None = None  # as the drawing writes it (k6, H7), for the card's content
    designation: str | None = None  # thread or spline designation
