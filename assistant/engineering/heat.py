"""Hardness on the drawing → which heat treatment, and which surfaces end up hardened."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from assistant.engineering.types import Material

HARDENED_ABOVE_HRC = 35.0  # above this, cutting with ordinary tools is uneconomic: finish by grinding
# Treatments of the whole blank that leave it machinable: nothing is ground after them for their sake
SOFT_TREATMENTS = frozenset({"improvement", "normalizing"})


def hardens(treatment: str | None) -> bool:
    """True for a treatment after which the hardened surfaces are only ground (not improvement or normalizing)."""
    return treatment is not None and treatment not in SOFT_TREATMENTS


# Approximate equivalents (ASTM E140 for steels): HRC, HB, HV
_SCALE = (
    (20, 226, 238),
    (25, 253, 266),
    (30, 286, 302),
    (35, 330, 345),
    (40, 371, 392),
    (45, 421, 446),
    (50, 481, 513),
    (55, 560, 595),
    (60, 654, 697),
    (65, 739, 850),
)
_HARDNESS = re.compile(
    r"^\s*(?:(?P<s1>HRC|HRCэ|HB|HBW|HV)\s*)?(?P<lo>\d+(?:[.,]\d+)?)\s*(?:(?:\.{2,3}|…|-|–|to)\s*(?P<hi>\d+(?:[.,]\d+)?))?"
    r"\s*(?P<s2>HRC|HRCэ|HB|HBW|HV)?\s*(?P<min>min\.?|minimum)?\s*$",
    re.I,
)


@dataclass(frozen=True)
class Hardness:
    """A required hardness as an HRC range (converted when the drawing gives HB or HV)."""

    low_hrc: float
    high_hrc: float
    text: str


def to_hrc(value: float, scale: str) -> float:
    """Convert HB or HV to HRC by interpolating the standard table; HRC passes through."""
    column = {"HRC": 0, "HB": 1, "HV": 2}[scale]
    if column == 0:
        return value
    rows = sorted(_SCALE, key=lambda r: r[column])
    if value <= rows[0][column]:
        return rows[0][0] - (rows[0][column] - value) / 6.0
    for lower, upper in itertools.pairwise(rows):
        if value <= upper[column]:
            share = (value - lower[column]) / (upper[column] - lower[column])
            return lower[0] + share * (upper[0] - lower[0])
    return float(rows[-1][0])


def parse_hardness(text: str) -> Hardness:
    """Read `HRC 40..45`, `40-45 HRC`, `HB 229...269`, `HRC 58 min`, `HV 600` into an HRC range."""
    match = _HARDNESS.match(text.replace("≥", "").replace(">=", ""))
    scale = (match.group("s1") or match.group("s2") or "").upper() if match else ""
    if not match or not scale:
        raise ValueError(f"hardness '{text}' not understood; write it like 'HRC 40..45', 'HB 229..269' or 'HV 600'")
    scale = {"HRCЭ": "HRC", "HBW": "HB"}.get(scale, scale)
    low = float(match.group("lo").replace(",", "."))
    high = float((match.group("hi") or match.group("lo")).replace(",", "."))
    if high < low:
        raise ValueError(f"hardness '{text}': the upper value is below the lower one")
    limits = {"HRC": (10, 70), "HB": (80, 750), "HV": (80, 1200)}[scale]
    if not (limits[0] <= low and high <= limits[1]):
        raise ValueError(f"hardness '{text}' is outside the {scale} scale ({limits[0]}..{limits[1]})")
    return Hardness(round(to_hrc(low, scale), 1), round(to_hrc(high, scale), 1), text)


def choose_treatment(hardness: Hardness | None, material: Material, local: bool) -> str | None:
    """Heat treatment code for the required hardness, or None when the supplied material already meets it."""
    if hardness is None:
        return None
    supplied = to_hrc(material.supplied_hb, "HB") if material.supplied_hb else 15.0
    if hardness.high_hrc < supplied and hardness.low_hrc < hardness.high_hrc:
        # the range lies below what the steel may be supplied at, and the supplied hardness may also fall below
        # its lower limit: normalizing brings the blank into it (route-review-rules.md 5.5-5.6)
        return "normalizing"
    if hardness.low_hrc <= supplied:
        return None  # the supplied hardness lies in the range: the lower limit decides, not the upper (5.5)
    if hardness.low_hrc <= HARDENED_ABOVE_HRC:
        return "improvement"
    if material.hardening == "nitriding":
        return "nitriding"  # never carburized nor induction hardened (heat-treatment.md 6.1-6.3)
    if local and material.induction:
        return "induction_hardening"
    if material.hardening == "case":
        return "case_hardening"
    return "through_hardening"


def treatment_problem(hardness: Hardness | None, material: Material, notes: str) -> str | None:
    """Why the material cannot reach the hardness as specified, if it cannot."""
    if hardness is None or choose_treatment(hardness, material, local_hardening(notes)) is None:
        return None
    if material.hardening == "none" or material.max_hrc is None:
        return f"{material.grade} is not hardenable by quenching; it cannot reach {hardness.text}"
    if hardness.low_hrc <= HARDENED_ABOVE_HRC:
        return None
    if hardness.low_hrc > material.max_hrc:
        return f"{material.grade} reaches at most about HRC {material.max_hrc:g}; {hardness.text} is out of reach"
    through = material.through_hrc or material.max_hrc
    if not local_hardening(notes) and material.hardening == "through" and hardness.low_hrc > through:
        return (
            f"{material.grade} through-hardens to about HRC {through:g}; {hardness.text} needs induction "
            "hardening, which the notes do not name"
        )
    if material.hardening == "nitriding" and not re.search(r"nitrid", notes, re.I):
        return f"{material.grade} reaches {hardness.text} only by nitriding, which the notes do not name"
    if material.hardening == "case" and not re.search(r"carbur|case|cementat", notes, re.I):
        return f"{material.grade} reaches {hardness.text} only after carburizing, which the notes do not name"
    return None


_LOCAL = re.compile(r"induction|HFC|HF hardening|TVCh|ТВЧ|high[- ]frequency|surface[- ]harden", re.I)


def local_hardening(notes: str) -> bool:
    """True when the notes ask for local (induction) hardening."""
    return bool(_LOCAL.search(notes or ""))


def hardened_feature_ids(notes: str, feature_ids: list[str], feature_types: dict[str, str], local: bool) -> set[str]:
    """Features that end up hardened: all for through/case hardening, the named ones (or the journals) for induction."""
    if not local:
        return set(feature_ids)
    sentences = [s for s in re.split(r"[.;](?=\s|$)|\n", notes or "") if _LOCAL.search(s)]
    named = {fid for fid in feature_ids for s in sentences if re.search(rf"(?<![\w-]){re.escape(fid)}(?![\w-])", s)}
    return named or {fid for fid in feature_ids if feature_types[fid] == "external_cylinder"}
