"""Where every number of a plan comes from: the clauses of the knowledge base each section's formulas follow."""

from __future__ import annotations

from assistant.citation import Citation
from assistant.engineering.costing import COSTING_DOC
from assistant.engineering.lean import KANBAN_DOC, TAKT_DOC
from assistant.engineering.scheduling import SCHEDULING_DOC
from assistant.engineering.simulation import SIMULATION_DOC
from assistant.stages.organization.five_s import FIVE_S_DOC
from assistant.stages.organization.model import OrgRule
from assistant.stages.organization.plan import OrgPlan

WORKPLACE_DOC = "workplace-and-supply-planning.md"

Group = tuple[str, tuple[str, ...]]

# (document, clauses) per section of the plan, in the order the plan shows them
TAKT: Group = (TAKT_DOC, ("2.1", "2.2", "3.4", "4", "5.2", "5.3"))
OVER_TAKT: Group = (TAKT_DOC, ("6.1", "6.2"))
SALBP: Group = (TAKT_DOC, ("3.2", "3.5"))
EQUIPMENT: tuple[Group, ...] = ((TAKT_DOC, ("6.1", "7.2")), (WORKPLACE_DOC, ("3.5", "3.7")))
KANBAN: tuple[Group, ...] = ((KANBAN_DOC, ("4.1",)),)
SUPPLY: tuple[Group, ...] = ((WORKPLACE_DOC, ("6.3",)), (KANBAN_DOC, ("4.5",)))
SCHEDULE: Group = (SCHEDULING_DOC, ("6.2", "6.6"))
SCHEDULE_METHOD = {"Johnson's rule": "6.3", "NEH": "6.4", "CP-SAT": "6.5"}
COST: Group = (COSTING_DOC, ("7.2", "7.3", "7.4", "7.5", "7.6"))
BREAK_EVEN: Group = (COSTING_DOC, ("7.7",))
SIMULATION: Group = (SIMULATION_DOC, ("2.2", "2.5", "3.1", "3.3", "3.5", "4.1"))
FIVE_S: Group = (FIVE_S_DOC, ("5.1",))


def _cite(doc: str, clauses: tuple[str, ...]) -> list[Citation]:
    return [Citation(doc=doc, section=clause) for clause in clauses]


def _sections(plan: OrgPlan) -> list[Group]:
    """The clause groups of each optional section the plan has."""
    groups: list[Group] = []
    if plan.equipment:
        groups += EQUIPMENT
    if plan.kanban:
        groups += KANBAN
    if plan.supply:
        groups += SUPPLY
    if plan.schedule:
        method = next((c for name, c in SCHEDULE_METHOD.items() if plan.schedule.method.startswith(name)), None)
        groups.append((SCHEDULE[0], SCHEDULE[1] + ((method,) if method else ())))
    if plan.cost:
        groups += [COST, BREAK_EVEN] if plan.cost.break_even else [COST]
    groups += [SIMULATION] if plan.simulation else []
    groups += [FIVE_S] if plan.five_s else []
    return groups


def plan_sources(plan: OrgPlan) -> list[Citation]:
    """The clauses behind the plan's takt, balance, equipment and each optional section it has."""
    groups = [TAKT]
    if any(f.rule == OrgRule.ELEMENT_OVER_TAKT for f in plan.findings):
        groups.append(OVER_TAKT)
    if plan.salbp2:
        groups.append(SALBP)
    seen: dict[tuple[str, str | None], Citation] = {}
    for doc, clauses in groups + _sections(plan):
        for citation in _cite(doc, clauses):
            seen.setdefault((citation.doc, citation.section), citation)
    return list(seen.values())
