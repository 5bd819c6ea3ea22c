"""The research stage's input (a product request) and output (the research brief of RESEARCH_BRIEF.md)."""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.citation import Citation
from assistant.errors import InputError
from assistant.stages.base import load_model
from assistant.stages.findings import Finding


class ResearchRule(StrEnum):
    """Rule ids of the research stage's findings (the `rule` field)."""

    # checks of any brief (checks.py)
    NUMBERING = "numbering"
    QUANTITY_MISSING = "quantity-missing"
    NUMBER_NOT_IN_REQUEST = "number-not-in-request"
    DOCUMENT_UNSOURCED = "document-unsourced"
    CLAIM_NOT_IN_SOURCE = "claim-not-in-source"
    SOURCE_UNVERIFIED = "source-unverified"
    MATERIAL_UNKNOWN = "material-unknown"
    MATERIAL_HARDNESS = "material-hardness"
    MATERIAL_EXCLUDED = "material-excluded"
    MATERIAL_PROPERTIES = "material-properties"
    PRODUCTION_TYPE = "production-type"
    # what drafting finds in the request itself (build.py)
    NO_QUANTITIES = "no-quantities"
    NO_DOCUMENTS = "no-documents"
    NO_MATERIAL = "no-material"
    CONTRADICTORY_CONSTRAINTS = "contradictory-constraints"
    ASSUMPTION = "assumption"
    LLM_FAILED = "llm-failed"
    LLM_REPAIR = "llm-repair"


# Findings of drafting, not of the checks: kept when an LLM rewrites the brief and it is re-checked.
BUILD_RULES = frozenset(
    {
        ResearchRule.NO_QUANTITIES,
        ResearchRule.NO_DOCUMENTS,
        ResearchRule.NO_MATERIAL,
        ResearchRule.CONTRADICTORY_CONSTRAINTS,
        ResearchRule.ASSUMPTION,
    }
)

IDENT = r"^[A-Za-z0-9._-]{1,64}$"
REQUEST_KEYS = ("id", "request", "annual_volume", "constraints")
REQUEST_SUFFIXES = {".txt", ".md", ".text", ".yaml", ".yml"}
YAML_SUFFIXES = {".yaml", ".yml"}


class ResearchRequest(BaseModel):
    """A product request: what the product must do, in the customer's words, with optional volume and constraints."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=IDENT)
    request: str = Field(min_length=1)
    annual_volume: int | None = Field(default=None, ge=1)
    constraints: list[str] = Field(default_factory=list)

    @field_validator("constraints", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Requirement(BaseModel):
    """One numbered requirement: stated by the request, or found in a document (then with its sources)."""

    model_config = ConfigDict(extra="forbid")
    n: int = Field(ge=1)
    text: str = Field(min_length=1)
    origin: Literal["request", "document"]
    sources: list[Citation] = Field(default_factory=list)


class Reference(BaseModel):
    """A document clause the brief points to (a standard, an analogue) and why."""

    model_config = ConfigDict(extra="forbid")
    doc: str
    section: str | None = None
    page: int | None = None
    why: str


class MaterialChoice(BaseModel):
    """A catalogue material proposed for the part, with what was computed about it."""

    model_config = ConfigDict(extra="forbid")
    grade: str
    reasons: list[str] = Field(default_factory=list)
    hardness_reachable: str
    machinability: float
    cost_class: Literal["low", "medium", "high"]
    sources: list[Citation] = Field(default_factory=list)


class Production(BaseModel):
    """Annual volume and the production type of the routing stage's table."""

    model_config = ConfigDict(extra="forbid")
    annual_volume: int | None = None
    type: str | None = None


class ResearchBrief(BaseModel):
    """The research brief of one product request (RESEARCH_BRIEF.md)."""

    model_config = ConfigDict(extra="forbid")
    request_id: str
    restated: str
    requirements: list[Requirement]
    standards: list[Reference] = Field(default_factory=list)
    analogues: list[Reference] = Field(default_factory=list)
    materials: list[MaterialChoice] = Field(default_factory=list)
    production: Production = Field(default_factory=Production)
    risks: list[str] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    sources: list[Citation] = Field(default_factory=list)
    provider: str = "offline"


