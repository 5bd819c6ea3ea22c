"""The design stage's drafting: the technical assignment, BOM and review from the tools and retrieval; with an
LLM, the sections' prose reworded from the passages (numbers stay the tools'); and the check of any draft."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.catalog.fits import load_fits
from assistant.citation import Citation
from assistant.errors import InputError, ProviderError
from assistant.llm.client import LLM
from assistant.llm.model import Step
from assistant.llm.prompts import load_prompt, passages_block
from assistant.parts.facts import part_facts
from assistant.parts.model import PartSpec
from assistant.retrieval.models import Passage
from assistant.stages.base import StageContext
from assistant.stages.design import build
from assistant.stages.design.audit import audit, numbers
from assistant.stages.design.checks import review_part
from assistant.stages.design.export import DesignHeader
from assistant.stages.design.model import NUMERIC_SECTIONS, DesignDraft, DesignRule, Section, TechnicalAssignment
from assistant.stages.design.review import Review, route_view
from assistant.stages.findings import Finding, info, merge_findings, warning


def review_for(ctx: StageContext, part: PartSpec) -> Review:
    """The facts, catalogues, ISO 286 tables and the routing draft (through the context) the review reads."""
    return Review(
        part_facts(part, ctx.catalog), ctx.catalog, load_fits(), route_view(ctx.draft("routing", part, worded=False))
    )


def design_query(part: PartSpec, review: Review) -> str:
    """What to retrieve for the assignment: the part kind, material, hardness and feature types."""
    types = sorted({f.type.replace("_", " ") for f in part.features})
    heat = f" hardened {part.hardness}" if part.hardness else ""
    return f"standards and requirements for a {part.kind} of {review.facts.material.grade}{heat}: {', '.join(types)}"


def _sources(sections: list[Section], findings: list[Finding]) -> list[Citation]:
    return build.unique([c for s in sections for c in s.sources] + [c for f in findings for c in f.sources])


def offline_draft(ctx: StageContext, part: PartSpec) -> tuple[DesignDraft, list[Passage]]:
    """The complete draft from the spec, the tools, the routing draft and retrieval; the passages it used."""
    review = review_for(ctx, part)
    retrieved = ctx.retrieve(design_query(part, review))
    sections = build.sections(part, review, retrieved.passages)
    findings = review_part(part, review)
    if not review.facts.material_known:
        message = f"material '{part.material}' is not in the catalogue: the hardness rule and the material check of the blank were not applied"
        findings.append(info(DesignRule.MATERIAL_UNKNOWN, message))
    if retrieved.problem:
        message = f"the applicable standards come from the rules only: {retrieved.problem}"
        findings.append(warning(DesignRule.NO_DOCUMENTS, message))
    draft = DesignDraft(
        part_id=part.id,
        technical_assignment=TechnicalAssignment(sections=sections),
        bom=build.bom(part),
        findings=merge_findings(findings),
        sources=_sources(sections, findings),
    )
    return draft, retrieved.passages


# ---- the LLM's wording

_REFUSAL = "The indexed documents do not answer"
_MARK = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class _Wording:
    """What the wording step works on: the offline draft, the passages and the context (for progress)."""

    draft: DesignDraft
    passages: list[Passage]
    ctx: StageContext


def _apply(section: Section, text: str, passages: list[Passage]) -> tuple[Section, str | None]:
    """The section in the LLM's words, or the offline section and why its words were refused."""
    text = text.strip()
    if not text or text.startswith(_REFUSAL):
        return section, f"section '{section.title}': the LLM found nothing in the passages; the offline text is kept"
    added, kept = numbers(text) - numbers(section.text), numbers(section.text)
    lost = kept - numbers(text) if section.title in NUMERIC_SECTIONS else set()
    if added or lost:
        what = ", ".join(f"{n:g}" for n in sorted(added or lost)[:6])
        verb = "added numbers the spec and tools do not give" if added else "dropped values of the spec"
        return section, f"section '{section.title}': the LLM {verb} ({what}); the offline text is kept"
    cited = [passages[int(n) - 1].citation for n in _MARK.findall(text) if 1 <= int(n) <= len(passages)]
    worded = _MARK.sub(lambda m: _label(m, passages), text)
    return section.model_copy(update={"text": worded, "sources": build.unique([*section.sources, *cited])}), None


def _label(match: re.Match[str], passages: list[Passage]) -> str:
    n = int(match.group(1))
    return f"[{passages[n - 1].citation.label()}]" if 1 <= n <= len(passages) else ""


def _keep(value: _Wording) -> DesignDraft:
    return value.draft


def _reword(llm: LLM, value: _Wording) -> DesignDraft:
    """Each section reworded from the passages; a failure keeps the offline text and says who failed and how."""
    draft, passages = value.draft, value.passages
    if not passages:
        return draft  # nothing to ground the wording in: the no-documents finding already says so
    block, _ = passages_block(passages)
    prompt = load_prompt("design_section")
    old = draft.technical_assignment.sections
    sections, notes, failed = [], [], None
    for n, section in enumerate(old, start=1):
        if failed is None:
            try:
                text, _ = llm.complete(
                    prompt.render(passages=block, part=draft.part_id, title=section.title, text=section.text),
                    "design_section",
                )
            except ProviderError as exc:
                failed = f"{llm.provider} model {llm.model_name}: {exc}"
            else:
                section, note = _apply(section, text, passages)
                notes += [note] if note else []
                value.ctx.report(n, len(old), section.title)
        sections.append(section)
    worded = sum(a.text != b.text for a, b in zip(sections, old, strict=True))
    findings = list(draft.findings) + ([info(DesignRule.LLM_REPAIR, "; ".join(notes))] if notes else [])
    if failed:
        kept = "the offline draft is shown" if not worded else "the sections it did not word keep the offline text"
        findings.append(warning(DesignRule.LLM_FAILED, f"{failed}; {kept}"))
    return draft.model_copy(
        update={
            "technical_assignment": TechnicalAssignment(sections=sections),
            "findings": merge_findings(findings),
            "sources": _sources(sections, draft.findings),
            "provider": llm.label if worded else draft.provider,
        }
    )


REWORD = Step("design_section", _keep, _reword)


def draft_design(ctx: StageContext, part: PartSpec) -> DesignDraft:
    """The design draft of a part: complete from the tools; an LLM rewords its sections from the passages."""
    draft, passages = offline_draft(ctx, part)
    return ctx.model.run(REWORD, _Wording(draft, passages, ctx))


def check_draft(ctx: StageContext, draft: DesignDraft, part: PartSpec) -> list[Finding]:
    """The review's findings on the part, and the draft's own problems (sections, numbers, BOM, dropped findings)."""
    if draft.part_id != part.id:
        raise InputError(f"the draft is for part {draft.part_id} but the part spec is {part.id}")
    review = review_for(ctx, part)
    findings = review_part(part, review)
    return merge_findings(findings + audit(draft, part, build.sections(part, review, []), findings))


def header_for(ctx: StageContext, part: PartSpec) -> DesignHeader:
    """What the exports print above the draft."""
    facts = part_facts(part, ctx.catalog)
    return DesignHeader(part.id, part.name, part.kind, facts.material.grade, part.hardness or "", part.annual_volume)
