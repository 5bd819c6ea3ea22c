"""The routing draft (shared/contracts/PART_SPEC.md, "Routing draft"): what `draft routing` returns."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.citation import Citation
from assistant.engineering.operations import MachiningStage, OperationKind
from assistant.stages.base import load_model
from assistant.stages.findings import Finding


def _omit_none(value: object) -> bool:
    return value is None


class RoutingRule(StrEnum):
    """Rule ids of the routing stage's findings (the `rule` field)."""

    NUMBERING = "numbering"
    MISSING_FINAL_INSPECTION = "missing-final-inspection"
    UNKNOWN_EQUIPMENT = "unknown-equipment"
    EQUIPMENT_KIND = "equipment-kind"
    PART_DOES_NOT_FIT = "part-does-not-fit"
    TIME_MISSING = "time-missing"
    TIME_NOT_POSITIVE = "time-not-positive"
    TIME_ABSURD = "time-absurd"
    UNKNOWN_FEATURE = "unknown-feature"
    FEATURE_NOT_MACHINED = "feature-not-machined"
    FEATURE_NOT_FINISHED = "feature-not-finished"
    MISSING_HEAT_TREATMENT = "missing-heat-treatment"
    FINISHING_BEFORE_HEAT_TREATMENT = "finishing-before-heat-treatment"
    CUTTING_HARDENED_SURFACE = "cutting-hardened-surface"
    MISSING_BLANK_OPERATION = "missing-blank-operation"
    ROUGHING_AFTER_FINISHING = "roughing-after-finishing"
    NO_PROCESS_CHAIN = "no-process-chain"
    REQUIREMENT_UNREACHABLE = "requirement-unreachable"
    TOLERANCE_VS_EQUIPMENT = "tolerance-vs-equipment"
    HARDNESS_VS_MATERIAL = "hardness-vs-material"
    ASSUMPTION = "assumption"
    LLM_REPAIR = "llm-repair"
    LLM_FAILED = "llm-failed"
    NO_DOCUMENTS = "no-documents"
    # what a senior technologist checks first (route-review-rules.md)
    MACHINE_PART_CLASS = "machine-part-class"
    THREAD_CLASS_NOT_IT = "thread-class-not-it"
    FEATURE_WITHIN_ENVELOPE = "feature-within-envelope"
    NITRIDING_ROUTE = "nitriding-route"
    DRILLED_ONLY = "drilled-only"
    IMPROVEMENT_BEFORE_INDUCTION = "improvement-before-induction"
    AGEING_CASTINGS = "ageing-castings"
    STRAIGHTENING = "straightening"
    CENTRE_HOLES_AFTER_HT = "centre-holes-after-ht"
    GAUGE_MATCHES_FIT = "gauge-matches-fit"
    CASE_PROTECTION = "case-protection"
    SPINDLE_LIMITS = "spindle-limits"
    BLANK_KIND = "blank-kind"
    TUBE_BORE = "tube-bore"
    BORE_LIMITS = "bore-limits"
    POSITIONAL_ONE_SETUP = "positional-holes-one-setup"
    LINE_BORING = "line-boring"
    CENTRELESS_DATUM = "centreless-datum"
    SPINDLE_POWER = "spindle-power"
    BORE_DATUM_FIRST = "bore-datum-first"
    TOOTH_CHAMFERING = "tooth-chamfering"


# Findings of the planner itself (not of the checks): kept when an LLM rewrites the draft and it is re-checked.
BUILD_RULES = frozenset(
    {
        RoutingRule.NO_PROCESS_CHAIN,
        RoutingRule.REQUIREMENT_UNREACHABLE,
        RoutingRule.ASSUMPTION,
        RoutingRule.HARDNESS_VS_MATERIAL,
        RoutingRule.TOLERANCE_VS_EQUIPMENT,
        RoutingRule.NO_DOCUMENTS,
    }
)


class Equipment(BaseModel):
    """A machine from the equipment catalogue."""

    model: str
    type: str


class Cutting(BaseModel):
    """Cutting data of one transition (the R row of an operation card, GOST 3.1404)."""

    model_config = ConfigDict(extra="forbid")
    depth_mm: float | None = None
    feed_mm_rev: float | None = None
    speed_m_min: float | None = None
    rpm: float | None = None
    main_time_min: float | None = None


class Transition(BaseModel):
    """One transition of a setup: what is done, in the imperative, with its cutting data."""

    model_config = ConfigDict(extra="forbid")
    n: int = Field(ge=1)
    text: str = Field(min_length=1)
    cutting: Cutting | None = Field(default=None, exclude_if=_omit_none)


class Setup(BaseModel):
    """One clamping of the workpiece within an operation (A, B, V ...) and its numbered transitions."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=3)
    clamping: str | None = Field(default=None, exclude_if=_omit_none)  # how the part is located and held
    transitions: list[Transition] = Field(default_factory=list)


class BlankInfo(BaseModel):
    """The blank of the card header (M01/M02 rows of GOST 3.1118): kind, size, mass, consumption, utilisation."""

    model_config = ConfigDict(extra="forbid")
    kind: str
    size: str
    mass_kg: float | None = None
    consumption_kg: float | None = None
    utilisation: float | None = Field(default=None, ge=0, le=1)


class Operation(BaseModel):
    """One operation of the route card; `setups` and `coolant` are optional (issue 13)."""

    model_config = ConfigDict(extra="forbid")
    number: str
    name: str
    kind: OperationKind
    stage: MachiningStage | None = Field(default=None, exclude_if=_omit_none)
    features: list[str] = Field(default_factory=list)
    equipment: Equipment
    fixtures: list[str] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list)
    measuring: list[str] = Field(default_factory=list)
    setup_time_min: float | None = None
    piece_time_min: float | None = None
    profession: str = ""
    worker_grade: int | None = None
    rationale: str = ""
    sources: list[Citation] = Field(default_factory=list)
    setups: list[Setup] = Field(default_factory=list, exclude_if=lambda v: not v)
    coolant: str | None = Field(default=None, exclude_if=_omit_none)


class RoutingDraft(BaseModel):
    """The route card draft of one part; `blank` is optional (issue 13)."""

    model_config = ConfigDict(extra="forbid")
    part_id: str
    blank: BlankInfo | None = Field(default=None, exclude_if=_omit_none)
    operations: list[Operation]
    findings: list[Finding] = Field(default_factory=list)
    sources: list[Citation] = Field(default_factory=list)
    provider: str = "offline"


def load_draft(draft: RoutingDraft | dict[str, Any] | str | Path) -> RoutingDraft:
    """A routing draft from a model, a dict or a JSON file; a malformed one is an input error naming the field."""
    return load_model(RoutingDraft, draft, "routing draft")
