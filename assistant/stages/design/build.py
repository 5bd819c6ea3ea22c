"""The technical assignment and the BOM from the part spec, the tools and retrieval (no LLM): complete plain text,
each section with the sources it used, in the section structure of GOST 15.016 where it applies to a part."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.citation import Citation
from assistant.engineering.requirements import DEFAULT_IT, DEFAULT_RA, fit_grade
from assistant.parts.model import Component, Feature, PartSpec
from assistant.retrieval.models import Passage
from assistant.stages.design.model import BomLine, Section, SectionTitle
from assistant.stages.design.review import Review

CAPABILITY = Citation(doc="process-capability.md", section="10.5")


def _cite(doc: str, section: str) -> Citation:
    return Citation(doc=doc, section=section)


def _words(text: str) -> str:
    return text.replace("_", " ")


def unique(citations: Iterable[Citation]) -> list[Citation]:
    """Citations without repeats, in first-seen order."""
    seen = dict.fromkeys((c.doc, c.section, c.page) for c in citations)
    return [Citation(doc=doc, section=section, page=page) for doc, section, page in seen]


# ---- Purpose and scope


def purpose(part: PartSpec, review: Review) -> Section:
    """What the part is, how many are made, and what its features do."""
    facts = review.facts
    functions = [f"{f.id} {_words(f.function)}" for f in part.features if f.function]
    does = (
        f"Functions of its surfaces: {', '.join(functions)}."
        if functions
        else "The specification names no surface functions; the designer states what each surface does in the assembly."
    )
    text = (
        f"{part.name} {part.id} is a {_words(part.kind)} of {facts.material.grade}, made at {part.annual_volume} "
        f"pieces a year in batches of {facts.batch_size} ({_words(facts.production)} production). {does} "
        f"This assignment covers the part as specified in {len(part.features)} machined features; the "
        "technological route is drafted by the routing stage from the same specification."
    )
    sources = [_cite("tpp-stages.md", "4.1"), _cite("production-types-and-equipment.md", "3.1")]
    return Section(title=SectionTitle.PURPOSE, text=text, sources=sources)


# ---- Technical requirements


def _size(feature: Feature) -> str:
    if feature.type in {"external_thread", "internal_thread", "spline"} and feature.designation:
        return feature.designation
    if feature.type == "gear_teeth":
        parts = [f"m {feature.module:g}" if feature.module else "", f"z {feature.teeth}" if feature.teeth else ""]
        return ", ".join(p for p in parts if p)
    if feature.type == "plane" and feature.length and feature.width:
        return f"{feature.length:g} x {feature.width:g}"
    if feature.type in {"keyway", "slot", "groove"} and feature.width:
        return f"width {feature.width:g}"
    return f"Ø{feature.diameter:g}" if feature.diameter else ""


def _grade(feature: Feature) -> str:
    if feature.type == "gear_teeth":
        return ""  # the accuracy grade follows the size (describe)
    if feature.fit:
        return f"{feature.fit} (IT{fit_grade(feature.fit)})"
    return f"IT{feature.it}" if feature.it else ""


def describe(feature: Feature) -> str:
    """One line of the technical requirements: `F1 external cylinder Ø40 h6 (IT6), Ra 0.8 µm, length 60 ...`."""
    head = " ".join(x for x in (feature.id, _words(feature.type), _size(feature), _grade(feature)) if x)
    extra = [
        f"accuracy grade {feature.accuracy} (GOST 1643)" if feature.accuracy else "",
        f"Ra {feature.ra:g} µm" if feature.ra else "",
        f"length {feature.length:g}" if feature.length and feature.type != "plane" else "",
        f"face width {feature.face_width:g}" if feature.face_width else "",
        f"depth {feature.depth:g}" if feature.depth else "",
        "through" if feature.through else "",
        f"flatness {feature.flatness:g}" if feature.flatness else "",
        f"{feature.count} places" if feature.count > 1 else "",
        _words(feature.function) if feature.function else "",
    ]
    return ", ".join([head, *(x for x in extra if x)]) + "."


def requirements(part: PartSpec, review: Review) -> Section:
    """Dimensions, tolerances, roughness and hardness, feature by feature, from the spec only."""
    lines = [describe(f) for f in part.features]
    if part.hardness:
        lines.append(f"Hardness {part.hardness}.")
    if part.notes:
        lines.append(f"Notes of the specification: {part.notes.strip()}")
    lines.append(
        f"Unspecified limit deviations: H{DEFAULT_IT}, h{DEFAULT_IT}, ±IT{DEFAULT_IT}/2; unspecified roughness "
        f"Ra {DEFAULT_RA:g} µm."
    )
    types = {f.type for f in part.features}
    sources = [_cite("tolerances-and-fits.md", "3.8"), _cite("surface-roughness-parameters.md", "7.4"), CAPABILITY]
    if types & {"external_thread", "internal_thread"}:
        sources.append(_cite("threads-metric.md", "4.3"))
    if "keyway" in types:
        sources.append(_cite("keys-and-keyways.md", "5.2"))
    if "gear_teeth" in types:
        sources.append(_cite("chains-gear-teeth.md", "2.1"))
    if part.hardness:
        sources.append(_cite("eskd-documents.md", "6.3"))
    return Section(title=SectionTitle.REQUIREMENTS, text="\n".join(lines), sources=sources)


# ---- Material and blank


def material(part: PartSpec, review: Review) -> Section:
    """The grade, its equivalents, the blank the route starts from, and the heat treatment the hardness needs."""
    facts = review.facts
    grade = facts.material
    latin = [a for a in grade.aliases if a.isascii() and any(c.isalpha() for c in a)][:3]
    known = f" ({', '.join(latin)})" if latin else ""
    lines = [f"Material: {grade.grade}{known}, {_words(grade.group)}."]
    if not facts.material_known:
        lines.append("The grade is not in the material catalogue; its properties are to be confirmed.")
    elif grade.max_hrc is not None:
        lines.append(f"Hardening: {_words(grade.hardening)}, up to about HRC {grade.max_hrc:g}.")
    blank = review.route.blank
    given = "" if part.blank else " (assumed: the specification names none)"
    lines.append(f"Blank: {_words(facts.blank_kind)}{given}.")
    if blank is not None:
        mass = f", {blank.mass_kg:g} kg" if blank.mass_kg else ""
        share = f", material utilisation {blank.utilisation:g}" if blank.utilisation else ""
        lines.append(f"The route draft starts from {blank.size}{mass}{share}.")
    if facts.treatment:
        treatment = review.catalog.heat_treatments.get(facts.treatment)
        name = treatment.name if treatment else _words(facts.treatment)
        lines.append(f"Heat treatment to reach {part.hardness}: {name.lower()}.")
    sources = [_cite(grade.source.doc, grade.source.section or ""), _cite("blanks.md", "3.1.1")]
    if facts.treatment:
        sources.append(_cite("heat-treatment.md", "7.4"))
    return Section(title=SectionTitle.MATERIAL, text=" ".join(lines), sources=sources)


# ---- Operating conditions and reliability

_DUTY = {
    "bearing_seat": ("carry rolling bearings: interference on the inner ring, ground seats", "6.2"),
    "press_fit": ("transmit load by interference", "5.9"),
    "sliding_fit": ("slide or rotate on a clearance fit", "5.5"),
    "sealing": ("run under seals: roughness and hardness govern wear and leakage", "6.6"),
    "locating": ("locate the mating parts", "5.6"),
    "keyed_joint": ("transmit torque through a key", "5.7"),
}


def operation(part: PartSpec, review: Review) -> Section:
    """What the surfaces do in service, from their functions and the hardness; what the designer must add."""
    lines = []
    sources = [_cite("tpp-stages.md", "4.1")]
    for function, (duty, clause) in _DUTY.items():
        ids = [f.id for f in part.features if f.function == function]
        if ids:
            lines.append(f"{', '.join(ids)} {duty}.")
            sources.append(_cite("tolerances-and-fits.md", clause))
    gears = [f.id for f in part.features if f.type == "gear_teeth"]
    if gears:
        lines.append(
            f"{', '.join(gears)}: gear teeth in mesh; contact and bending strength set the accuracy and hardness."
        )
    if part.hardness:
        lines.append(f"Wear resistance and strength are provided by the hardness {part.hardness}.")
        sources.append(_cite("design-for-manufacture.md", "7.1"))
    lines.append(
        "Loads, speeds, operating environment and the required service life are not in the part specification: "
        "the designer states them here before the assignment is approved."
    )
    return Section(title=SectionTitle.OPERATION, text=" ".join(lines), sources=sources)


# ---- Applicable standards

_STANDARDS: dict[str, tuple[str, Citation]] = {
    "assignment": ("GOST 15.016: technical assignment", _cite("tpp-stages.md", "4.1")),
    "drawing": ("GOST 2.109, GOST 2.309: part drawing, roughness on drawings", _cite("eskd-documents.md", "6.1")),
    "fits": ("ISO 286-1, ISO 286-2 (GOST 25346, GOST 25347): limits and fits", _cite("tolerances-and-fits.md", "3.8")),
    "general": ("ISO 2768-1 (GOST 30893.1): general tolerances", _cite("tolerances-and-fits.md", "7.1")),
    "roughness": ("ISO 1302, GOST 2789: surface roughness", _cite("surface-roughness-parameters.md", "7.1")),
    "thread": ("ISO 261 (GOST 8724), ISO 965-1 (GOST 16093): metric threads", _cite("threads-metric.md", "3.1")),
    "keyway": ("GOST 23360 (ISO 773, DIN 6885-1): parallel keys and keyways", _cite("keys-and-keyways.md", "3.2")),
    "gear": ("GOST 1643 (ISO 1328-1): accuracy of cylindrical gears", _cite("chains-gear-teeth.md", "2.1")),
    "spline": ("GOST 1139 (ISO 14), GOST 6033 (ISO 4156): splines", _cite("splines.md", "1.1")),
    "hardness": ("GOST 9013 (ISO 6508): Rockwell hardness test", _cite("heat-treatment.md", "11.1")),
}
_STANDARD = re.compile(r"\b(?:GOST|ISO|DIN)\s+\d+(?:\.\d+)*(?:-\d+)?\b")


def _rule_standards(part: PartSpec) -> list[str]:
    types = {f.type for f in part.features}
    keys = ["assignment", "drawing", "general", "roughness"]
    keys += ["fits"] if any(f.fit or f.it for f in part.features) else []
    keys += ["thread"] if types & {"external_thread", "internal_thread"} else []
    keys += [k for k, t in (("keyway", "keyway"), ("gear", "gear_teeth"), ("spline", "spline")) if t in types]
    keys += ["hardness"] if part.hardness else []
    return keys


def standards(part: PartSpec, review: Review, passages: list[Passage]) -> Section:
    """The standards the spec's features call for, then those the retrieved documents name (with their clause)."""
    keys = _rule_standards(part)
    lines = [f"- {_STANDARDS[k][0]}" for k in keys]
    sources = [_STANDARDS[k][1] for k in keys]
    listed = {m for k in keys for m in _STANDARD.findall(_STANDARDS[k][0])}
    for passage in passages:
        found = [s for s in dict.fromkeys(_STANDARD.findall(passage.text)) if s not in listed]
        if found:
            listed.update(found)
            lines.append(f"- {', '.join(found)} (named in {passage.citation.label()})")
            sources.append(passage.citation)
    return Section(title=SectionTitle.STANDARDS, text="\n".join(lines), sources=unique(sources))


