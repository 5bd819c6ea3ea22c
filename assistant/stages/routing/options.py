"""Options of a routing draft the caller may choose: which equipment the machines are chosen from first.

The organizational stage drafts a part twice, preferring universal and then CNC machines, to find the batch
size at which one becomes cheaper than the other (issue 15: break-even between equipment variants).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from assistant.errors import InputError


class EquipmentChoice(StrEnum):
    """The machines a route prefers: as the production type says, universal ones, or CNC ones."""

    BY_PRODUCTION = "by-production"
    UNIVERSAL = "universal"
    CNC = "cnc"


# Automation levels in order of preference; a kind of work no preferred machine does falls back to the next
PREFERENCE: dict[EquipmentChoice, tuple[str, ...]] = {
    EquipmentChoice.UNIVERSAL: ("universal", "cnc", "special"),
    EquipmentChoice.CNC: ("cnc", "special", "universal"),
}
KNOWN = {"equipment": EquipmentChoice}


def equipment_preference(options: Mapping[str, str]) -> tuple[str, ...] | None:
    """The automation order the options ask for (None: by production type); unknown options or values are
    errors that list the valid ones."""
    unknown = sorted(set(options) - set(KNOWN))
    if unknown:
        raise InputError(f"unknown routing option {', '.join(unknown)} (available: {', '.join(KNOWN)})")
    value = options.get("equipment", EquipmentChoice.BY_PRODUCTION)
    if value not in set(EquipmentChoice):
        raise InputError(f"routing option equipment must be one of {', '.join(EquipmentChoice)} (got {value!r})")
    return PREFERENCE.get(EquipmentChoice(value))
