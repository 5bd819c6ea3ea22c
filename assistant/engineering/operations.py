"""Operation kinds and machining stages, with every table about them (names, ranks, workshops) defined once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MachiningStage(StrEnum):
    """How far a machining step takes a surface (operation-sequencing.md §2)."""

    ROUGH = "rough"
    SEMI_FINISH = "semi_finish"
    FINISH = "finish"
    FINE = "fine"

    @property
    def order(self) -> int:
        """Rank in time: rough < semi-finish < finish < fine."""
        return _STAGE_ORDER[self]

    @property
    def group(self) -> int:
        """Sequencing group: semi-finish and finish steps are planned together (rough 0, finish 1, fine 2)."""
        return _STAGE_GROUP[self]

    @property
    def prefix(self) -> str:
        """The word an operation name starts with, e.g. `Semi-finish`."""
        return _STAGE_PREFIX[self]


_STAGE_ORDER = {
    MachiningStage.ROUGH: 0,
    MachiningStage.SEMI_FINISH: 1,
    MachiningStage.FINISH: 2,
    MachiningStage.FINE: 3,
}
_STAGE_GROUP = {
    MachiningStage.ROUGH: 0,
    MachiningStage.SEMI_FINISH: 1,
    MachiningStage.FINISH: 1,
    MachiningStage.FINE: 2,
}
_STAGE_PREFIX = {
    MachiningStage.ROUGH: "Rough",
    MachiningStage.SEMI_FINISH: "Semi-finish",
    MachiningStage.FINISH: "Finish",
    MachiningStage.FINE: "Fine",
}


class OperationKind(StrEnum):
    """What an operation of a route card does."""

    BLANK = "blank"
    FACING_CENTERING = "facing_centering"
    TURNING = "turning"
    MILLING = "milling"
    DRILLING = "drilling"
    COUNTERSINKING = "countersinking"
    BORING = "boring"
    REAMING = "reaming"
    BROACHING = "broaching"
    GRINDING = "grinding"
    SUPERFINISHING = "superfinishing"
    THREADING = "threading"
    GEAR_CUTTING = "gear_cutting"
    GEAR_FINISHING = "gear_finishing"
    HEAT_TREATMENT = "heat_treatment"
    SURFACE_TREATMENT = "surface_treatment"
    DEBURRING = "deburring"
    WASHING = "washing"
    INSPECTION = "inspection"
    MARKING = "marking"
    OTHER = "other"


@dataclass(frozen=True)
class KindInfo:
    """The route card's facts about one operation kind.

    `name` is the operation name when several processes share an operation: a lower-case word gets the
    stage prefix (`Finish turning`), a capitalised one stands alone. `workshop` and `section` fill the
    card's A row (GOST 3.1118).
    """

    machining: bool
    section: str
    name: str = ""
    workshop: str = "Machining"


K = OperationKind
KINDS: dict[OperationKind, KindInfo] = {
    K.BLANK: KindInfo(False, "Sawing", workshop="Blank preparation"),
    K.FACING_CENTERING: KindInfo(True, "Turning"),
    K.TURNING: KindInfo(True, "Turning", "turning"),
    K.MILLING: KindInfo(True, "Milling", "milling"),
    K.DRILLING: KindInfo(True, "Drilling", "Drilling"),
    K.COUNTERSINKING: KindInfo(True, "Drilling", "Core drilling"),
    K.BORING: KindInfo(True, "Turning", "boring"),
    K.REAMING: KindInfo(True, "Drilling", "Reaming"),
    K.BROACHING: KindInfo(True, "Broaching", "Broaching"),
    K.GRINDING: KindInfo(True, "Grinding", "grinding"),
    K.SUPERFINISHING: KindInfo(True, "Grinding", "Superfinishing"),
    K.THREADING: KindInfo(True, "Turning", "Thread cutting"),
    K.GEAR_CUTTING: KindInfo(True, "Gear cutting", "Gear cutting"),
    K.GEAR_FINISHING: KindInfo(True, "Gear cutting", "Gear finishing"),
    K.HEAT_TREATMENT: KindInfo(False, "Furnaces", workshop="Heat treatment"),
    K.SURFACE_TREATMENT: KindInfo(False, "Machining", workshop="Heat treatment"),
    K.DEBURRING: KindInfo(False, "Benches"),
    K.WASHING: KindInfo(False, "Washing"),
    K.INSPECTION: KindInfo(False, "Quality control"),
    K.MARKING: KindInfo(False, "Benches"),
    K.OTHER: KindInfo(False, "Machining", "Slotting"),
}
MACHINING_KINDS = frozenset(k for k, info in KINDS.items() if info.machining)
SUPPORT_KINDS = frozenset(KINDS) - MACHINING_KINDS
