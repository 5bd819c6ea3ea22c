"""The clauses of design-review-rules.md a design finding cites, with the documents each rests on."""

from __future__ import annotations

from assistant.citation import Citation
from assistant.stages.design.model import DesignRule
from assistant.stages.findings import Finding, Severity, finding

RULES_DOC = "design-review-rules.md"
# The documents each clause of design-review-rules.md rests on (cited with it)
BASIS: dict[str, tuple[tuple[str, str], ...]] = {
    "2.2": (("surface-roughness-parameters.md", "7.4"),),
    "3.1": (("design-for-manufacture.md", "7.1"), ("heat-treatment.md", "7.4")),
    "3.2": (("design-for-manufacture.md", "7.2"), ("heat-treatment.md", "7.4")),
    "4.1": (("blanks.md", "3.1.1"), ("design-for-manufacture.md", "6.1")),
    "4.2": (("blanks.md", "3.2.2"), ("production-types-and-equipment.md", "3.1")),
    "4.3": (("blanks.md", "3.2.1"), ("blanks.md", "3.3.2")),
    "4.4": (("blanks.md", "3.2.3"), ("blanks.md", "3.2.4")),
    "5.1": (("design-review-checklist.md", "4.7"), ("route-review-rules.md", "8.1")),
    "6.2": (("design-for-manufacture.md", "3.1"),),
    "6.3": (("design-for-manufacture.md", "3.2"),),
    "7.2": (("threads-metric.md", "3.6"),),
    "8.2": (("keys-and-keyways.md", "3.4"),),
    "9.1": (("design-review-checklist.md", "5.2"), ("process-capability.md", "10.7")),
    "9.2": (("design-review-checklist.md", "5.3"), ("process-capability.md", "10.7")),
    "10.2": (("tolerances-and-fits.md", "3.8"),),
    "11.2": (("tolerances-and-fits.md", "5.9"),),
    "11.3": (("tolerances-and-fits.md", "6.2"),),
}


def cite(section: str) -> list[Citation]:
    """The clause of design-review-rules.md, then the clauses of the documents it rests on."""
    return [Citation(doc=RULES_DOC, section=section), *(Citation(doc=d, section=s) for d, s in BASIS.get(section, ()))]


def at(severity: Severity, rule: DesignRule, message: str, feature: str | None, section: str) -> Finding:
    """A review finding citing the clause of design-review-rules.md and what it rests on."""
    return finding(severity, rule, message, feature=feature, sources=cite(section))


def join(*parts: str) -> str:
    """The non-empty parts of a finding's message (what, fix, cost), one sentence each."""
    return "; ".join(p for p in parts if p)
