"""A product request as a technologist reads it: the quantities it states, with units, and what they imply.

Pure functions over text and numbers: quantities with their units (power, speed, volumes, loads, sizes,
temperatures, hardness, roughness), rolling-bearing designations and their bores, the words that name the
environment, and the torque, load class and machining-effort class the numbers imply. Values are kept in one base unit
per kind (kW, rpm, pieces a year, N, N·m, mm, °C, kg, MPa, HRC, µm); `text` keeps what the request wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from assistant.engineering.heat import parse_hardness


class Kind(StrEnum):
    """What a quantity of a request measures."""

    POWER = "power"
    SPEED = "speed"
    VOLUME = "volume"  # pieces a year
    COUNT = "count"  # pieces, with no period: an order, or a volume the request does not date
    FORCE = "force"
    TORQUE = "torque"
    LENGTH = "length"
    TEMPERATURE = "temperature"
    MASS = "mass"
    PRESSURE = "pressure"
    HARDNESS = "hardness"  # HRC (HB and HV converted, heat.parse_hardness)
    ROUGHNESS = "roughness"  # Ra, µm
    MODULE = "module"  # gear module, mm
    TEETH = "teeth"
    BEARING = "bearing"  # a rolling bearing: `label` its designation, the values its bore in mm
    THREAD = "thread"  # a metric thread: `label` its designation, the values its nominal diameter in mm
    NOMINAL = "nominal size"  # DN of a pipe fitting or valve, mm
    ENVIRONMENT = "environment"  # `label` the canonical word (outdoor, corrosive ...), no value


@dataclass(frozen=True)
class Quantity:
    """One quantity of a request: its kind, range in the kind's base unit, and the words it was written in."""

    kind: Kind
    low: float
    high: float
    unit: str
    text: str
    start: int = 0
    end: int = 0
    label: str = ""  # length: what is measured (length, diameter ...); bearing: designation; environment: word

    @property
    def key(self) -> tuple[str, float, float, str]:
        """What identifies the quantity whatever the wording: kind, values, and the bearing or environment."""
        label = self.label if self.kind in {Kind.BEARING, Kind.ENVIRONMENT, Kind.THREAD} else ""
        return (self.kind.value, round(self.low, 3), round(self.high, 3), label)


_NUM = r"[-−+]?(?:\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?)"
_RANGE = rf"(?P<lo>{_NUM})(?:\s*(?:\.\.\.?|…|–|—|-|to)\s*(?P<hi>{_NUM}))?"
_END = r"(?![\w/²³])"