# ---- reading requests ------------------------------------------------------------------------------------


def text_id(text: str) -> str:
    """The id of a request given as bare text: `RQ-` and the first 8 hex digits of its SHA-1."""
    return "RQ-" + hashlib.sha1(text.strip().encode()).hexdigest()[:8]


def _problems(exc: ValidationError, known: str) -> str:
    parts = []
    for e in exc.errors()[:3]:
        where = ".".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            parts.append(f"unknown key '{where}' (the keys are {known})")
        elif e["type"] == "missing":
            parts.append(f"'{where}' is required")
        else:
            parts.append(f"{where}: {str(e['msg']).removeprefix('Value error, ')} (got {e.get('input')!r})")
    return "; ".join(parts)


def parse_request(record: Any, label: str = "request", default_id: str | None = None) -> ResearchRequest:
    """One request from a mapping (id, request, annual_volume, constraints) or a bare text."""
    if isinstance(record, ResearchRequest):
        return record
    if isinstance(record, str):
        record = {"request": record}
    if not isinstance(record, dict):
        raise InputError(f"{label}: a request is a text or a mapping of {', '.join(REQUEST_KEYS)}")
    data = dict(record)
    if "id" not in data and isinstance(data.get("request"), str):
        data["id"] = default_id or text_id(data["request"])
    if isinstance(data.get("id"), (int, float)):
        data["id"] = str(data["id"])
    try:
        return ResearchRequest.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{label}: {_problems(exc, ', '.join(REQUEST_KEYS))}") from None


def _file_id(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", path.stem)[:64] or "request"


def read_requests(path: Path) -> list[tuple[str, Any]]:
    """Raw request records with a label each: a text file is one request, a YAML file one or a list, a folder all."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in REQUEST_SUFFIXES)
        if not files:
            raise InputError(f"{path}: no request files ({', '.join(sorted(REQUEST_SUFFIXES))}) in this folder")
        return [item for file in files for item in read_requests(file)]
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        raise InputError(f"{path.name}: the file is empty")
    if path.suffix.lower() not in YAML_SUFFIXES:
        return [(path.name, {"id": _file_id(path), "request": text.strip()})]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name}: not valid YAML ({' '.join(str(exc).split())})") from exc
    items = data if isinstance(data, list) else [data]
    records = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"request": item}
        if isinstance(item, dict) and "id" not in item and len(items) == 1:
            item = {"id": _file_id(path), **item}
        records.append((f"{path.name}#{n}" if len(items) > 1 else path.name, item))
    return records


def _looks_like_path(text: str) -> bool:
    return not re.search(r"\s", text.strip()) and (
        Path(text).suffix.lower() in REQUEST_SUFFIXES or "/" in text or "\\" in text
    )


def load_request(source: ResearchRequest | dict[str, Any] | str | Path) -> ResearchRequest:
    """One request from a model, a mapping, a file (text or YAML), or the text of the request itself."""
    if isinstance(source, (ResearchRequest, dict)):
        return parse_request(source)
    if isinstance(source, str) and not Path(source).is_file() and not _looks_like_path(source):
        if not source.strip():
            raise InputError("the request is empty: describe what the product must do")
        return parse_request({"request": source.strip()}, "request text")
    records = read_requests(Path(source))
    if len(records) != 1:
        raise InputError(f"{Path(source).name}: holds {len(records)} requests; draft them with `prepro batch`")
    label, record = records[0]
    return parse_request(record, label)


def load_brief(draft: ResearchBrief | dict[str, Any] | str | Path) -> ResearchBrief:
    """A research brief from a model, a dict or a JSON file; a malformed one is an input error."""
    return load_model(ResearchBrief, draft, "research brief")
