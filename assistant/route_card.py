"""The routing draft (shared/contracts/PART_SPEC.md, "Routing draft"): what `draft routing` returns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import InputError

OperationKind = Literal[
    "blank",
    "facing_centering",
    "turning",
    "milling",
    "drilling",
    "countersinking",
    "boring",
    "reaming",
    "broaching",
    "grinding",
    "superfinishing",
    "threading",
    "gear_cutting",
    "gear_finishing",
    "heat_treatment",
    "surface_treatment",
    "deburring",
    "washing",
    "inspection",
    "marking",
    "other",
]
Stage = Literal["rough", "semi_finish", "finish", "fine"]
Severity = Literal["error", "warning", "info"]
SUPPORT_KINDS = frozenset(
    {"blank", "heat_treatment", "surface_treatment", "deburring", "washing", "inspection", "marking", "other"}
)
MACHINING_KINDS = frozenset(get_args(OperationKind)) - SUPPORT_KINDS


def _omit_none(value: object) -> bool:
    return value is None


class SourceRef(BaseModel):
    """A document clause (and page, for PDFs) a choice comes from."""

    doc: str
    section: str | None = None
    page: int | None = None


class Equipment(BaseModel):
    """A machine from the equipment catalogue."""

    model: str
    type: str


class Operation(BaseModel):
    """One operation of the route card."""

    model_config = ConfigDict(extra="forbid")
    number: str
    name: str
    kind: OperationKind
    stage: Stage | None = Field(default=None, exclude_if=_omit_none)
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
    sources: list[SourceRef] = Field(default_factory=list)


class Finding(BaseModel):
    """A validator result on a draft."""

    severity: Severity
    rule: str
    operation: str | None = None
    feature: str | None = Field(default=None, exclude_if=_omit_none)
    message: str


def error(rule: str, message: str, operation: str | None = None, feature: str | None = None) -> Finding:
    """A finding of severity error."""
    return Finding(severity="error", rule=rule, operation=operation, feature=feature, message=message)


def warning(rule: str, message: str, operation: str | None = None, feature: str | None = None) -> Finding:
    """A finding of severity warning."""
    return Finding(severity="warning", rule=rule, operation=operation, feature=feature, message=message)


class RoutingDraft(BaseModel):
    """The route card draft of one part."""

    model_config = ConfigDict(extra="forbid")
    part_id: str
    operations: list[Operation]
    findings: list[Finding] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    provider: str = "offline"


def load_draft(draft: RoutingDraft | dict[str, Any] | str | Path) -> RoutingDraft:
    """A routing draft from a model, a dict or a JSON file; a malformed one is an input error."""
    if isinstance(draft, RoutingDraft):
        return draft
    label = "draft"
    if not isinstance(draft, dict):
        path = Path(draft)
        label = path.name
        try:
            draft = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"{label}: cannot read the draft JSON ({exc})") from exc
    try:
        return RoutingDraft.model_validate(draft)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        raise InputError(f"{label}: not a routing draft ({problems})") from None