# kind, unit alternatives (longest first) with their factor to the base unit, base unit
_UNITS: tuple[tuple[Kind, tuple[tuple[str, float], ...], str], ...] = (
    (Kind.TORQUE, ((r"kN\s*[·*.]?\s*m", 1000.0), (r"N\s*[·*.]?\s*m", 1.0)), "N·m"),
    (Kind.POWER, ((r"MW", 1000.0), (r"kW", 1.0), (r"hp", 0.7457), (r"W", 0.001)), "kW"),
    (
        Kind.SPEED,
        ((r"rpm", 1.0), (r"r/min", 1.0), (r"rev/min", 1.0), (r"min\s*(?:-1|⁻¹)", 1.0), (r"1/min", 1.0)),
        "rpm",
    ),
    (Kind.PRESSURE, ((r"MPa", 1.0), (r"kPa", 0.001), (r"bar", 0.1)), "MPa"),
    (Kind.FORCE, ((r"MN", 1e6), (r"kN", 1000.0), (r"kgf", 9.81), (r"N", 1.0)), "N"),
    (Kind.TEMPERATURE, ((r"°\s*C", 1.0), (r"º\s*C", 1.0), (r"deg(?:rees)?\.?\s*C", 1.0)), "°C"),
    (Kind.MASS, ((r"kg", 1.0),), "kg"),
    (Kind.LENGTH, ((r"mm", 1.0), (r"cm", 10.0), (r"m", 1000.0)), "mm"),
)
_PERIOD = r"(?:a|per|/|each|every)\s*(?P<period>year|yr|annum|month|week)"
_PIECES = r"(?:units?|pcs\.?|pieces?|parts?|sets?|items?|off|shafts?|gears?|housings?|brackets?)"
_VOLUME = (
    re.compile(rf"(?P<lo>{_NUM})\s*(?:{_PIECES}\s*)?{_PERIOD}\b", re.I),
    re.compile(rf"(?P<lo>{_NUM})\s*(?:{_PIECES}\s*)?annually\b", re.I),
    re.compile(
        rf"\bannual(?:ly)?\s+(?:volume|output|demand|quantity|production)\s*(?:of|:|=|is)?\s*(?P<lo>{_NUM})", re.I
    ),
)
_PER_YEAR = {"year": 1, "yr": 1, "annum": 1, "month": 12, "week": 50}
_COUNT = re.compile(rf"(?P<lo>{_NUM})\s*(?:units?|pcs\.?|pieces?|parts?|sets?|items?|off)(?![\w-])", re.I)
_SCALE = r"(?:HRC[эe]?|HBW?|HV)"
_HARDNESS = (
    re.compile(rf"{_SCALE}\s*{_RANGE}(?:\s*(?:min\.?|minimum))?(?!\w)"),
    re.compile(rf"{_RANGE}\s*{_SCALE}(?:\s*(?:min\.?|minimum))?(?!\w)"),
)
_THREAD = re.compile(r"\bM(?P<lo>\d{1,3}(?:[.,]\d+)?)(?:\s*[x×]\s*\d+(?:[.,]\d+)?)?(?:-\d[gGhH])?(?![\w.])")
_NOMINAL = re.compile(r"\bDN\s*(?P<lo>\d{1,4})\b")
_ROUGHNESS = re.compile(rf"\bRa\s*=?\s*{_RANGE}(?:\s*(?:µm|um|μm))?", re.I)
_MODULE = re.compile(rf"\bmodule\s*(?:m\s*)?=?\s*(?P<lo>{_NUM})(?:\s*mm)?|\bm\s*=\s*(?P<lo2>{_NUM})\s*mm", re.I)
_TEETH = re.compile(r"(?P<lo>\d+)\s*teeth\b|\bz\s*=\s*(?P<lo2>\d+)\b", re.I)
_DIMENSIONS = re.compile(rf"(?P<a>{_NUM})\s*[x×]\s*(?P<b>{_NUM})(?:\s*[x×]\s*(?P<c>{_NUM}))?\s*mm\b")
_DIAMETER = re.compile(
    rf"(?:[ØøⲐ⌀]|\bdia\.?|\bD\s*=)\s*(?P<lo>{_NUM})(?:\s*(?P<fit>[A-Za-z]{{1,2}}\d{{1,2}})\b)?(?:\s*mm)?"
)
_BEARING_AFTER = re.compile(
    r"\b(?P<des>(?:NUP|NU|NJ|N)?\d{3,5}(?:\s*(?:,|and|/|&)\s*(?:NUP|NU|NJ|N)?\d{3,5})*)"
    r"(?:[- ]?(?:2RS1?|2RSH|2RZ|2Z|ZZ|RS|Z|C3|K))*\s+"
    r"(?:(?:deep[- ]groove|angular[- ]contact|tapered|cylindrical|self[- ]aligning|thrust)\s+)?"
    r"(?:(?:ball|roller|rolling)\s+)?bearings?\b",
    re.I,
)
_BEARING_BEFORE = re.compile(
    r"\bbearings?\s+(?:(?:No\.?|type|series|size)\s*)?(?P<list>(?:NUP|NU|NJ|N)?\d{3,5}"
    r"(?:\s*(?:,|and|/|&)\s*(?:NUP|NU|NJ|N)?\d{3,5})*)",
    re.I,
)
_LENGTH_LABELS = re.compile(
    r"(overall length|length|long|diameter|dia|bore|width|wide|height|high|thickness|thick|stroke|span|"
    r"centre distance|center distance|pitch)\W*(?:of\W*)?$",
    re.I,
)
_AFTER_LABELS = {"long": "length", "thick": "thickness", "wide": "width", "high": "height", "deep": "depth"}
_AFTER_LABELS["in diameter"] = "diameter"
_AFTER_LABELS["diameter"] = "diameter"
ENVIRONMENT_WORDS: dict[str, str] = {  # first the ones whose words contain another's ("... by sea water")
    "rustproof": r"must not rust|(?:will|may|shall) not rust|rust[- ]?(?:proof|free|resistant)|cannot be painted|"
    r"no paint(?:ing)?|unpainted|not (?:be )?painted|wetted(?: by)?|lubricated by (?:the )?(?:pumped )?(?:sea )?water",
    "outdoor": r"out-?doors?|open[- ]air|exposed to (?:the )?weather|weather(?:ing|proof)?",
    "corrosive": r"corrosive|corrosion|aggressive (?:media|medium)|acids?|alkal(?:i|ine)|chemical",
    "sea water": r"sea[- ]?water|marine|salt (?:spray|water)|sea coast|coastal|near the sea|seaside|offshore",
    "wet": r"\bwet\b|damp|humid(?:ity)?|moisture|splash(?:ing|es)?|condensation",
    "food contact": r"food|hygien(?:e|ic)|sanitary",
    "abrasive": r"abrasive|dust(?:y)?|\bsand\b|grit",
    "shock loads": r"shocks?|impacts?|vibrations?",
}

