"""What a request says once read by the tools: quantities, part kind, loads, hardness, environment, limits, volume."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.catalog import Catalog
from assistant.engineering.heat import Hardness
from assistant.engineering.production import production_type
from assistant.engineering.requests import Kind, Quantity, first, load_class, parse_quantities, torque_nm
from assistant.engineering.types import Material
from assistant.stages.research.model import ResearchRequest
from assistant.stages.research.words import (
    ROTATING_KINDS,
    Limits,
    antifriction_duty,
    part_noun,
    read_limits,
    stated_blank,
    stated_treatment,
    surface_hardness_implied,
)

_NUMBER = re.compile(r"(?<![A-Za-z\d.,])[-−+]?\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class RequestFacts:
    """A request and what the tools read from it."""

    request: ResearchRequest
    quantities: tuple[Quantity, ...]
    kind: str | None
    noun: str  # the word the request names the part by ("cover" for the flange kind), or "part"
    limits: Limits
    hardness: Hardness | None
    surface_implied: bool
    antifriction: bool  # the part is a plain bearing
    blank: str | None  # the blank kind the request names (welded, cast, forged)
    treatment: str | None  # the surface treatment it names (case, nitriding, induction)
    load: str | None
    torque_nm: float | None
    torque_at_input: bool  # the speed is a reducer's input speed: the part's torque is larger by the ratio
    volume: int | None
    volume_source: str  # "yaml", "text", "count" (pieces with no period, taken as the year's), or ""
    environment: tuple[str, ...]
    bearings: tuple[Quantity, ...]
    named_grades: tuple[str, ...]

    @property
    def text(self) -> str:
        """The request with its constraints, as the tools read them."""
        return " ".join([self.request.request, *self.request.constraints])

    def of(self, kind: Kind) -> list[Quantity]:
        """The quantities of one kind."""
        return [q for q in self.quantities if q.kind is kind]


def _named_grades(text: str, materials: tuple[Material, ...]) -> tuple[str, ...]:
    """Catalogue grades the request names, by grade or by an alias with a letter in it (`45` alone is a size)."""
    named = []
    for m in materials:
        names = [n for n in (m.grade, *m.aliases) if re.search(r"[A-Za-zА-Яа-я]", n) and len(n) >= 3]
        if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text, re.I) for n in names):
            named.append(m.grade)
    return tuple(named)


def _hardness(quantities: tuple[Quantity, ...]) -> Hardness | None:
    q = first(quantities, Kind.HARDNESS)
    return Hardness(q.low, q.high, q.text) if q else None


def _volume(request: ResearchRequest, quantities: tuple[Quantity, ...]) -> tuple[int | None, str]:
    if request.annual_volume is not None:
        return request.annual_volume, "yaml"
    stated = first(quantities, Kind.VOLUME)
    if stated:
        return round(stated.low), "text"
    count = first(quantities, Kind.COUNT)
    return (round(count.low), "count") if count else (None, "")


def _input_speed(text: str, speed: Quantity) -> bool:
    """True when the stated speed is a reducer's or gearbox's input speed, not the part's own."""
    near = text[max(0, speed.start - 25) : speed.end + 25]
    return bool(re.search(r"\binput\b", near, re.I)) and bool(re.search(r"\boutput\b|reducer|gearbox", text, re.I))


def request_facts(request: ResearchRequest, catalog: Catalog) -> RequestFacts:
    """Read the request with the pure parsers of engineering/requests.py and the catalogue's material names."""
    text = " ".join([request.request, *request.constraints])
    quantities = parse_quantities(request.request)
    noun = part_noun(request.request)
    kind = noun[0] if noun else None
    power, speed, force = (first(quantities, k) for k in (Kind.POWER, Kind.SPEED, Kind.FORCE))
    torque = first(quantities, Kind.TORQUE)
    torque_value = torque.high if torque else None
    if torque_value is None and power and speed:
        torque_value = torque_nm(power.high, speed.low)
    if kind is not None and kind not in ROTATING_KINDS:
        power = None  # the power of a motor a bracket or housing carries is not the part's load
        torque_value = torque.high if torque else None
    load = load_class(
        power.high if power else None, speed.low if speed else None, force.high if force else None, torque_value
    )
    lower_bound = bool(speed and power and not torque and _input_speed(request.request, speed))
    if lower_bound and load == "light":
        load = "medium"  # the output torque is the input torque times the ratio, which the request does not give
    volume, source = _volume(request, quantities)
    return RequestFacts(
        request=request,
        quantities=quantities,
        kind=kind,
        noun=noun[1] if noun else "part",
        limits=read_limits(request.request, request.constraints, kind),
        hardness=_hardness(quantities),
        surface_implied=surface_hardness_implied(text, kind),
        antifriction=antifriction_duty(text, kind),
        blank=stated_blank(request.request),
        treatment=stated_treatment(text),
        load=load,
        torque_nm=torque_value,
        torque_at_input=lower_bound,
        volume=volume,
        volume_source=source,
        environment=tuple(dict.fromkeys(q.label for q in quantities if q.kind is Kind.ENVIRONMENT)),
        bearings=tuple(q for q in quantities if q.kind is Kind.BEARING),
        named_grades=_named_grades(text, catalog.materials),
    )


def numbers(text: str) -> set[float]:
    """The free-standing numbers of a text (not those inside k6, M36 or IT7)."""
    return {round(float(n.replace("−", "-").replace(",", ".")), 3) for n in _NUMBER.findall(text)}


def allowed_numbers(facts: RequestFacts) -> set[float]:
    """Numbers a requirement may state: those of the request and what the tools computed from its quantities."""
    values = numbers(facts.text) | {abs(v) for v in numbers(facts.text)}
    for q in facts.quantities:
        values |= {round(q.low, 3), round(q.high, 3)}
    if facts.request.annual_volume:
        values.add(float(facts.request.annual_volume))
    return values


def single_production(facts: RequestFacts, catalog: Catalog) -> bool:
    """True when the volume is single production at every part mass of the table (production-types 3.1)."""
    if facts.volume is None:
        return False
    table = catalog.production.thresholds
    return all(production_type(facts.volume, band.max_mass, table) == "single" for band in table)
