"""The research stage's drafting: the brief from the tools alone, then (with an LLM) its wording, re-checked."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import InputError, ProviderError
from assistant.llm.client import LLM, OutputMismatchError
from assistant.llm.model import Step
from assistant.llm.prompts import load_prompt
from assistant.stages.base import StageContext
from assistant.stages.findings import Finding, info, warning
from assistant.stages.research.build import build_brief
from assistant.stages.research.checks import check_research
from assistant.stages.research.documents import QUOTE, claim_of, lead_of
from assistant.stages.research.facts import RequestFacts, allowed_numbers, numbers, request_facts
from assistant.stages.research.model import BUILD_RULES, ResearchBrief, ResearchRequest, ResearchRule


class LeadText(BaseModel):
    """The LLM's lead-in for one document requirement (the quote after it stays as found)."""

    n: int
    lead: str = Field(json_schema_extra={"maxLength": 120})


class BriefText(BaseModel):
    """What the LLM writes for a brief: the restated request and leads of the document requirements."""

    model_config = ConfigDict(json_schema_extra={"required": ["restated", "leads"]})
    restated: str = Field(json_schema_extra={"maxLength": 600})
    leads: list[LeadText] = Field(default_factory=list, json_schema_extra={"maxItems": 12})


def unique_findings(findings: list[Finding]) -> list[Finding]:
    """Findings without repeats (the same rule and message), in order; unlike routing's merge, one rule may
    report several requirements or materials."""
    unique: dict[tuple[str, str | None, str], Finding] = {}
    for item in findings:
        unique.setdefault((item.rule, item.feature, item.message), item)
    return list(unique.values())


def _requirements_json(brief: ResearchBrief) -> str:
    items = [
        {"n": r.n, "origin": r.origin, "lead": lead_of(r.text), "quote": claim_of(r.text)}
        if r.origin == "document"
        else {"n": r.n, "origin": r.origin, "text": r.text}
        for r in brief.requirements
    ]
    return json.dumps(items, ensure_ascii=False)


def _apply(brief: ResearchBrief, text: BriefText, facts: RequestFacts) -> tuple[ResearchBrief, list[str]]:
    """The LLM's wording where its numbers are the request's or the tools'; the offline text elsewhere."""
    allowed = allowed_numbers(facts) | {n for r in brief.requirements for n in numbers(r.text)}
    notes: list[str] = []
    restated = " ".join(text.restated.split())
    if not restated or not numbers(restated) <= allowed:
        notes.append("the LLM's restatement stated numbers the request does not give; the offline one was kept")
        restated = brief.restated
    leads = {lead.n: " ".join(lead.lead.split()).rstrip(":—-– ") for lead in text.leads}
    requirements = []
    for r in brief.requirements:
        lead = leads.get(r.n, "")
        if r.origin != "document" or not lead:
            requirements.append(r)
        elif QUOTE.search(lead) or not numbers(lead) <= allowed | numbers(claim_of(r.text)):
            notes.append(
                f"requirement {r.n}: the LLM's wording changed its numbers or quote; the offline text was kept"
            )
            requirements.append(r)
        else:
            requirements.append(r.model_copy(update={"text": f"{lead} — “{claim_of(r.text)}”"}))
    return brief.model_copy(update={"restated": restated, "requirements": requirements}), notes


def _failure(llm: LLM, exc: ProviderError) -> str:
    what = f"output did not fit the brief schema ({exc.problem})" if isinstance(exc, OutputMismatchError) else str(exc)
    return f"{llm.provider} model {llm.model_name}: {what}"


@dataclass(frozen=True)
class _Refining:
    """What the wording step works on: the offline brief, the request's facts and the context."""

    brief: ResearchBrief
    facts: RequestFacts
    ctx: StageContext


def _keep(value: _Refining) -> ResearchBrief:
    return value.brief


def _refine(llm: LLM, value: _Refining) -> ResearchBrief:
    """Let the model restate the request and word the document requirements; then re-check the brief."""
    brief, facts = value.brief, value.facts
    messages = load_prompt("research_brief").render(
        request=facts.request.request,
        constraints=json.dumps(facts.request.constraints, ensure_ascii=False),
        requirements=_requirements_json(brief),
    )
    try:
        text, _ = llm.structured(messages, BriefText, step="research_brief")
    except ProviderError as exc:
        message = f"{_failure(llm, exc)}; the offline brief is shown"
        return brief.model_copy(
            update={"findings": unique_findings([*brief.findings, warning(ResearchRule.LLM_FAILED, message)])}
        )
    updated, notes = _apply(brief, text, facts)
    updated.provider = llm.label
    kept = [f for f in brief.findings if f.rule in BUILD_RULES]
    infos = [info(ResearchRule.LLM_REPAIR, note) for note in notes]
    updated.findings = unique_findings(kept + check_research(value.ctx, updated, facts) + infos)
    return updated


REFINE = Step("research_brief", _keep, _refine)


def draft_research(ctx: StageContext, request: ResearchRequest) -> ResearchBrief:
    """The research brief of a request: complete from the tools; an LLM words it, and it is re-checked."""
    facts = request_facts(request, ctx.catalog)
    brief = build_brief(ctx, facts)
    brief.findings = unique_findings(brief.findings + check_research(ctx, brief, facts))
    return ctx.model.run(REFINE, _Refining(brief, facts, ctx))


def check_brief(ctx: StageContext, brief: ResearchBrief, request: ResearchRequest) -> list[Finding]:
    """The checks' findings on a brief, whoever wrote it, against its request."""
    if brief.request_id != request.id:
        raise InputError(f"the brief is for request {brief.request_id} but the request is {request.id}")
    return check_research(ctx, brief, request_facts(request, ctx.catalog))


def header_for(ctx: StageContext, request: ResearchRequest) -> ResearchRequest:
    """What the exports print above the brief: the request itself."""
    return request