# Rolling-bearing series whose last two digits are the bore code (ISO 15; 4-digit and 5-digit designations)
_SERIES_4 = frozenset({"60", "62", "63", "64", "70", "71", "72", "73", "12", "13", "22", "23", "32", "33", "42", "43"})
_SERIES_5 = frozenset({"302", "303", "313", "320", "322", "323", "222", "223", "213", "511", "512", "513"})
_SERIES_3 = frozenset({"60", "62", "63"})  # miniature: the last digit is the bore in mm (608 -> 8)
_SMALL_BORES = {0: 10.0, 1: 12.0, 2: 15.0, 3: 17.0}


def bearing_bore(designation: str) -> float | None:
    """Bore in mm of a rolling bearing: codes 00, 01, 02, 03 are 10, 12, 15, 17 mm; 04..96 are code × 5 mm."""
    name = designation.strip().upper()
    digits = re.sub(r"^(?:NUP|NU|NJ|N)", "", name)
    if not digits.isdigit():
        return None
    if digits != name and len(digits) in (3, 4):  # cylindrical roller bearings: NU210, NU2208
        return _bore(int(digits[-2:]))
    if len(digits) == 3 and digits[:2] in _SERIES_3:
        return float(digits[2]) or None
    series = digits[:-2]
    if (len(digits) == 4 and series in _SERIES_4) or (len(digits) == 5 and series in _SERIES_5):
        return _bore(int(digits[-2:]))
    return None


def _bore(code: int) -> float | None:
    if code in _SMALL_BORES:
        return _SMALL_BORES[code]
    return 5.0 * code if 4 <= code <= 96 else None


def number(text: str) -> float:
    """A number as requests write it: `3 000`, `3,000`, `0,8`, `−20`, `+40`."""
    text = text.replace("−", "-").replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"[-+]?\d{1,3}(?:[, ]\d{3})+", text):
        return float(re.sub(r"[, ]", "", text))
    return float(text.replace(",", "."))


def _range(match: re.Match[str], factor: float = 1.0) -> tuple[float, float]:
    low = number(match.group("lo")) * factor
    high = number(match.group("hi")) * factor if match.groupdict().get("hi") else low
    return (min(low, high), max(low, high))


class _Spans:
    """Parts of the text already read as a quantity, so that no number is read twice."""

    def __init__(self) -> None:
        self.taken: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in self.taken)

    def take(self, start: int, end: int) -> None:
        self.taken.append((start, end))


