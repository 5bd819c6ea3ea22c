"""What the notes of a drawing say about groups of features: positional tolerances and coaxiality.

A note names the toleranced features before the tolerance word and the datums after it ("Six bolt holes F7
on PCD 160, positional 0.2 (M) relative to F1 (A)"; "Each pair F4 and F5 coaxial within 0.02"), one clause
per tolerance, clauses ending at ";" or ".".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_CLAUSE = re.compile(r"[;]|\.(?=\s|$)")
_ID = r"(?<![\w-]){}(?![\w-])"


def toleranced(notes: str | None, ids: Iterable[str], word: str) -> list[list[str]]:
    """For each clause of the notes that contains `word` (e.g. "positional", "coaxial"), the feature ids named
    before it, in order; clauses that name none are left out."""
    groups = []
    for clause in _CLAUSE.split(notes or ""):
        at = clause.lower().find(word)
        if at < 0:
            continue
        before = clause[:at]
        named = sorted(
            (m.start(), fid) for fid in ids if (m := re.search(_ID.format(re.escape(fid)), before)) is not None
        )
        if named:
            groups.append([fid for _, fid in named])
    return groups


def mentioned_with(notes: str | None, ids: Iterable[str], word: str) -> set[str]:
    """Every feature id named in a clause of the notes that contains `word` ("runout of F3 to F1": F3 and F1)."""
    found: set[str] = set()
    for clause in _CLAUSE.split(notes or ""):
        if word in clause.lower():
            found |= {fid for fid in ids if re.search(_ID.format(re.escape(fid)), clause)}
    return found


_TOOTH_CHAMFER = re.compile(
    r"(tooth|teeth)[^.;]{0,30}(chamfer|round)|(chamfer|round)\w*[^.;]{0,30}(tooth|teeth)|sliding gear", re.IGNORECASE
)


def teeth_chamfered(notes: str | None) -> bool:
    """The notes ask for the tooth ends to be chamfered or rounded, or call the gear a sliding gear."""
    return bool(_TOOTH_CHAMFER.search(notes or ""))
