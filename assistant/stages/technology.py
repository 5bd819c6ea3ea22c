"""The technological stage: a routing draft for a part, from the tools alone or with an LLM on top."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, Field

from assistant.catalog import Catalog
from assistant.chat import passages_block
from assistant.engineering.heat import treatment_problem
from assistant.errors import InputError
from assistant.export.card import CardHeader
from assistant.llm import LLM
from assistant.part_facts import PartFacts, part_facts
from assistant.parts import PartSpec, parse_part
from assistant.prompts import load_prompt
from assistant.retrieval.models import Passage
from assistant.route_card import Finding, Operation, RoutingDraft, SourceRef
from assistant.stages.route_builder import build_operations
from assistant.validate import check_routing

BUILD_RULES = frozenset(
    {"no-process-chain", "requirement-unreachable", "assumption", "hardness-vs-material", "tolerance-vs-equipment"}
)


def _draft_sources(draft_ops: list, facts: PartFacts) -> list[SourceRef]:
    refs = [SourceRef(doc=facts.material.source.doc, section=facts.material.source.section)]
    refs += [ref for op in draft_ops for ref in op.sources]
    unique = dict.fromkeys((r.doc, r.section, r.page) for r in refs)
    return [SourceRef(doc=doc, section=section, page=page) for doc, section, page in unique]


def offline_draft(part: PartSpec, catalog: Catalog) -> tuple[RoutingDraft, PartFacts]:
    """The complete route from rules, catalogues and time norms, checked by the validators."""
    facts = part_facts(part, catalog)
    operations, findings = build_operations(facts, catalog)
    draft = RoutingDraft(part_id=part.id, operations=operations, sources=_draft_sources(operations, facts))
    infos = [Finding(severity="info", rule="assumption", message=text) for text in facts.assumptions]
    problem = treatment_problem(facts.hardness, facts.material, part.notes or "")
    if problem:
        findings.append(Finding(severity="warning", rule="hardness-vs-material", message=problem))
    draft.findings = _merge(findings + check_routing(draft, facts, catalog) + infos)
    return draft, facts


def _merge(findings: list[Finding]) -> list[Finding]:
    """Drop repeated findings (same rule, operation, feature), keeping the first."""
    seen: set[tuple] = set()
    unique = []
    for finding in findings:
        key = (finding.rule, finding.operation, finding.feature)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


class OperationText(BaseModel):
    """What the LLM writes for one operation."""

    number: str
    name: str = ""
    rationale: str = ""
    fixtures: list[str] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list)


class RouteText(BaseModel):
    """The LLM's texts for the operations of a route."""

    operations: list[OperationText]


def _candidates(op: Operation, facts: PartFacts, catalog: Catalog) -> dict[str, Any]:
    fixtures = [f.name for f in catalog.fixtures if op.kind in f.kinds and facts.part.kind in f.part_kinds][:5]
    stage = op.stage or "finish"
    tools = [
        t.name
        for t in catalog.cutting_tools
        if op.kind in t.kinds and stage in t.stages and facts.group in t.material_groups
    ][:6]
    return {
        "number": op.number,
        "kind": op.kind,
        "stage": op.stage,
        "features": op.features,
        "equipment": f"{op.equipment.model} {op.equipment.type}",
        "planner_name": op.name,
        "candidate_fixtures": fixtures,
        "candidate_tools": tools,
    }


def _part_summary(facts: PartFacts) -> str:
    part = facts.part
    features = [
        {"id": r.feature_id, "type": r.feature_type, "size": r.size, "it": r.it, "ra": r.ra}
        for r in facts.requirements.values()
    ]
    return json.dumps(
        {
            "id": part.id,
            "name": part.name,
            "kind": part.kind,
            "material": facts.material.grade,
            "hardness": part.hardness,
            "blank": facts.blank.description,
            "production": facts.production,
            "features": features,
        },
        ensure_ascii=False,
    )