def _environment(text: str, spans: _Spans) -> list[Quantity]:
    found = []
    for word, pattern in ENVIRONMENT_WORDS.items():
        match = re.search(rf"\b(?:{pattern})\b", text, re.I)
        if match and spans.free(*match.span()):
            spans.take(*match.span())
            found.append(Quantity(Kind.ENVIRONMENT, 0.0, 0.0, "", match.group(0), *match.span(), label=word))
    return found


def _bearings(text: str, spans: _Spans) -> list[Quantity]:
    found = []
    for pattern in (_BEARING_AFTER, _BEARING_BEFORE):
        for match in pattern.finditer(text):
            group = "des" if pattern is _BEARING_AFTER else "list"
            for item in re.finditer(r"(?:NUP|NU|NJ|N)?\d{3,5}", match.group(group)):
                start, end = match.start(group) + item.start(), match.start(group) + item.end()
                bore = bearing_bore(item.group(0))
                if bore is None or not spans.free(start, end):
                    continue
                spans.take(start, end)
                words = f"{item.group(0)} bearings" if pattern is _BEARING_AFTER else f"bearing {item.group(0)}"
                found.append(Quantity(Kind.BEARING, bore, bore, "mm", words, start, end, label=item.group(0)))
    return found


def _hardness(text: str, spans: _Spans) -> list[Quantity]:
    found = []
    for match in (m for pattern in _HARDNESS for m in pattern.finditer(text)):
        if not spans.free(*match.span()):
            continue
        try:
            value = parse_hardness(match.group(0).replace("...", "..").replace("–", "-"))
        except ValueError:
            continue  # out of the scale, or not a hardness after all: left for the other readers
        spans.take(*match.span())
        found.append(Quantity(Kind.HARDNESS, value.low_hrc, value.high_hrc, "HRC", match.group(0), *match.span()))
    return found


def _simple(text: str, spans: _Spans, pattern: re.Pattern[str], kind: Kind, unit: str) -> list[Quantity]:
    found = []
    for match in pattern.finditer(text):
        if not spans.free(*match.span()):
            continue
        values = {k: v for k, v in match.groupdict().items() if v}
        low = number(values.get("lo") or values["lo2"])
        high = number(values["hi"]) if "hi" in values else low
        if kind is Kind.VOLUME:
            low = high = low * _PER_YEAR.get((values.get("period") or "year").lower(), 1)
        spans.take(*match.span())
        found.append(Quantity(kind, low, high, unit, match.group(0).strip(), *match.span()))
    return found


def _threads(text: str, spans: _Spans) -> list[Quantity]:
    """Metric threads (`M16`, `M20x1.5-6g`): the designation as written, the nominal diameter as the value."""
    found = []
    for match in _THREAD.finditer(text):
        if spans.free(*match.span()):
            spans.take(*match.span())
            value = number(match.group("lo"))
            designation = match.group(0)
            found.append(Quantity(Kind.THREAD, value, value, "mm", designation, *match.span(), label=designation))
    return found


