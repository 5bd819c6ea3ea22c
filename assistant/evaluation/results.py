"""Results of a run as canonical JSON: scores encoded without NaN, aggregates with their seeded bootstrap
intervals and the number of cases they cover, floats rounded and keys sorted so that the offline tier's file is
byte-identical from run to run. Timing, cost and provenance go to the separate metadata file (runs.py)."""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.evaluation.metrics import NotApplicable, Ratio, Score, as_unit
from assistant.evaluation.stats import bootstrap_ci, pooled

FORMAT = "prepro-eval/1"
DIGITS = 6
ALL = "all"


def encode(score: Score) -> Any:
    """A score as JSON: a number, {"num", "den"} or {"not_applicable": reason}."""
    if isinstance(score, NotApplicable):
        return {"not_applicable": score.reason}
    if isinstance(score, Ratio):
        return {"num": score.num, "den": score.den}
    return float(score)


def decode(value: Any) -> Score:
    """The score a JSON value encodes."""
    if isinstance(value, dict):
        if "not_applicable" in value:
            return NotApplicable(value["not_applicable"])
        return Ratio(value["num"], value["den"])
    return float(value)


def combine_repeats(scores: Sequence[Score]) -> Score:
    """One score from a case's repeats: the applicable ones averaged (ratios part by part)."""
    units = [u for u in (as_unit(s) for s in scores) if u is not None]
    if not units:
        return scores[0]
    num, den = sum(u[0] for u in units) / len(units), sum(u[1] for u in units) / len(units)
    return Ratio(num, den) if any(isinstance(s, Ratio) for s in scores) else num / den


def seed_for(base: int, *names: str) -> int:
    """A fixed seed per suite, group and metric, so each interval has its own stream and never changes."""
    return (base + zlib.crc32("|".join(names).encode())) % 2**31


def aggregate(scores: Iterable[Score], seed: int) -> dict[str, Any]:
    """Pooled value, cases it covers, the not-applicable ones by reason, and the 95 % bootstrap interval."""
    units, skipped = [], Counter[str]()
    for score in scores:
        unit = as_unit(score)
        if unit is None:
            skipped[score.reason if isinstance(score, NotApplicable) else "?"] += 1
        else:
            units.append(unit)
    out: dict[str, Any] = {"n": len(units), "not_applicable": dict(sorted(skipped.items()))}
    if units and sum(d for _, d in units) > 0:
        nums, dens = [u[0] for u in units], [u[1] for u in units]
        interval = bootstrap_ci(nums, dens, seed)
        out |= {"value": pooled(nums, dens), "ci95": [interval.low, interval.high]}
    return out


def aggregates(suite: str, metrics: Sequence[str], cases: Sequence[dict[str, Any]], seed: int) -> dict[str, Any]:
    """Every metric over all cases and over each tag's cases."""
    groups = {ALL: list(cases)} | {
        tag: [c for c in cases if tag in c["tags"]] for tag in sorted({t for c in cases for t in c["tags"]})
    }
    return {
        group: {
            "cases": len(members),
            "metrics": {
                m: aggregate(
                    (decode(c["scores"][m]) for c in members if m in c["scores"]), seed_for(seed, suite, group, m)
                )
                for m in metrics
            },
        }
        for group, members in groups.items()
    }


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, dict):
        return {str(k): _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """Sorted keys, rounded floats, no NaN, a final newline: the same value always gives the same bytes."""
    return json.dumps(_rounded(value), sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
