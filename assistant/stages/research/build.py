"""The research brief from the tools alone: requirements, documents, materials, production, risks and questions."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.catalog import Catalog
from assistant.citation import Citation
from assistant.engineering.production import production_type
from assistant.engineering.requests import Kind, Quantity
from assistant.engineering.types import Material
from assistant.stages.base import StageContext
from assistant.stages.findings import Finding, error, info, warning
from assistant.stages.research.cost import cost_picture, part_mass, rough_shaft
from assistant.stages.research.documents import Quote, analogues, find_quotes, standards_of
from assistant.stages.research.facts import RequestFacts, single_production
from assistant.stages.research.materials import COST_CLAUSES, Ranked, rank, reachable_text
from assistant.stages.research.model import (
    MaterialChoice,
    Production,
    Reference,
    Requirement,
    ResearchBrief,
    ResearchRule,
)
from assistant.stages.research.review import contradictions, needs_of, open_questions, risks
from assistant.stages.research.words import ROTATING_KINDS

_TEMPLATES = {
    Kind.POWER: "Power {t}",
    Kind.SPEED: "Rotational speed {t}",
    Kind.VOLUME: "Annual volume {t}",
    Kind.COUNT: "Quantity {t}",
    Kind.FORCE: "Carry a load of {t}",
    Kind.TORQUE: "Transmit a torque of {t}",
    Kind.TEMPERATURE: "Operating temperature {t}",
    Kind.MASS: "Mass {t}",
    Kind.PRESSURE: "Pressure {t}",
    Kind.HARDNESS: "Hardness {t}",
    Kind.ROUGHNESS: "Roughness {t}",
    Kind.MODULE: "Gear {t}",
    Kind.TEETH: "Gear with {t}",
    Kind.ENVIRONMENT: "Environment: {t}",
    Kind.THREAD: "Thread {t}",
    Kind.NOMINAL: "Nominal size {t}",
}


def quantity_text(q: Quantity, kind: str | None = None) -> str:
    """A request-origin requirement for one quantity, keeping the quantity as the request wrote it."""
    if q.kind is Kind.BEARING:
        return f"Bearing seats for {q.label} bearings (bore Ø{q.low:g} mm)"
    if q.kind is Kind.LENGTH:
        return f"{(q.label or 'size').capitalize()} {q.text}"
    if q.kind is Kind.POWER and kind in ROTATING_KINDS:
        return f"Transmit {q.text}"
    text = _TEMPLATES[q.kind].format(t=q.text)
    if q.kind is Kind.VOLUME and not any(w in q.text.lower() for w in ("year", "annum", "yr", "annual")):
        text += f" ({q.low:g} a year)"
    return text


def request_texts(facts: RequestFacts) -> list[str]:
    """The request's own requirements: one per quantity, the YAML volume, and each constraint."""
    texts = [quantity_text(q, facts.kind) for q in facts.quantities]
    if facts.volume_source == "yaml" and not facts.of(Kind.VOLUME):
        texts.append(f"Annual volume {facts.volume} pieces a year")
    texts += [f"Constraint: {c}" for c in facts.request.constraints]
    return list(dict.fromkeys(texts))


def numbered(request: Sequence[str], documents: Sequence[Quote]) -> list[Requirement]:
    """Requirements numbered 1..n: the request's first, then those quoted from documents."""
    items: list[tuple[str, str, list[Citation]]] = [(t, "request", []) for t in request]
    items += [(q.text, "document", [q.sentence.citation]) for q in documents]
    return [
        Requirement(n=n, text=text, origin=origin, sources=sources)  # type: ignore[arg-type]
        for n, (text, origin, sources) in enumerate(items, start=1)
    ]


def material_sources(material: Material) -> list[Citation]:
    """Where a material's values come from: its catalogue entry, its clause, and the clause of the price classes."""
    sources = [Citation(doc="materials.yaml", section=material.grade)]
    sources.append(Citation(doc=material.source.doc, section=material.source.section))
    if material.source.doc in COST_CLAUSES:
        sources.append(Citation(doc=material.source.doc, section=COST_CLAUSES[material.source.doc]))
    return sources


def material_choice(item: Ranked) -> MaterialChoice:
    """A ranked grade as the brief shows it."""
    m = item.material
    return MaterialChoice(
        grade=m.grade,
        reasons=list(item.reasons),
        hardness_reachable=reachable_text(m),
        machinability=m.machinability,
        cost_class=m.cost_class,  # type: ignore[arg-type]  # catalogue-validated low | medium | high
        sources=material_sources(m),
    )


