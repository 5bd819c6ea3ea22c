"""The routing stage's drafting: the route from the tools alone, then (with an LLM) its wording and tooling."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.catalog import Catalog
from assistant.citation import Citation
from assistant.engineering.heat import treatment_problem
from assistant.errors import InputError, ProviderError
from assistant.llm.client import LLM, OutputMismatchError
from assistant.llm.model import Model, Step
from assistant.llm.prompts import load_prompt, passages_block
from assistant.parts.facts import PartFacts, part_facts
from assistant.parts.model import PartSpec, parse_part
from assistant.progress import ProgressFn
from assistant.retrieval.models import Passage
from assistant.stages.base import StageContext
from assistant.stages.findings import Finding, info, merge_findings, warning
from assistant.stages.routing.build import build_operations
from assistant.stages.routing.card import CardHeader
from assistant.stages.routing.checks import check_routing
from assistant.stages.routing.model import BUILD_RULES, Operation, RoutingDraft, RoutingRule
from assistant.stages.routing.options import equipment_preference


def _draft_sources(draft_ops: list[Operation], facts: PartFacts) -> list[Citation]:
    refs = [Citation(doc=facts.material.source.doc, section=facts.material.source.section)]
    refs += [ref for op in draft_ops for ref in op.sources]
    unique = dict.fromkeys((r.doc, r.section, r.page) for r in refs)
    return [Citation(doc=doc, section=section, page=page) for doc, section, page in unique]


def offline_draft(
    part: PartSpec, catalog: Catalog, automation: tuple[str, ...] | None = None
) -> tuple[RoutingDraft, PartFacts]:
    """The complete route from rules, catalogues and time norms, checked by the validators; `automation`
    overrides the order in which machines of each automation level are preferred."""
    facts = part_facts(part, catalog)
    if automation:
        facts = replace(facts, automation=automation)
    operations, findings, blank = build_operations(facts, catalog)
    draft = RoutingDraft(part_id=part.id, blank=blank, operations=operations, sources=_draft_sources(operations, facts))
    infos = [info(RoutingRule.ASSUMPTION, text) for text in facts.assumptions]
    problem = treatment_problem(facts.hardness, facts.material, part.notes or "")
    if problem:
        findings.append(warning(RoutingRule.HARDNESS_VS_MATERIAL, problem))
    draft.findings = merge_findings(findings + check_routing(draft, facts, catalog) + infos)
    return draft, facts


# Operations per LLM call, and the bounds the schema puts on what is written for each: with schema-constrained
# decoding (the local model) a call's reply cannot outgrow ~160 tokens an operation, so a batch stays under
# PREPRO_LLM_MAX_TOKENS (1024) and is not cut short into invalid JSON. The bounds are schema hints, not
# validation: a longer text from a provider that ignores them is accepted.
ROUTE_BATCH = 5


def _bounded(length: int) -> Any:
    return Field(default="", json_schema_extra={"maxLength": length})


def _picks(items: int) -> Any:
    return Field(
        default_factory=list, json_schema_extra={"maxItems": items, "items": {"type": "string", "maxLength": 100}}
    )


class OperationText(BaseModel):
    """What the LLM writes for one operation."""

    model_config = ConfigDict(json_schema_extra={"required": ["number", "name", "rationale", "fixtures", "tools"]})
    number: str = Field(json_schema_extra={"maxLength": 5})
    name: str = _bounded(40)
    rationale: str = _bounded(160)
    fixtures: list[str] = _picks(1)
    tools: list[str] = _picks(2)


class RouteText(BaseModel):
    """The LLM's texts for the operations of a route."""

    operations: list[OperationText] = Field(json_schema_extra={"minItems": 1, "maxItems": ROUTE_BATCH})


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
    extra = [passages[n - 1].citation for n in sorted(cited)]
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


def _failure(llm: LLM, exc: ProviderError) -> str:
    """What went wrong with the LLM, for a finding: who, and the error (a schema mismatch said briefly)."""
    what = f"output did not fit the route schema ({exc.problem})" if isinstance(exc, OutputMismatchError) else str(exc)
    return f"{llm.provider} model {llm.model_name}: {what}"