# ---- Acceptance and tests


def acceptance(part: PartSpec, review: Review) -> Section:
    """How each requirement is verified, and where the route draft inspects the part."""
    fine = [
        f"{f.id} {f.fit or f'IT{f.it}'}" for f in part.features if (f.it or 99) <= 7 and f.type not in {"gear_teeth"}
    ]
    lines = ["Dimensions: universal measuring instruments for IT8 and coarser."]
    sources = [_cite("route-review-rules.md", "9.6")]
    if fine:
        lines.append(f"Limit gauges or indicating instruments set to the class for {', '.join(fine)}.")
        sources.append(_cite("route-review-rules.md", "9.5"))
    threads = [f"{f.id} {f.designation}" for f in part.features if f.type.endswith("thread") and f.designation]
    if threads:
        lines.append(f"Threads with ring or plug gauges of their class: {', '.join(threads)}.")
    if any(f.ra for f in part.features):
        lines.append("Roughness by comparison specimens or a profilometer (GOST 2789).")
        sources.append(_cite("surface-roughness-parameters.md", "3.2"))
    if part.hardness:
        lines.append(f"Hardness {part.hardness} on 5-10 % of the batch, not fewer than 3 parts, after heat treatment.")
        sources.append(_cite("heat-treatment.md", "11.5"))
    final = review.operations(kinds={"inspection"})
    if final:
        lines.append(f"Acceptance: operation {final[-1].label} of the route draft.")
    return Section(title=SectionTitle.ACCEPTANCE, text=" ".join(lines), sources=sources)


def sections(part: PartSpec, review: Review, passages: list[Passage]) -> list[Section]:
    """The technical assignment's sections, complete from the spec, the tools and the passages."""
    return [
        purpose(part, review),
        requirements(part, review),
        material(part, review),
        operation(part, review),
        standards(part, review, passages),
        acceptance(part, review),
    ]


def bom_line(component: Component) -> BomLine:
    """A BOM line of a component; the note is its standard."""
    return BomLine(
        position=component.position,
        name=component.name,
        quantity=component.quantity,
        material=component.material,
        note=component.standard,
    )


def bom(part: PartSpec) -> list[BomLine]:
    """The bill of materials from the spec's components (empty for a single part without components)."""
    return [bom_line(c) for c in sorted(part.components, key=lambda c: c.position)]
