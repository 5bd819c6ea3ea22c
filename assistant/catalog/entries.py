"""Entry models of processes.yaml, chains.yaml, equipment.yaml, materials.yaml and tools.yaml → engineering values."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from assistant.catalog.fields import Entry, Number, Pair, Text, Words
from assistant.engineering.types import (
    Capability,
    ChainOption,
    HeatTreatment,
    Machine,
    Material,
    PartClass,
    Process,
    Source,
)

# ---- processes.yaml ----------------------------------------------------------------------------


class Applies(Entry):
    """Limits of use of a process."""

    min_d: Number | None = None
    max_d: Number | None = None
    min_production: str | None = None
    max_production: str | None = None


class Cutting(Entry):
    """Cutting data read by the time-norm formulas (keys as in processes.yaml)."""

    v: dict[str, Number] = Field(default_factory=dict)
    v_manual: dict[str, Number] = Field(default_factory=dict)  # on a manual (universal) machine, where lower
    feed: Number | None = None
    depth: Number | None = None
    allowance: Number | None = None
    feed_per_d: Number | None = None
    feed_max: Number | None = None
    base_min: Number | None = None
    per_mm: Number | None = None
    per_tooth: Number | None = None
    passes: Number | None = None
    strokes: Number | None = None
    teeth: Number | None = None
    tool_diameter: Number | None = None
    broach_length: Number | None = None


class ProcessEntry(Entry):
    """A row of processes.yaml `processes`."""

    kind: str
    stage: str
    name: str
    capability: dict[str, Pair]
    hardened: Pair | None = None
    flatness: Number | None = None
    applies: Applies = Applies()
    machine_types: Words = ()
    cutting: Cutting = Cutting()
    cost: float
    section: Text

    def to_process(self, code: str) -> Process:
        """The engineering value."""
        return Process(
            code=code,
            kind=self.kind,
            stage=self.stage,
            name=self.name,
            capability={group: Capability(it, ra) for group, (it, ra) in self.capability.items()},
            hardened=Capability(*self.hardened) if self.hardened else None,
            cost=self.cost,
            section=self.section,
            cutting=self.cutting.model_dump(exclude_unset=True),
            flatness=self.flatness,
            min_d=self.applies.min_d,
            max_d=self.applies.max_d,
            min_production=self.applies.min_production,
            max_production=self.applies.max_production,
            machine_types=tuple(w.lower() for w in self.machine_types),
        )


class HeatTreatmentEntry(Entry):
    """A row of processes.yaml `heat_treatments`."""

    name: str
    when: str = ""
    machine_types: Words
    section: Text
    cycle_min: float = 0.0
    load_kg: float = 0.0
    base_min: float = 0.0
    per_feature_min: float = 0.0

    def to_heat_treatment(self, code: str) -> HeatTreatment:
        """The engineering value."""
        return HeatTreatment(
            code,
            self.name,
            tuple(w.lower() for w in self.machine_types),
            self.section,
            self.cycle_min,
            self.load_kg,
            self.base_min,
            self.per_feature_min,
        )


class ProcessesFile(Entry):
    """processes.yaml."""

    processes: dict[str, ProcessEntry]
    heat_treatments: dict[str, HeatTreatmentEntry]


# ---- chains.yaml ----------------------------------------------------------------------------------


class ChainOptionEntry(Entry):
    """One candidate chain of a feature type."""

    steps: Words = Field(min_length=1)
    section: Text
    part: str | None = None
    external: bool | None = None
    max_d: Number | None = None
    hardened: bool = True


class ChainEntry(Entry):
    """The candidate chains of one feature type."""

    doc: str
    options: list[ChainOptionEntry]


class ChainsFile(Entry):
    """chains.yaml."""

    chains: dict[str, ChainEntry]

    def to_chains(self) -> dict[str, tuple[ChainOption, ...]]:
        """The engineering values, by feature type."""
        return {
            feature_type: tuple(
                ChainOption(o.steps, entry.doc, o.section, o.part, o.external, o.max_d, o.hardened)
                for o in entry.options
            )
            for feature_type, entry in self.chains.items()
        }


# ---- equipment.yaml ---------------------------------------------------------------------------------


class MachineEntry(Entry):
    """A row of equipment.yaml `machines`."""

    model: Text
    name: str
    type: str
    kinds: Words
    automation: str
    hourly_cost: float
    setup_time_min: Number | None = None
    profession: str
    worker_grade: int
    max_diameter: Number | None = None
    max_length: Number | None = None
    max_size: tuple[float, float, float] | None = None
    max_hole_diameter: Number | None = None
    accuracy_it: int | None = None
    ra_min: Number | None = None
    power_kw: Number | None = None
    part_classes: tuple[PartClass, ...] = ()
    rpm_min: Number | None = None
    rpm_max: Number | None = None
    min_hole_diameter: Number | None = None
    notes: str = ""

    @model_validator(mode="after")
    def _speed_range(self) -> MachineEntry:
        if self.rpm_min is not None and self.rpm_max is not None and self.rpm_min > self.rpm_max:
            raise ValueError(f"rpm_min {self.rpm_min} is above rpm_max {self.rpm_max}")
        return self

    def to_machine(self) -> Machine:
        """The engineering value."""
        return Machine(**self.model_dump(exclude={"notes"}))


class EquipmentFile(Entry):
    """equipment.yaml."""

    currency: str
    machines: list[MachineEntry]


# ---- materials.yaml ------------------------------------------------------------------------------


class SourceEntry(Entry):
    """The clause of a shipped document that describes a grade."""

    doc: str = "materials-steels.md"
    section: Text = ""


class MaterialEntry(Entry):
    """A row of materials.yaml `materials`."""

    grade: str
    aliases: tuple[Text, ...] = ()
    standard: str = ""
    group: str
    hardening: Literal["through", "case", "nitriding", "none"]
    max_hrc: Number | None = None
    through_hrc: Number | None = None
    induction: bool = False
    supplied_hb: Number | None = None
    tensile_mpa: Number | None = None
    density: float = 7.85
    machinability: float = 1.0
    blanks: Words = ()
    typical_use: str = ""
    cost_class: Literal["low", "medium", "high"] = "medium"
    source: SourceEntry = SourceEntry()

    def to_material(self) -> Material:
        """The engineering value."""
        return Material(
            grade=self.grade,
            aliases=self.aliases,
            group=self.group,
            hardening=self.hardening,
            max_hrc=self.max_hrc,
            induction=self.induction,
            supplied_hb=self.supplied_hb,
            density=self.density,
            machinability=self.machinability,
            blanks=self.blanks,
            source=Source(self.source.doc, self.source.section or None),
            through_hrc=self.through_hrc,
            tensile_mpa=self.tensile_mpa,
            cost_class=self.cost_class,
        )


class MaterialsFile(Entry):
    """materials.yaml: the grades, and the reference grade of each group's cutting speeds."""

    speed_references: dict[str, str]
    materials: list[MaterialEntry]

    @model_validator(mode="after")
    def _references_known(self) -> MaterialsFile:
        grades = {m.grade: m.group for m in self.materials}
        groups = {m.group for m in self.materials}
        for group, grade in self.speed_references.items():
            if grades.get(grade) != group:
                raise ValueError(f"speed_references: {group} names '{grade}', which is not a {group} grade here")
        if missing := sorted(groups - set(self.speed_references)):
            raise ValueError(f"speed_references: no reference grade for {', '.join(missing)}")
        return self

    def speed_factors(self) -> dict[str, float]:
        """K_mv of every grade: its machinability over that of its group's reference grade."""
        index = {m.grade: m.machinability for m in self.materials}
        return {m.grade: m.machinability / index[self.speed_references[m.group]] for m in self.materials}


# ---- tools.yaml ----------------------------------------------------------------------------------


class FixtureEntry(Entry):
    """A row of tools.yaml `fixtures`."""

    name: str
    kinds: Words
    part_kinds: Words
    locates: Literal["", "bore"] = ""


class CuttingToolEntry(Entry):
    """A row of tools.yaml `cutting_tools`."""

    name: str
    kinds: Words
    stages: Words
    feature_types: Words
    material_groups: Words
    processes: Words = ()


class MeasuringToolEntry(Entry):
    """A row of tools.yaml `measuring_tools`."""

    name: str
    feature_types: Words
    finest_it: int
    max_size: float


class ToolsFile(Entry):
    """tools.yaml."""

    fixtures: list[FixtureEntry]
    cutting_tools: list[CuttingToolEntry]
    measuring_tools: list[MeasuringToolEntry]
