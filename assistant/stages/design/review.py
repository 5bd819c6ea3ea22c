"""What the design review works on: the part's facts, the catalogues, and the routing draft that says what a
requirement costs (the operations it forces), read through the routing contract's JSON, not its classes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.catalog import Catalog
from assistant.engineering import dfm
from assistant.engineering.fits import LimitsTable
from assistant.engineering.heat import hardens
from assistant.engineering.requirements import THREAD_TYPES
from assistant.engineering.routing import Condition
from assistant.engineering.types import Process, Requirement
from assistant.parts.facts import PartFacts


class RouteOperation(BaseModel):
    """An operation of the routing draft, as the design stage reads it (PART_SPEC.md, "Routing draft")."""

    model_config = ConfigDict(extra="ignore")
    number: str
    name: str
    kind: str
    stage: str | None = None
    features: list[str] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """`060 Finish cylindrical grinding`."""
        return f"{self.number} {self.name}"


class RouteBlank(BaseModel):
    """The blank line of the routing draft."""

    model_config = ConfigDict(extra="ignore")
    kind: str
    size: str
    mass_kg: float | None = None
    utilisation: float | None = None


class RouteView(BaseModel):
    """The routing draft's operations and blank."""

    model_config = ConfigDict(extra="ignore")
    blank: RouteBlank | None = None
    operations: list[RouteOperation] = Field(default_factory=list)


def route_view(draft: BaseModel | dict[str, Any]) -> RouteView:
    """The routing draft read through its JSON contract (a stage never imports another stage's classes)."""
    data = draft.model_dump(mode="json") if isinstance(draft, BaseModel) else draft
    return RouteView.model_validate(data)


@dataclass(frozen=True)
class Review:
    """Everything a design check reads: facts, catalogues, ISO 286 tables and the routing draft."""

    facts: PartFacts
    catalog: Catalog
    limits: LimitsTable
    route: RouteView

    def condition(self, feature_id: str) -> Condition:
        """The routing condition of one feature (material group, production, shape, hardened state)."""
        facts = self.facts
        return Condition(
            facts.group,
            facts.production,
            facts.part.rotational,
            facts.part.kind,
            facts.is_hardened(feature_id),
            hardens(facts.treatment),
            facts.treatment == "nitriding",
            facts.cored_above,
        )

    def operations(self, feature_id: str | None = None, kinds: Iterable[str] = ()) -> list[RouteOperation]:
        """Operations of the route on the feature (all when None), of the given kinds (any when empty)."""
        wanted = set(kinds)
        return [
            op
            for op in self.route.operations
            if (feature_id is None or feature_id in op.features) and (not wanted or op.kind in wanted)
        ]

    def forced(self, feature_id: str, steps: tuple[Process, ...]) -> str:
        """What extra chain steps cost: the route's operations doing them on the feature, or the steps' names."""
        if not steps:
            return ""
        names = ", ".join(step.name.lower() for step in steps)
        ops = [
            op
            for op in self.operations(feature_id)
            if any(op.kind == s.kind and (op.stage in {None, s.stage}) for s in steps)
        ] or self.operations(feature_id, {s.kind for s in steps})
        where = f" (operation {', '.join(op.label for op in ops)} of the route draft)" if ops else ""
        return f"it adds {names}{where}"

    def made_by(self, feature_id: str) -> str:
        """`made by 030 Drilling, 035 Reaming in the route draft`, or '' when the route has no operation for it."""
        ops = self.operations(feature_id)
        return f"the route draft makes it in {', '.join(op.label for op in ops)}" if ops else ""

    def extra_steps(self, requirement: Requirement, relaxed: Requirement) -> tuple[Process, ...]:
        """Chain steps the requirement forces beyond what the relaxed requirement needs."""
        options = self.catalog.chains.get(requirement.feature_type, ())
        condition = self.condition(requirement.feature_id)
        return dfm.extra_steps(requirement, relaxed, options, self.catalog.processes, condition)

    def finest(self, requirement: Requirement) -> dfm.Finest | None:
        """The finest grade a chain of the catalogue reaches on the feature on a catalogue machine."""
        options = self.catalog.chains.get(requirement.feature_type, ())
        condition = self.condition(requirement.feature_id)
        # a thread's class digit is not an IT grade: the machines' IT limits do not bound it (route-review-rules 2.4)
        machines = () if requirement.feature_type in THREAD_TYPES else self.catalog.machines
        return dfm.finest_grade(requirement, options, self.catalog.processes, condition, machines)