def llm_draft(
    draft: RoutingDraft,
    facts: PartFacts,
    catalog: Catalog,
    llm: LLM,
    passages: list[Passage],
    batch: int = ROUTE_BATCH,
    progress: ProgressFn | None = None,
) -> RoutingDraft:
    """Let the model name the operations, write their content and rationale and pick tooling; then re-check.

    The LLM only words a complete draft, so its failure (an answer outside the schema, an error, a timeout,
    nothing written) never costs the draft: the operations it did not word keep the offline text, and a
    `llm-failed` warning says who failed and how. `progress(done, total, number)` follows the operations.
    """
    block, _ = passages_block(passages)
    texts: dict[str, OperationText] = {}
    candidates = {op.number: _candidates(op, facts, catalog) for op in draft.operations}
    failed: str | None = None
    total = len(draft.operations)
    for start in range(0, total, batch):
        chunk = draft.operations[start : start + batch]
        listed = [candidates[op.number] for op in chunk]
        messages = load_prompt("route_card").render(
            part=_part_summary(facts), operations=json.dumps(listed, ensure_ascii=False), passages=block
        )
        try:
            result, _ = llm.structured(messages, RouteText, step="route_card")
        except ProviderError as exc:
            failed = _failure(llm, exc)
            break  # a server that failed once (timeout, schema) is not asked again for the rest of the route
        texts.update({t.number: t for t in result.operations if t.number in candidates})
        if progress:
            progress(start + len(chunk), total, chunk[-1].number)
    if not texts:
        reason = failed or f"{llm.provider} model {llm.model_name}: it wrote nothing for any operation"
        message = f"{reason}; the offline draft is shown"
        return draft.model_copy(
            update={"findings": merge_findings([*draft.findings, warning(RoutingRule.LLM_FAILED, message)])}
        )
    operations: list[Operation] = []
    notes: list[str] = []
    for op in draft.operations:
        if op.number in texts:
            op, why = _apply(op, texts[op.number], passages, candidates[op.number])
            notes += why
        operations.append(op)
    missing = [op.number for op in draft.operations if op.number not in texts]
    warnings: list[Finding] = []
    if failed:
        message = f"{failed}; operations {', '.join(missing)} keep the offline text"
        warnings.append(warning(RoutingRule.LLM_FAILED, message))
    elif missing:
        notes.append(f"the LLM wrote nothing for operations {', '.join(missing)}; the planner's text was kept")
    updated = draft.model_copy(update={"operations": operations, "provider": llm.label})
    infos = [info(RoutingRule.LLM_REPAIR, note) for note in notes]
    kept = [f for f in draft.findings if f.rule in BUILD_RULES]
    updated.findings = merge_findings(kept + check_routing(updated, facts, catalog) + warnings + infos)
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


@dataclass(frozen=True)
class _Refining:
    """What the refinement step works on: the offline draft and everything the LLM may use."""

    draft: RoutingDraft
    facts: PartFacts
    ctx: StageContext


def _keep(value: _Refining) -> RoutingDraft:
    return value.draft


def _refine(llm: LLM, value: _Refining) -> RoutingDraft:
    retrieved = value.ctx.retrieve(route_query(value.facts))
    draft = llm_draft(
        value.draft,
        value.facts,
        value.ctx.catalog,
        llm,
        retrieved.passages,
        progress=lambda done, total, number: value.ctx.report(done, total, f"operation {number}"),
    )
    if retrieved.problem:
        message = f"drafted without its documents: {retrieved.problem}"
        draft.findings = merge_findings([*draft.findings, warning(RoutingRule.NO_DOCUMENTS, message)])
    return draft


REFINE = Step("route_card", _keep, _refine)


def draft_routing(ctx: StageContext, part: PartSpec) -> RoutingDraft:
    """The route card of a part: complete from the tools; an LLM words it and picks tooling, then it is re-checked."""
    draft, facts = offline_draft(part, ctx.catalog, equipment_preference(ctx.options))
    return ctx.model.run(REFINE, _Refining(draft, facts, ctx))


def check_draft(ctx: StageContext, draft: RoutingDraft, part: PartSpec) -> list[Finding]:
    """The checks' findings on a routing draft, whoever wrote it, against its part."""
    if draft.part_id != part.id:
        raise InputError(f"the draft is for part {draft.part_id} but the part spec is {part.id}")
    return check_routing(draft, part_facts(part, ctx.catalog), ctx.catalog)


def header_for(ctx: StageContext, part: PartSpec) -> CardHeader:
    """The route-card header of a part."""
    return card_header(part_facts(part, ctx.catalog))


def _no_llm(text: str) -> PartSpec:
    raise InputError(
        "reading a part from free text needs an LLM: set PREPRO_LLM_PROVIDER (local, openai, "
        "openai-compatible) or write the part spec as YAML"
    )


def _extract(llm: LLM, text: str) -> PartSpec:
    if not text.strip():
        raise InputError("the part description is empty")
    messages = load_prompt("part_extraction").render(text=text)
    parsed, _ = llm.structured(messages, PartSpec, step="part_extraction")
    return parse_part(parsed.model_dump(exclude_none=True), "extracted part")


def extract_part(text: str, model: Model) -> PartSpec:
    """A part spec read from free text by the LLM's structured output, validated like any other input."""
    return model.run(Step("part_extraction", _no_llm, _extract), text)