def label(production: str) -> str:
    """A production type of the routing table as the brief writes it (`medium batch`)."""
    return production.replace("_", " ")


def production_of(facts: RequestFacts, catalog: Catalog, mass: float | None) -> tuple[Production, str | None]:
    """Volume and production type (production-types-and-equipment.md 3.1), and a question when the mass decides."""
    if facts.volume is None:
        return Production(), None
    table = catalog.production.thresholds
    if mass is not None:
        return Production(annual_volume=facts.volume, type=label(production_type(facts.volume, mass, table))), None
    types = [label(production_type(facts.volume, band.max_mass, table)) for band in table]
    middle = types[len(types) // 2]
    if len(set(types)) == 1:
        return Production(annual_volume=facts.volume, type=middle), None
    note = (
        f"What does the part weigh? At {facts.volume} a year the production type is {types[0]} for parts up to "
        f"{table[0].max_mass:g} kg and {types[-1]} for the heaviest; {middle} (a part of "
        f"{table[len(table) // 2 - 1].max_mass:g} to {table[len(table) // 2].max_mass:g} kg) was assumed."
    )
    return Production(annual_volume=facts.volume, type=middle), note


def _sources(brief: ResearchBrief) -> list[Citation]:
    refs = [s for r in brief.requirements for s in r.sources]
    refs += [Citation(doc=r.doc, section=r.section, page=r.page) for r in [*brief.standards, *brief.analogues]]
    refs += [s for m in brief.materials for s in m.sources]
    unique = dict.fromkeys((r.doc, r.section, r.page) for r in refs)
    return [Citation(doc=doc, section=section, page=page) for doc, section, page in unique]


def restate(facts: RequestFacts, texts: Sequence[str]) -> str:
    """The request in one sentence, from its own requirements (the LLM may reword it)."""
    what = f"A {facts.noun}"
    if not [q for q in facts.quantities if q.kind is not Kind.ENVIRONMENT]:
        return f"As requested: {' '.join(facts.request.request.split())[:300]}"
    stated = "; ".join(t[0].lower() + t[1:] for t in texts[:10])
    return f"{what} as requested: {stated}."


def _build_findings(facts: RequestFacts, ranked: Sequence[Ranked], clashes: Sequence[str]) -> list[Finding]:
    findings = [error(ResearchRule.CONTRADICTORY_CONSTRAINTS, c) for c in clashes]
    if not [q for q in facts.quantities if q.kind is not Kind.ENVIRONMENT]:
        findings.append(
            warning(ResearchRule.NO_QUANTITIES, "the request states no quantity (power, speed, loads, sizes, volume)")
        )
    if not ranked:
        why = f" that reaches {facts.hardness.text}" if facts.hardness else ""
        findings.append(error(ResearchRule.NO_MATERIAL, f"no catalogue material{why} is allowed by the request"))
    return findings


def build_brief(ctx: StageContext, facts: RequestFacts, approved: Sequence[Reference] = ()) -> ResearchBrief:
    """The complete brief from the tools; `approved` are analogues from approved drafts (a later stage's store)."""
    catalog = ctx.catalog
    found = find_quotes(facts, lambda query: ctx.retrieve(query))
    ranked = rank(catalog.materials, needs_of(facts, single_production(facts, catalog)))
    rough = rough_shaft(facts, ranked, catalog)
    effort, assumptions = cost_picture(ctx, rough) if rough else (None, [])
    production, mass_note = production_of(facts, catalog, part_mass(facts, rough, catalog))
    clashes = contradictions(facts, catalog.materials)
    texts = request_texts(facts)
    brief = ResearchBrief(
        request_id=facts.request.id,
        restated=restate(facts, texts),
        requirements=numbered(texts, found.requirements),
        standards=standards_of([*found.requirements, *found.standards]),
        analogues=list(approved) if found.problem else analogues(facts, lambda query: ctx.retrieve(query), approved),
        materials=[material_choice(item) for item in ranked],
        production=production,
        risks=risks(facts, ranked, production.type, clashes) + ([effort] if effort else []),
        open_questions=open_questions(facts, mass_note, clashes),
    )
    findings = _build_findings(facts, ranked, clashes)
    if found.problem:
        message = f"drafted without documents: {found.problem}; no document requirements, standards or analogues"
        findings.append(warning(ResearchRule.NO_DOCUMENTS, message))
    findings += [info(ResearchRule.ASSUMPTION, a) for a in assumptions]
    brief.findings = findings
    brief.sources = _sources(brief)
    return brief
