"""Checks of a research brief, whoever wrote it (the tools, an LLM, a person), against its request."""

from __future__ import annotations

from assistant.catalog import Catalog
from assistant.engineering.production import production_type
from assistant.engineering.requests import quantity_keys
from assistant.engineering.types import Material
from assistant.stages.base import StageContext
from assistant.stages.findings import Finding, error, finding, warning
from assistant.stages.findings import Severity as S
from assistant.stages.research.documents import claim_of, contains, lead_of
from assistant.stages.research.facts import RequestFacts, allowed_numbers, numbers, single_production
from assistant.stages.research.materials import exclusions
from assistant.stages.research.model import ResearchBrief, ResearchRule
from assistant.stages.research.review import needs_of

R = ResearchRule
_EXCLUSION_RULES = {
    "constraint": (S.ERROR, R.MATERIAL_EXCLUDED),
    "heat": (S.ERROR, R.MATERIAL_EXCLUDED),
    "blank": (S.WARNING, R.MATERIAL_EXCLUDED),
    "duty": (S.WARNING, R.MATERIAL_EXCLUDED),
    "treatment": (S.WARNING, R.MATERIAL_EXCLUDED),
    "hardness": (S.ERROR, R.MATERIAL_HARDNESS),
}


def check_numbering(brief: ResearchBrief) -> list[Finding]:
    """Requirements are numbered 1..n in order, each number once."""
    numbers_ = [r.n for r in brief.requirements]
    expected = list(range(1, len(numbers_) + 1))
    if numbers_ == expected:
        return []
    shown = ", ".join(map(str, numbers_[:20]))
    return [error(R.NUMBERING, f"requirements are numbered {shown}; expected 1..{len(expected)} in order, each once")]


def check_quantities(brief: ResearchBrief, facts: RequestFacts) -> list[Finding]:
    """Every quantity of the request appears in some requirement (the same kind and values, however worded)."""
    covered = set().union(*(quantity_keys(r.text) for r in brief.requirements)) if brief.requirements else set()
    return [
        error(R.QUANTITY_MISSING, f"the request's {q.kind.value} '{q.text}' is in no requirement")
        for q in facts.quantities
        if q.key not in covered
    ]


def check_numbers(brief: ResearchBrief, facts: RequestFacts) -> list[Finding]:
    """Numbers a requirement states outside its quote come from the request or from the tools."""
    allowed = allowed_numbers(facts)
    found = []
    for r in brief.requirements:
        own = lead_of(r.text) if r.origin == "document" else r.text
        extra = sorted(n for n in numbers(own) if n not in allowed and abs(n) not in allowed)
        if extra:
            shown = ", ".join(f"{n:g}" for n in extra)
            found.append(
                warning(
                    R.NUMBER_NOT_IN_REQUEST,
                    f"requirement {r.n} states {shown}, which neither the request nor the tools give",
                )
            )
    return found


def check_sources(ctx: StageContext, brief: ResearchBrief) -> list[Finding]:
    """Document requirements have sources, and each cited passage holds the claim (the passage is looked up again)."""
    found: list[Finding] = []
    problem: str | None = None
    for r in brief.requirements:
        if r.origin != "document":
            continue
        if not r.sources:
            found.append(error(R.DOCUMENT_UNSOURCED, f"requirement {r.n} comes from a document but cites none"))
            continue
        claim = claim_of(r.text)
        retrieved = ctx.retrieve(claim, k=8) if problem is None else None
        if retrieved is None or retrieved.problem:
            problem = problem or (retrieved.problem if retrieved else None)
            continue
        for source in r.sources:
            passages = [
                p
                for p in retrieved.passages
                if p.doc == source.doc and (source.section is None or source.section in {p.section, *p.clauses})
            ]
            if not any(contains(p, claim) for p in passages):
                found.append(
                    error(R.CLAIM_NOT_IN_SOURCE, f"requirement {r.n}: {source.label()} does not say “{claim[:120]}”")
                )
    if problem:
        message = f"the sources of the document requirements could not be looked up: {problem}"
        found.append(warning(R.SOURCE_UNVERIFIED, message))
    return found


def catalogue_material(grade: str, catalog: Catalog) -> Material | None:
    """A catalogue material by grade or alias (case aside)."""
    wanted = grade.strip().casefold()
    return next((m for m in catalog.materials if wanted in {n.casefold() for n in (m.grade, *m.aliases)}), None)


def check_materials(brief: ResearchBrief, facts: RequestFacts, catalog: Catalog) -> list[Finding]:
    """Proposed materials are catalogue grades the request allows, that reach its hardness, with their true values."""
    needs = needs_of(facts, single_production(facts, catalog))
    found = []
    for choice in brief.materials:
        material = catalogue_material(choice.grade, catalog)
        if material is None:
            found.append(error(R.MATERIAL_UNKNOWN, f"{choice.grade} is not a grade of the materials catalogue"))
            continue
        for what, reason in exclusions(material, needs):
            severity, rule = _EXCLUSION_RULES[what]
            found.append(finding(severity, rule, f"{choice.grade} may not be proposed: {reason}"))
        if (choice.machinability, choice.cost_class) != (material.machinability, material.cost_class):
            found.append(
                warning(
                    R.MATERIAL_PROPERTIES,
                    f"{choice.grade}: machinability {choice.machinability:g} and cost class {choice.cost_class} "
                    f"differ from the catalogue ({material.machinability:g}, {material.cost_class})",
                )
            )
    return found


def production_labels(catalog: Catalog) -> list[str]:
    """The production types of the routing stage's table, as the brief writes them."""
    return [t.replace("_", " ") for t in catalog.production.order]


def check_production(brief: ResearchBrief, facts: RequestFacts, catalog: Catalog) -> list[Finding]:
    """The volume is the request's, and the type is one the table gives for that volume at some part mass."""
    production = brief.production
    found = []
    if facts.volume is not None and production.annual_volume != facts.volume:
        found.append(
            error(R.PRODUCTION_TYPE, f"annual volume {production.annual_volume} but the request says {facts.volume}")
        )
    if production.type is None:
        return found
    if production.type not in production_labels(catalog):
        known = ", ".join(production_labels(catalog))
        return [*found, error(R.PRODUCTION_TYPE, f"production type '{production.type}' is not one of {known}")]
    if production.annual_volume is not None:
        table = catalog.production.thresholds
        possible = {production_type(production.annual_volume, b.max_mass, table).replace("_", " ") for b in table}
        if production.type not in possible:
            found.append(
                error(
                    R.PRODUCTION_TYPE,
                    f"{production.annual_volume} a year is {' or '.join(sorted(possible))} production at any part "
                    f"mass, not {production.type} (production-types-and-equipment.md 3.1)",
                )
            )
    return found


def check_research(ctx: StageContext, brief: ResearchBrief, facts: RequestFacts) -> list[Finding]:
    """Every check's findings on a brief against the request it answers."""
    return [
        *check_numbering(brief),
        *check_quantities(brief, facts),
        *check_numbers(brief, facts),
        *check_sources(ctx, brief),
        *check_materials(brief, facts, ctx.catalog),
        *check_production(brief, facts, ctx.catalog),
    ]
