"""Checks of a design draft whoever wrote it (a person's edit, an LLM's wording): its sections, their sources,
the numbers they state, the BOM, and the review findings it must carry (design-review-rules.md section 12)."""

from __future__ import annotations

import re

from assistant.parts.model import PartSpec
from assistant.stages.design.build import bom
from assistant.stages.design.clauses import cite
from assistant.stages.design.model import NUMERIC_SECTIONS, DesignDraft, DesignRule, Section, SectionTitle
from assistant.stages.findings import Finding, Severity, finding

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_CITED = re.compile(r"\[[^\]]*\]")  # citation marks: their clause numbers are not statements


def numbers(text: str) -> set[float]:
    """The numbers a text states (citation marks left out), as values: `Ø40.0` and `40` are the same number."""
    return {float(n.replace(",", ".")) for n in _NUMBER.findall(_CITED.sub(" ", text))}


def _sections(draft: DesignDraft, expected: list[Section]) -> list[Finding]:
    have = {s.title.strip().lower(): s for s in draft.technical_assignment.sections}
    found = []
    for title in SectionTitle:
        section = have.get(title.value.lower())
        if section is None or not section.text.strip():
            message = f"the technical assignment has no '{title.value}' section (GOST 15.016 structure)"
            found.append(finding(Severity.WARNING, DesignRule.SECTION_MISSING, message, sources=cite("12.1")))
        elif not section.sources:
            message = f"section '{title.value}' cites no source; each section names the documents it used"
            found.append(finding(Severity.WARNING, DesignRule.SECTION_UNSOURCED, message, sources=cite("12.2")))
    allowed = {s.title: numbers(s.text) for s in expected}
    for title in NUMERIC_SECTIONS:
        section = have.get(title.value.lower())
        if section is None:
            continue
        extra = numbers(section.text) - allowed.get(title.value, set())
        if extra:
            listed = ", ".join(f"{n:g}" for n in sorted(extra)[:8])
            message = f"section '{title.value}' states {listed}, which neither the part spec nor the tools give"
            found.append(finding(Severity.WARNING, DesignRule.NUMBER_UNSUPPORTED, message, sources=cite("12.3")))
    return found


def _bom(draft: DesignDraft, part: PartSpec) -> list[Finding]:
    expected = [line.model_dump() for line in bom(part)]
    if [line.model_dump() for line in draft.bom] == expected:
        return []
    message = (
        f"the BOM has {len(draft.bom)} lines where the spec's components give {len(expected)}"
        if len(draft.bom) != len(expected)
        else "the BOM lines differ from the spec's components (position, name, quantity, material or standard)"
    )
    return [finding(Severity.WARNING, DesignRule.BOM_MISMATCH, message, sources=cite("12.4"))]


def _dropped(draft: DesignDraft, review: list[Finding]) -> list[Finding]:
    carried = {(f.rule, f.feature) for f in draft.findings}
    found = []
    for item in review:
        if item.severity == Severity.INFO or (item.rule, item.feature) in carried:
            continue
        where = f" on {item.feature}" if item.feature else ""
        message = f"the draft does not carry the {item.severity} {item.rule}{where} that the review raises"
        found.append(
            finding(Severity.WARNING, DesignRule.FINDING_MISSING, message, feature=item.feature, sources=cite("12.5"))
        )
    return found


def audit(draft: DesignDraft, part: PartSpec, expected: list[Section], review: list[Finding]) -> list[Finding]:
    """Findings on the draft itself: missing or unsourced sections, unsupported numbers, BOM, dropped findings."""
    return _sections(draft, expected) + _bom(draft, part) + _dropped(draft, review)
