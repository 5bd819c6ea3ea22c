"""The part and its material in a request's words: part kind, blank, surface treatment, duty and constraints.

Pure functions over the text of a request and its constraints (no catalogue): which part kind it names, which
blank kinds such a part is made from (blanks.md 3.1.1), which material groups it names, excludes or requires,
and what the part's duty implies (a hard working surface, a plain bearing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words naming the part, each with the part kind of PART_SPEC.md; the word met first in the request decides.
PART_WORDS: dict[str, str] = {
    "gear": r"gears?|pinions?|gearwheels?|sprockets?|worm wheels?",
    "shaft": r"shafts?|axles?|spindles?",
    "housing": r"housings?|casings?|bodies|body|gearbox case",
    "bracket": r"brackets?|supports?|mounts?|frames?",
    "disk": r"impellers?|pulleys?|wheels?|disks?|discs?",
    "flange": r"flanges?|covers?|lids?|hubs?",
    "bushing": r"bushings?|bushes|bush|sleeves?|liners?",
    "lever": r"levers?|arms?|forks?",
    "plate": r"plates?",
}
# Blank kinds each part kind is usually made from (blanks.md 3.1.1, Table 1, "Typical parts")
KIND_BLANKS: dict[str, frozenset[str]] = {
    "shaft": frozenset({"rolled_bar", "forging", "stamping"}),
    "gear": frozenset({"rolled_bar", "forging", "stamping"}),
    "bushing": frozenset({"rolled_bar", "tube", "casting"}),
    "disk": frozenset({"rolled_bar", "forging", "casting"}),
    "flange": frozenset({"rolled_bar", "forging", "stamping", "casting", "plate"}),
    "housing": frozenset({"casting"}),  # welded from plate only in single production (blanks.md 3.2.4)
    "bracket": frozenset({"plate", "casting", "weldment", "sheet"}),
    "lever": frozenset({"forging", "stamping", "plate", "casting"}),
    "plate": frozenset({"plate", "sheet"}),
}


def kind_blanks(kind: str | None, single: bool) -> frozenset[str]:
    """Blank kinds a part kind is made from; in single production housings may also be welded (blanks.md 3.2.4)."""
    blanks = KIND_BLANKS.get(kind or "", frozenset())
    return blanks | {"weldment"} if single and kind == "housing" else blanks


def part_noun(text: str) -> tuple[str, str] | None:
    """(part kind, the word the request uses) for the part the request names first, or None."""
    hits = [
        (m.start(), kind, m.group(0).lower())
        for kind, words in PART_WORDS.items()
        if (m := re.search(rf"\b(?:{words})\b", text, re.I))
    ]
    return (min(hits)[1], min(hits)[2]) if hits else None


def part_kind(text: str) -> str | None:
    """The part kind the request names first (shaft, gear, housing ...), or None."""
    noun = part_noun(text)
    return noun[0] if noun else None


# Material groups of the catalogue by the words a request uses for them
GROUP_WORDS: dict[str, str] = {
    "stainless": r"stainless|corrosion[- ]resistant steels?",
    "cast_iron": r"cast[- ]iron|iron castings?",
    "aluminium": r"alumin(?:i)?um",
    "copper_alloy": r"copper|brass|bronze",
    "steel": r"(?<!stainless )(?<!imported )steels?",
}
_NEGATION = re.compile(r"\b(?:no|not|without|avoid|never|exclude[ds]?|except|forbidden|prohibited)\b", re.I)
_ONLY = re.compile(r"\bonly\b", re.I)
_SURFACE_NEED = re.compile(r"\bteeth\b|splines?|\bcams?\b|\bwear\b|wear-resistant|journals?|sliding|running in", re.I)


@dataclass(frozen=True)
class Limits:
    """What the request and its constraints allow: groups excluded or required, and flags."""

    excluded: frozenset[str] = frozenset()
    only: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()  # groups the request names for the part (a stainless shaft)
    contested: frozenset[str] = frozenset()  # groups both named and excluded
    blank_contested: frozenset[str] = frozenset()  # blank kinds both asked for and excluded (cast / no castings)
    no_heat_treatment: bool = False
    no_imported: bool = False
    low_cost: bool = False


def _groups(text: str) -> set[str]:
    return {group for group, words in GROUP_WORDS.items() if re.search(rf"\b(?:{words})\b", text, re.I)}


def _clauses(texts: Iterable[str]) -> list[str]:
    return [c.strip() for t in texts for c in re.split(r"[.;,\n]", t) if c.strip()]


def _about_other_parts(clause: str, part: str | None) -> str:
    """The clause without material words that describe another part (`runs on a stainless shaft` of a bush)."""
    if part is None:
        return clause
    others = "|".join(words for kind, words in PART_WORDS.items() if kind != part)
    groups = "|".join(GROUP_WORDS.values())
    return re.sub(rf"\b(?:{groups})\b(?:\s+[\w-]+){{0,2}}?\s+(?:{others})\b", " ", clause, flags=re.I)


def read_limits(request: str, constraints: Iterable[str] = (), part: str | None = None) -> Limits:
    """Groups excluded (`no stainless`), required (`steel only`) or named for the part (not for another part it
    meets), blank kinds both asked for and excluded, and the flags of the constraints."""
    excluded: set[str] = set()
    only: set[str] = set()
    named: set[str] = set()
    blanks_wanted: set[str] = set()
    blanks_excluded: set[str] = set()
    clauses = _clauses([request, *constraints])
    for clause in clauses:
        blanks = {kind for kind, words in BLANK_WORDS.items() if re.search(words, clause, re.I)}
        (blanks_excluded if _NEGATION.search(clause) else blanks_wanted).update(blanks)
        groups = _groups(_about_other_parts(clause, part))
        if _NEGATION.search(clause):
            excluded |= groups
        elif _ONLY.search(clause):
            only |= groups
        else:
            named |= groups
    every = " ".join(clauses)
    negated = [c for c in clauses if _NEGATION.search(c)]
    return Limits(
        excluded=frozenset(excluded),
        only=frozenset(only),
        named=frozenset(named - excluded),
        contested=frozenset((named | only) & excluded),
        blank_contested=frozenset(blanks_wanted & blanks_excluded),
        no_heat_treatment=any(re.search(r"heat[- ]treat|harden", c, re.I) for c in negated),
        no_imported=any(re.search(r"import", c, re.I) for c in negated),
        low_cost=bool(re.search(r"low[- ]cost|cheap|inexpensive|budget|lowest cost|cost[- ]sensitive", every, re.I)),
    )


_ANTIFRICTION = re.compile(
    r"plain bearing|sliding bearing|slide bearing|plain bush|anti-?friction|worm wheel|bearing bush|bearing liner", re.I
)


def antifriction_duty(text: str, kind: str | None) -> bool:
    """True when the part is itself a plain bearing (a bush a journal runs in, a worm wheel): a soft bearing alloy."""
    return bool(_ANTIFRICTION.search(text)) or (
        kind == "bushing" and bool(re.search(r"journal|shaft|sliding|rotat", text, re.I))
    )


# The blank or heat treatment a request names, by its words (blanks.md 3.1; heat-treatment.md)
BLANK_WORDS = {"weldment": r"welded|weldment", "casting": r"\bcast\b|casting", "forging": r"forged|forging"}
TREATMENT_WORDS = {
    "case": r"case[- ]harden\w*|carburi[sz]\w*|cementat\w*",
    "nitriding": r"nitrid\w*",
    "induction": r"induction|HFC|high[- ]frequency|TVCh",
}


def stated_blank(text: str) -> str | None:
    """The blank kind the request names (welded, cast, forged), or None."""
    return next((kind for kind, words in BLANK_WORDS.items() if re.search(words, text, re.I)), None)


def stated_treatment(text: str) -> str | None:
    """The surface treatment the request names: case (carburizing), nitriding or induction; None when none."""
    return next((kind for kind, words in TREATMENT_WORDS.items() if re.search(words, text, re.I)), None)


# Part kinds whose stated power is their own load (a bracket carrying a motor is not loaded by its power)
ROTATING_KINDS = frozenset({"shaft", "gear", "disk", "flange", "bushing"})


def surface_hardness_implied(text: str, kind: str | None) -> bool:
    """True when the part works by a hard surface (gear teeth, splines, cams, journals, wear) the request implies."""
    if antifriction_duty(text, kind):
        return False  # the journal running in it is hard; the bush is not
    return kind == "gear" or bool(_SURFACE_NEED.search(text))
