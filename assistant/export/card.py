"""What every route-card layout shares: the header fields and the A/B/O/T rows of each operation."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.route_card import Operation

WORKSHOPS = {"blank": "Blank preparation", "heat_treatment": "Heat treatment", "surface_treatment": "Heat treatment"}
SECTIONS = {
    "blank": "Sawing",
    "facing_centering": "Turning",
    "turning": "Turning",
    "boring": "Turning",
    "milling": "Milling",
    "drilling": "Drilling",
    "countersinking": "Drilling",
    "reaming": "Drilling",
    "broaching": "Broaching",
    "grinding": "Grinding",
    "superfinishing": "Grinding",
    "threading": "Turning",
    "gear_cutting": "Gear cutting",
    "gear_finishing": "Gear cutting",
    "heat_treatment": "Furnaces",
    "deburring": "Benches",
    "washing": "Washing",
    "inspection": "Quality control",
    "marking": "Benches",
}


@dataclass(frozen=True)
class CardHeader:
    """The header of a route card: part, material, blank and production data."""

    part_id: str
    name: str = ""
    material: str = ""
    hardness: str = ""
    blank: str = ""
    mass_kg: float | None = None
    annual_volume: int | None = None
    batch_size: int | None = None
    production: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str]]:
        """Label and value pairs, empty values left out."""
        pairs = [
            ("Part", f"{self.part_id} {self.name}".strip()),
            ("Material", self.material),
            ("Hardness", self.hardness),
            ("Blank", self.blank),
            ("Mass, kg", f"{self.mass_kg:.2f}" if self.mass_kg else ""),
            ("Annual volume", str(self.annual_volume or "")),
            ("Batch size", str(self.batch_size or "")),
            ("Production type", self.production.replace("_", " ")),
            *self.extra.items(),
        ]
        return [(label, value) for label, value in pairs if value]


def workshop(op: Operation) -> str:
    """Workshop of an operation (machining unless blank preparation or heat treatment)."""
    return WORKSHOPS.get(op.kind, "Machining")


def card_rows(op: Operation) -> list[tuple[str, str]]:
    """The service-symbol rows of one operation: A (operation), B (equipment), O (content), T (tooling)."""
    stage = f" ({op.stage.replace('_', '-')})" if op.stage else ""
    a = f"{workshop(op)} | {SECTIONS.get(op.kind, 'Machining')} | {op.equipment.model} | {op.number} {op.name}{stage}"
    b = (
        f"{op.equipment.model} {op.equipment.type} | {op.profession} | grade {op.worker_grade or '-'} | "
        f"Tsetup {op.setup_time_min if op.setup_time_min is not None else '-'} min | "
        f"Tpiece {op.piece_time_min if op.piece_time_min is not None else '-'} min"
    )
    features = f"Features {', '.join(op.features)}. " if op.features else ""
    o = f"{features}{op.rationale}"
    t = "; ".join(op.fixtures + op.tools + op.measuring)
    return [("A", a), ("B", b), ("O", o), ("T", t)]
