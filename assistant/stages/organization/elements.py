"""The work elements of a line: the plan's `operations`, or the operations of a routing draft (in order, each after
the previous one), with the machine-hour rates the equipment catalogue knows.

A routing draft is read as JSON (`routing:` of a plan, `schedule.jobs[].routing`) or taken from the routing stage
through the context (break-even); only the fields used here are read, so the routing stage's model is not imported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.catalog import Catalog
from assistant.engineering.precedence import Element
from assistant.errors import InputError
from assistant.stages.organization.loading import check_precedence
from assistant.stages.organization.model import OrgInput


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class RouteEquipment(_Loose):
    """The machine of a route operation."""

    model: str


class RouteOperation(_Loose):
    """What the organizational stage reads of a route operation: number, name, machine, setup and piece time."""

    number: str
    name: str = ""
    equipment: RouteEquipment | None = None
    setup_time_min: float | None = None
    piece_time_min: float | None = None


class RouteBlank(_Loose):
    """The blank of a route: its mass and its consumption per piece (kg)."""

    mass_kg: float | None = None
    consumption_kg: float | None = None


class Route(_Loose):
    """A routing draft as the organizational stage reads it."""

    part_id: str
    operations: list[RouteOperation] = Field(min_length=1)
    blank: RouteBlank | None = None


@dataclass(frozen=True)
class LineElement:
    """A work element with what costing needs: setup per batch and the machine-hour rate, when known."""

    id: str
    name: str
    time_min: float
    predecessors: tuple[str, ...] = ()
    setup_min: float = 0.0
    rate_per_h: float | None = None

    def element(self) -> Element:
        """The element as the balancing core takes it."""
        return Element(self.id, self.time_min, self.predecessors)


@dataclass(frozen=True)
class Line:
    """The line's elements, in the plan's order, and the blank consumption of its route (kg) when it has one."""

    elements: tuple[LineElement, ...]
    blank_kg: float | None = None

    def core(self) -> list[Element]:
        """The elements for the balancing core."""
        return [e.element() for e in self.elements]


def route_of(value: BaseModel | dict[str, Any], label: str) -> Route:
    """A route from a routing draft (model or dict); a malformed one is an input error naming `label`."""
    data = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    try:
        return Route.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])
        raise InputError(f"{label}: not a routing draft ({problems})") from None


def read_route(path: Path, label: str) -> Route:
    """The routing draft JSON at `path`; a missing or unreadable file is an input error naming `label` (the field)."""
    if not path.is_file():
        raise InputError(f"{label}: no such routing draft file {path} (paths are relative to the plan's folder)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{label}: cannot read the routing draft JSON {path.name} ({exc})") from exc
    if not isinstance(data, dict):
        raise InputError(f"{label}: {path.name} is not a routing draft (a JSON object with operations)")
    return route_of(data, label)


def machine_rate(catalog: Catalog, op: RouteOperation) -> float | None:
    """The machine-hour rate of an operation's machine, when the catalogue knows the machine."""
    machine = catalog.machine(op.equipment.model) if op.equipment else None
    return machine.hourly_cost if machine else None


def piece_times(route: Route, label: str) -> list[float]:
    """Each operation's piece time; an operation without one is an input error."""
    missing = [op.number for op in route.operations if op.piece_time_min is None]
    if missing:
        raise InputError(f"{label}: operation(s) {', '.join(missing)} of {route.part_id} have no piece_time_min")
    return [float(op.piece_time_min or 0.0) for op in route.operations]


def route_elements(route: Route, catalog: Catalog, label: str) -> tuple[LineElement, ...]:
    """A route's operations as work elements in order: id = operation number, each after the previous one."""
    times = piece_times(route, label)
    elements: list[LineElement] = []
    previous: tuple[str, ...] = ()
    for op, time in zip(route.operations, times, strict=True):
        name = f"{op.name} ({op.equipment.model})" if op.equipment else op.name
        rate = machine_rate(catalog, op)
        elements.append(LineElement(op.number, name, time, previous, op.setup_time_min or 0.0, rate))
        previous = (op.number,)
    return tuple(elements)


def line_of(plan: OrgInput, catalog: Catalog) -> Line:
    """The plan's work elements (its operations, or its routing draft's), precedence checked."""
    if plan.routing is None:
        elements = tuple(
            LineElement(e.id, e.name, e.time_min, tuple(e.predecessors), e.setup_min, e.machine_rate)
            for e in plan.operations
        )
        return Line(elements)
    label = f"{plan.id}/routing"
    route = read_route(plan.routing, label)
    elements = route_elements(route, catalog, label)
    check_precedence(plan.id, "routing", [e.element() for e in elements])
    blank = route.blank.consumption_kg or route.blank.mass_kg if route.blank else None
    return Line(elements, blank)
