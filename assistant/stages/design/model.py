"""The design draft (shared/contracts/DESIGN_REVIEW.md): what `draft design` returns, and its rule ids."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from assistant.citation import Citation
from assistant.stages.base import load_model
from assistant.stages.findings import Finding


class DesignRule(StrEnum):
    """Rule ids of the design stage's findings (the `rule` field); design-review-rules.md names each."""

    # the design-for-manufacture review of the specification (sections 2-10)
    RA_VS_IT = "ra-vs-it"
    HARDNESS_UNREACHABLE = "hardness-unreachable"
    BLANK_UNSUITABLE = "blank-unsuitable"
    FEATURE_OUTSIDE_ENVELOPE = "feature-outside-envelope"
    DEEP_HOLE = "deep-hole"
    THREAD_SERIES = "thread-series"
    KEYWAY_SERIES = "keyway-series"
    TOLERANCE_BEYOND_EQUIPMENT = "tolerance-beyond-equipment"
    TOLERANCE_TIGHTER_THAN_FUNCTION = "tolerance-tighter-than-function"
    FIT_CONTRADICTS_FUNCTION = "fit-contradicts-function"
    MATERIAL_UNKNOWN = "material-unknown"
    # drafting
    NO_DOCUMENTS = "no-documents"
    LLM_FAILED = "llm-failed"
    LLM_REPAIR = "llm-repair"
    # checks of a draft, whoever wrote it (section 11)
    SECTION_MISSING = "section-missing"
    SECTION_UNSOURCED = "section-unsourced"
    NUMBER_UNSUPPORTED = "number-unsupported"
    BOM_MISMATCH = "bom-mismatch"
    FINDING_MISSING = "finding-missing"


DFM_RULES = frozenset(
    {
        DesignRule.RA_VS_IT,
        DesignRule.HARDNESS_UNREACHABLE,
        DesignRule.BLANK_UNSUITABLE,
        DesignRule.FEATURE_OUTSIDE_ENVELOPE,
        DesignRule.DEEP_HOLE,
        DesignRule.THREAD_SERIES,
        DesignRule.KEYWAY_SERIES,
        DesignRule.TOLERANCE_BEYOND_EQUIPMENT,
        DesignRule.TOLERANCE_TIGHTER_THAN_FUNCTION,
        DesignRule.FIT_CONTRADICTS_FUNCTION,
    }
)


class SectionTitle(StrEnum):
    """The sections of a technical assignment for a part, in the order of GOST 15.016 where it applies."""

    PURPOSE = "Purpose and scope"
    REQUIREMENTS = "Technical requirements"
    MATERIAL = "Material and blank"
    OPERATION = "Operating conditions and reliability"
    STANDARDS = "Applicable standards"
    ACCEPTANCE = "Acceptance and tests"


# Sections whose numbers come only from the part spec and the tools (checked by `number-unsupported`)
NUMERIC_SECTIONS = frozenset({SectionTitle.REQUIREMENTS, SectionTitle.MATERIAL})


class Section(BaseModel):
    """One section of the technical assignment: its text and the sources it used."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    text: str
    sources: list[Citation] = Field(default_factory=list)


class TechnicalAssignment(BaseModel):
    """The technical assignment (TZ) draft of the part."""

    model_config = ConfigDict(extra="forbid")
    sections: list[Section] = Field(default_factory=list)


class BomLine(BaseModel):
    """One line of the bill of materials, from the spec's `components`; `note` is the standard."""

    model_config = ConfigDict(extra="forbid")
    position: int = Field(ge=1)
    name: str = Field(min_length=1)
    quantity: float = Field(gt=0)
    material: str | None = None
    note: str | None = None

    @field_serializer("quantity")
    def _whole(self, value: float) -> float | int:
        return int(value) if float(value).is_integer() else value


class DesignDraft(BaseModel):
    """The design draft of one part: technical assignment, BOM and the design-for-manufacture findings."""

    model_config = ConfigDict(extra="forbid")
    part_id: str
    technical_assignment: TechnicalAssignment = Field(default_factory=TechnicalAssignment)
    bom: list[BomLine] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    sources: list[Citation] = Field(default_factory=list)
    provider: str = "offline"


def load_draft(draft: DesignDraft | dict[str, Any] | str | Path) -> DesignDraft:
    """A design draft from a model, a dict or a JSON file; a malformed one is an input error naming the field."""
    return load_model(DesignDraft, draft, "design draft")