def _label(text: str, start: int) -> str:
    match = _LENGTH_LABELS.search(text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


def _dimensions(text: str, spans: _Spans) -> list[Quantity]:
    """`400 x 250 mm`, `200 x 120 x 80 mm`: one length quantity per dimension, all with the same words."""
    found = []
    for match in _DIMENSIONS.finditer(text):
        if spans.free(*match.span()):
            spans.take(*match.span())
            values = [number(v) for v in match.group("a", "b", "c") if v]
            found += [Quantity(Kind.LENGTH, v, v, "mm", match.group(0), *match.span(), label="size") for v in values]
    return found


def _diameters(text: str, spans: _Spans) -> list[Quantity]:
    found = []
    for match in _DIAMETER.finditer(text):
        if spans.free(*match.span()):
            spans.take(*match.span())
            value = number(match.group("lo"))
            found.append(Quantity(Kind.LENGTH, value, value, "mm", match.group(0), *match.span(), label="diameter"))
    return found


def _units(text: str, spans: _Spans) -> list[Quantity]:
    found = []
    for kind, units, base in _UNITS:
        for unit, factor in units:
            for match in re.finditer(rf"{_RANGE}\s*(?:{unit}){_END}", text):
                if not spans.free(*match.span()):
                    continue
                spans.take(*match.span())
                low, high = _range(match, factor)
                after = re.match(r"\s*(long|thick|wide|high|deep|in diameter|diameter)\b", text[match.end() :])
                label = ""
                if kind is Kind.LENGTH:  # a word right after the number describes it before one ahead of it
                    label = _AFTER_LABELS[after.group(1)] if after else _label(text, match.start())
                found.append(Quantity(kind, low, high, base, match.group(0), *match.span(), label=label))
    return found


def parse_quantities(text: str) -> tuple[Quantity, ...]:
    """Every quantity the request states, in the order it states them; each span of the text is read once."""
    spans = _Spans()
    found = _environment(text, spans) + _bearings(text, spans) + _hardness(text, spans)
    found += _threads(text, spans) + _simple(text, spans, _NOMINAL, Kind.NOMINAL, "mm")
    found += _simple(text, spans, _ROUGHNESS, Kind.ROUGHNESS, "µm")
    for pattern in _VOLUME:
        found += _simple(text, spans, pattern, Kind.VOLUME, "pcs/year")
    found += _simple(text, spans, _MODULE, Kind.MODULE, "mm") + _simple(text, spans, _TEETH, Kind.TEETH, "")
    found += _dimensions(text, spans) + _diameters(text, spans) + _units(text, spans)
    found += _simple(text, spans, _COUNT, Kind.COUNT, "pcs")
    return tuple(sorted(found, key=lambda q: q.start))


def quantity_keys(text: str) -> set[tuple[str, float, float, str]]:
    """The keys of the quantities of a text (what makes two wordings of one quantity the same)."""
    return {q.key for q in parse_quantities(text)}


def first(quantities: Iterable[Quantity], kind: Kind) -> Quantity | None:
    """The first quantity of a kind, or None."""
    return next((q for q in quantities if q.kind is kind), None)


# ---- what the numbers imply ------------------------------------------------------------------------------


def torque_nm(power_kw: float, rpm: float) -> float:
    """Torque in N·m transmitted at a power and a speed: T = 9550 · P / n."""
    return 9550.0 * power_kw / rpm


# Upper bounds of the light and medium classes: torque N·m, force N, power kW (when no speed is given).
LOAD_BOUNDS = {"torque": (50.0, 500.0), "force": (5000.0, 50000.0), "power": (1.5, 15.0)}
LOAD_CLASSES = ("light", "medium", "heavy")


def load_class(
    power_kw: float | None, rpm: float | None, force_n: float | None, torque: float | None = None
) -> str | None:
    """light, medium or heavy: the heaviest class any stated load falls in; None when the request states no load.

    A first screen for choosing a material, not a strength calculation: torque (stated, or 9550·P/n) up to
    50 N·m is light and up to 500 N·m medium; a force up to 5 kN light and up to 50 kN medium; a power with no
    speed up to 1.5 kW light and up to 15 kW medium.
    """
    levels = []
    if torque is None and power_kw is not None and rpm:
        torque = torque_nm(power_kw, rpm)
    if torque is not None:
        levels.append(_level(torque, LOAD_BOUNDS["torque"]))
    elif power_kw is not None:
        levels.append(_level(power_kw, LOAD_BOUNDS["power"]))
    if force_n is not None:
        levels.append(_level(force_n, LOAD_BOUNDS["force"]))
    return LOAD_CLASSES[max(levels)] if levels else None


def _level(value: float, bounds: tuple[float, float]) -> int:
    return sum(1 for bound in bounds if value > bound)


# Piece time bounds (min) of the low and medium machining-effort classes of a rough route
EFFORT_BOUNDS = (10.0, 30.0)
EFFORT_CLASSES = ("low", "medium", "high")


def effort_class(piece_min: float) -> str:
    """low, medium or high machining effort by the piece time of a route: up to 10 min low, up to 30 min medium."""
    return EFFORT_CLASSES[_level(piece_min, EFFORT_BOUNDS)]