def _apply(
    op: Operation, text: OperationText, passages: list[Passage], candidates: dict[str, Any]
) -> tuple[Operation, list[str]]:
    """Merge the LLM's text into an operation; tooling outside the operation's candidates is refused and reported."""
    fixtures = [f for f in text.fixtures if f in candidates["candidate_fixtures"]]
    tools = [t for t in text.tools if t in candidates["candidate_tools"]]
    refused = [x for x in text.fixtures + text.tools if x not in fixtures + tools]
    notes = (
        [
            f"operation {op.number}: the LLM proposed tooling outside the catalogue candidates "
            f"({'; '.join(refused)[:200]}); the planner's choice was kept"
        ]
        if refused
        else []
    )
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text.rationale) if 1 <= int(n) <= len(passages)}
    extra = [
        SourceRef(doc=passages[n - 1].doc, section=passages[n - 1].section, page=passages[n - 1].page)
        for n in sorted(cited)
    ]
    name = text.name.strip()[:80] if 0 < len(text.name.strip().split()) <= 8 else op.name
    rationale = f"{text.rationale.strip()} | planner: {op.rationale}" if text.rationale.strip() else op.rationale
    return op.model_copy(
        update={
            "name": name,
            "rationale": rationale,
            "fixtures": fixtures or op.fixtures,
            "tools": tools or op.tools,
            "sources": op.sources + extra,
        }
    ), notes


def llm_draft(
    draft: RoutingDraft, facts: PartFacts, catalog: Catalog, llm: LLM, passages: list[Passage], batch: int = 8
) -> RoutingDraft:
    """Let the model name the operations, write their content and rationale and pick tooling; then re-check."""
    block, _ = passages_block(passages)
    texts: dict[str, OperationText] = {}
    candidates = {op.number: _candidates(op, facts, catalog) for op in draft.operations}
    for start in range(0, len(draft.operations), batch):
        listed = [candidates[op.number] for op in draft.operations[start : start + batch]]
        messages = load_prompt("route_card").render(
            part=_part_summary(facts), operations=json.dumps(listed, ensure_ascii=False), passages=block
        )
        result, _ = llm.structured(messages, RouteText, step="route_card")
        texts.update({t.number: t for t in result.operations})
    operations, notes = [], []
    for op in draft.operations:
        if op.number in texts:
            op, why = _apply(op, texts[op.number], passages, candidates[op.number])
            notes += why
        operations.append(op)
    missing = [op.number for op in draft.operations if op.number not in texts]
    if missing:
        notes.append(f"the LLM wrote nothing for operations {', '.join(missing)}; the planner's text was kept")
    updated = draft.model_copy(update={"operations": operations, "provider": f"{llm.provider}:{llm.model_name}"})
    infos = [Finding(severity="info", rule="llm-repair", message=note) for note in notes]
    kept = [f for f in draft.findings if f.rule in BUILD_RULES]
    updated.findings = _merge(kept + check_routing(updated, facts, catalog) + infos)
    updated.sources = _draft_sources(operations, facts)
    return updated


def route_query(facts: PartFacts) -> str:
    """What to retrieve for a part's route: its kind, material, heat treatment and feature types."""
    types = sorted({r.feature_type.replace("_", " ") for r in facts.requirements.values()})
    heat = f" hardened {facts.hardness.text}" if facts.hardness else ""
    return f"route for a {facts.part.kind} of {facts.material.grade}{heat}: {', '.join(types)}"


def card_header(facts: PartFacts) -> CardHeader:
    """Header fields of the route card for a part."""
    part = facts.part
    return CardHeader(
        part_id=part.id,
        name=part.name,
        material=facts.material.grade,
        hardness=part.hardness or "",
        blank=facts.blank.description,
        mass_kg=facts.mass_kg,
        annual_volume=part.annual_volume,
        batch_size=facts.batch_size,
        production=facts.production,
    )


def extract_part(text: str, llm: LLM) -> PartSpec:
    """A part spec read from free text by the LLM's structured output, validated like any other input."""
    if not text.strip():
        raise InputError("the part description is empty")
    messages = load_prompt("part_extraction").render(text=text)
    parsed, _ = llm.structured(messages, PartSpec, step="part_extraction")
    return parse_part(parsed.model_dump(exclude_none=True), "extracted part")
