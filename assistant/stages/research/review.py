"""What a request leaves open or makes risky: contradictions, risks and the questions to ask the customer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.engineering.requests import Kind
from assistant.engineering.types import Material
from assistant.stages.research.facts import RequestFacts
from assistant.stages.research.materials import SEVERE, WEATHER, Needs, Ranked, treatment_for

HIGH_VOLUME = frozenset({"large batch", "mass"})
_TIGHT = re.compile(r"\bIT\s?[1-6]\b|(?<![A-Za-z])(?:[a-z]{1,2}|[A-Z]{1,2})[1-6](?![\d.])")


def needs_of(facts: RequestFacts, single: bool = False) -> Needs:
    """What the request asks of the material, for materials.rank; `single`: single production."""
    return Needs(
        hardness=facts.hardness,
        surface=facts.surface_implied,
        load=facts.load,
        environment=frozenset(facts.environment),
        kind=facts.kind,
        limits=facts.limits,
        named=facts.named_grades,
        antifriction=facts.antifriction,
        single=single,
        blank=facts.blank,
        treatment=facts.treatment,
    )


def _group_names(groups: frozenset[str]) -> str:
    return ", ".join(sorted(g.replace("_", " ") for g in groups))


def contradictions(facts: RequestFacts, materials: Sequence[Material]) -> list[str]:
    """Demands of the request that cannot all hold."""
    found = []
    text_volumes = sorted({round(q.low) for q in facts.of(Kind.VOLUME)})
    if facts.request.annual_volume is not None and text_volumes and facts.request.annual_volume not in text_volumes:
        found.append(
            f"annual_volume {facts.request.annual_volume} differs from the volume the text states "
            f"({', '.join(map(str, text_volumes))} a year)"
        )
    elif len(text_volumes) > 1:
        found.append(f"the text states several annual volumes ({', '.join(map(str, text_volumes))})")
    limits = facts.limits
    if limits.contested:
        found.append(f"the request names {_group_names(limits.contested)}, which the constraints exclude")
    for blank in sorted(limits.blank_contested):
        found.append(f"the request asks for a {blank} blank (cast, forged or welded), and the constraints exclude it")
    hardness = facts.hardness
    if hardness is not None and limits.no_heat_treatment:
        soft = [m for m in materials if treatment_for(m, hardness) in {(True, None), (True, "normalizing")}]
        if not soft:
            found.append(f"{hardness.text} needs a heat treatment, which the constraints exclude")
    named = limits.named | limits.only
    if hardness is not None and named:
        reach = [m for m in materials if m.group in named and treatment_for(m, hardness)[0]]
        if not reach:
            found.append(f"no {_group_names(named)} grade of the catalogue reaches {hardness.text}")
    for grade in facts.named_grades:
        material = next(m for m in materials if m.grade == grade)
        if hardness is not None and not treatment_for(material, hardness)[0]:
            found.append(f"the request names {grade}, which cannot reach {hardness.text}")
    return found


def _tight(facts: RequestFacts) -> bool:
    roughness = [q for q in facts.of(Kind.ROUGHNESS) if q.low <= 0.8]
    return bool(facts.bearings or roughness or _TIGHT.search(facts.request.request))


def risks(facts: RequestFacts, ranked: Sequence[Ranked], production: str | None, clashes: Sequence[str]) -> list[str]:
    """What could go wrong with the part as requested, each with what to do about it."""
    found = [f"Contradiction: {c}; resolve it with the customer before design." for c in clashes]
    if facts.load is None:
        found.append(
            "No load is stated: the materials are screened for a medium load; check strength once loads are known."
        )
    exposed = sorted(set(facts.environment) & (SEVERE | WEATHER))
    if ranked and exposed and ranked[0].material.group != "stainless":
        top = ranked[0].material.grade
        found.append(
            f"{', '.join(exposed).capitalize()} service with {top}: a protective coating (paint, zinc) is needed, "
            "or a stainless grade where the constraints and the hardness allow one."
        )
    if production in HIGH_VOLUME and _tight(facts):
        found.append(
            f"Tight tolerances at {production} volume: the fine surfaces (bearing seats, IT6, Ra 0.8 or finer) need "
            "capable processes with in-process gauging and statistical control."
        )
    for q in facts.of(Kind.TEMPERATURE):
        if q.high > 150 or q.low < -40:
            found.append(
                f"Operating temperature {q.text}: check the strength and toughness of the grade at that temperature."
            )
    if "shock loads" in facts.environment:
        found.append("Shock loads: prefer tough improved or case-hardened grades to a fully through-hardened one.")
    if facts.hardness is not None and not ranked:
        found.append(f"No catalogue grade reaches {facts.hardness.text} within the constraints.")
    return found


def open_questions(facts: RequestFacts, production_note: str | None, clashes: Sequence[str] = ()) -> list[str]:
    """What to ask the customer before design starts: first, which of two conflicting demands holds."""
    found = [f"Which demand holds? {c[0].upper()}{c[1:]}." for c in clashes]
    if facts.kind is None:
        found.append("What kind of part is it (shaft, gear, housing, bracket ...)? The blank kind was not screened.")
    if facts.load is None:
        found.append("What loads does the part carry (power and speed, torque, or forces)?")
    if facts.torque_at_input and facts.torque_nm is not None:
        found.append(
            f"What is the output speed (or the reduction ratio)? The stated speed is the input's: the part's torque is "
            f"larger than the {facts.torque_nm:.0f} N·m at the input by the ratio; a medium load was assumed."
        )
    if not facts.environment:
        found.append("Where does the part work: indoors or outdoors, in which media, at what temperature?")
    if facts.volume is None:
        found.append("What is the annual volume? The production type cannot be set without it.")
    elif facts.volume_source == "count":
        found.append(
            f"Is {facts.volume} pieces the annual volume or a one-off order? It was taken as the annual volume."
        )
    if facts.hardness is not None and not (facts.limits.named or facts.limits.only or facts.named_grades):
        found.append(
            f"Which material class is acceptable for {facts.hardness.text}? The brief proposes catalogue grades."
        )
    if facts.surface_implied and facts.hardness is None:
        found.append("What hardness range (and case depth) do the working surfaces need?")
    if not facts.of(Kind.LENGTH) and not facts.bearings:
        found.append("What are the main sizes (diameters, length, overall envelope)?")
    if production_note:
        found.append(production_note)
    return found
