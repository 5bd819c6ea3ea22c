"""The route-review checks against the independent technologist-review references (2xx parts).

Each reference route of `evals/datasets/routing/review_references.yaml`, written by a senior technologist and
corrected after a second one's review (`review_verdicts.md`), is turned into a routing draft and run through the
rule checks (`check_routing`, as `check_draft` runs them). A route a technologist signs must raise no finding
(error or warning, as the eval's "technologist review" counts them) of the review rules of
`evals/run_routing.py` REVIEW_RULES; SH-299, the deliberately wrong spec, must raise its
`feature-within-envelope` error.

How a reference becomes a draft: operations are numbered 005, 010, ... in reference order, with the reference's
kind, stage, features and setups; the note is the first setup's content (its clamping before a colon). The machine is a catalogue machine of the type the reference names
(`MACHINE_TYPES` maps the reference's wording to the catalogue's; within the type the first machine that takes
the part class, fits the part and whose bore range covers the operation's holes, else the first of the type);
an operation that names no machine gets the first catalogue machine listed for its kind. A machine type that
the catalogue lacks (annealing furnace, deep-hole drilling and boring machines, planer-type milling machine,
demagnetizer) is kept as an unknown model, so the machine-based checks pass over that operation. The operation
name is the first clause of the reference note for support operations (heat treatment, straightening,
inspection ...), and "<stage> <kind>, <machine type>" for machining.

What the reference cannot express, and so is not tested: the references have no transitions, cutting data or
measuring tools, so `spindle-limits` and `spindle-power` (cutting data of each transition) and
`gauge-matches-fit` (the gauges of an operation) are left out.

Two disagreements found here were decided for the references and the rules mended: a part of kind `other` with a
round envelope (OT-201) is rotational, and a protective allowance turned off in an operation of its own keeps the
soft zone soft (SH-203, route-review-rules.md 5.12).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.catalog import load_catalog
from assistant.engineering.equipment import bore_fits, fits, takes
from assistant.engineering.operations import MachiningStage, OperationKind
from assistant.engineering.types import Machine
from assistant.parts.facts import PartFacts, part_facts
from assistant.parts.readers import load_part
from assistant.stages.findings import Finding
from assistant.stages.routing.checks import check_routing
from assistant.stages.routing.model import Equipment, Operation, RoutingDraft, RoutingRule, Setup, Transition
from evals.run_routing import REVIEW_RULES

DATASET = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "routing"
REFERENCES: dict[str, dict[str, Any]] = yaml.safe_load((DATASET / "review_references.yaml").read_text(encoding="utf-8"))
CATALOG = load_catalog()
WRONG_SPEC = "SH-299"
NOT_EXPRESSIBLE = frozenset({RoutingRule.SPINDLE_LIMITS, RoutingRule.SPINDLE_POWER, RoutingRule.GAUGE_MATCHES_FIT})
TESTED_RULES = REVIEW_RULES - NOT_EXPRESSIBLE

# the reference's machine words -> the catalogue's machine type (same machine, other wording)
MACHINE_TYPES = {
    "facing and centering machine": "facing-centering machine",
    "shot blasting machine": "shot-blasting machine",
    "broaching machine": "horizontal broaching machine",
    "induction hardening machine": "induction hardening unit",
    "bar automatic": "single-spindle automatic",
}
_HOLE_RANGE_KINDS = frozenset({"boring", "grinding", "superfinishing"})


def _machine_type(words: str, note: str) -> str:
    if words == "bar automatic" and "multi-spindle" in note:
        return "multi-spindle automatic"
    return MACHINE_TYPES.get(words, words)


def _machine(op: dict[str, Any], facts: PartFacts) -> Equipment:
    """A catalogue machine of the reference's type for the operation (an unknown model if the type is not there)."""
    note = op.get("note", "")
    if "machine" in op:
        wanted = _machine_type(op["machine"], note)
        candidates = [m for m in CATALOG.machines if m.type == wanted]
        if not candidates:
            return Equipment(model=op["machine"], type=op["machine"])
    else:
        candidates = [m for m in CATALOG.machines if op["kind"] in m.kinds]
    holes = [
        req.size
        for fid in op.get("features", [])
        if (req := facts.requirements.get(fid)) is not None and req.feature_type == "hole"
    ]

    def suits(machine: Machine) -> bool:
        in_range = op["kind"] not in _HOLE_RANGE_KINDS or all(bore_fits(machine, d) for d in holes)
        return takes(machine, facts.geometry) and fits(machine, facts.geometry) and in_range

    chosen = next((m for m in candidates if suits(m)), candidates[0])
    return Equipment(model=chosen.model, type=chosen.type)


def _first_clause(note: str) -> str:
    return re.split(r"[,;:]", re.sub(r"\s*\([^)]*\)", "", note), maxsplit=1)[0].strip()


def _name(op: dict[str, Any], equipment: Equipment) -> str:
    kind = OperationKind(op["kind"])
    words = kind.value.replace("_", " ")
    if kind in {"blank", "facing_centering", "deburring", "washing"} or "stage" not in op:
        return _first_clause(op.get("note", "")) or f"{words.capitalize()}, {equipment.type}"
    return f"{MachiningStage(op['stage']).prefix} {words}, {equipment.type}"


def _setups(op: dict[str, Any]) -> list[Setup]:
    """The reference's setups, its note written as the first one's clamping (before a colon) and content."""
    note = op.get("note", "")
    ids = op.get("setups") or (["A"] if note else [])
    clamping, _, content = note.partition(":") if ":" in note else ("", "", note)
    transitions = [Transition(n=1, text=content.strip())] if content.strip() else []
    return [
        Setup(id=s, clamping=clamping.strip() or None if i == 0 else None, transitions=transitions if i == 0 else [])
        for i, s in enumerate(ids)
    ]


def reference_draft(part_id: str, steps: list[dict[str, Any]] | None = None) -> tuple[RoutingDraft, PartFacts]:
    """The reference route of a review part (or `steps` in its place) as a routing draft, with the part's facts."""
    facts = part_facts(load_part(DATASET / "parts" / f"{part_id}.yaml"), CATALOG)
    operations = []
    for i, op in enumerate(REFERENCES[part_id]["operations"] if steps is None else steps, start=1):
        equipment = _machine(op, facts)
        operations.append(
            Operation(
                number=f"{5 * i:03d}",
                name=_name(op, equipment),
                kind=OperationKind(op["kind"]),
                stage=MachiningStage(op["stage"]) if "stage" in op else None,
                features=list(op.get("features", [])),
                equipment=equipment,
                setups=_setups(op),
                rationale=op.get("note", ""),
            )
        )
    return RoutingDraft(part_id=part_id, operations=operations), facts


def review_findings(part_id: str, steps: list[dict[str, Any]] | None = None) -> list[Finding]:
    """Findings of the review rules the reference can express, errors and warnings."""
    draft, facts = reference_draft(part_id, steps)
    return [
        f for f in check_routing(draft, facts, CATALOG) if f.rule in TESTED_RULES and f.severity in {"error", "warning"}
    ]


SIGNED = sorted(pid for pid, ref in REFERENCES.items() if ref["operations"])


def test_every_review_part_has_a_reference() -> None:
    parts = {p.stem for p in (DATASET / "parts").glob("*.yaml") if re.fullmatch(r"[A-Z]{2}-2\d\d", p.stem)}
    assert parts == set(REFERENCES)
    assert len([pid for pid, ref in REFERENCES.items() if ref["operations"]]) == len(REFERENCES) - 1


@pytest.mark.parametrize("part_id", SIGNED)
def test_a_signed_reference_breaks_no_review_rule(part_id: str) -> None:
    found = [f"{f.severity} {f.rule}: {f.message}" for f in review_findings(part_id)]
    assert not found, found


def test_the_deliberately_wrong_spec_raises_its_error() -> None:
    assert REFERENCES[WRONG_SPEC]["operations"] == []
    found = [(f.severity, f.rule, f.feature) for f in review_findings(WRONG_SPEC)]
    assert ("error", RoutingRule.FEATURE_WITHIN_ENVELOPE, "F2") in found, found


def _without(part_id: str, note_start: str) -> list[dict[str, Any]]:
    steps = REFERENCES[part_id]["operations"]
    kept = [op for op in steps if not op.get("note", "").startswith(note_start)]
    assert len(kept) == len(steps) - 1, note_start
    return kept


def _planted() -> list[Any]:
    """Violations planted in signed references: the conversion keeps what each check reads."""
    tube = [
        {**op, "kind": "drilling"} if "F1" in op.get("features", []) and op["kind"] == "turning" else op
        for op in REFERENCES["BU-201"]["operations"]
    ]
    sawn = [{"kind": "blank", "machine": "band saw"}, *REFERENCES["HS-201"]["operations"]]
    ground_after = [
        {**op, "stage": "finish"} if op.get("stage") == "fine" else op for op in REFERENCES["SH-201"]["operations"]
    ]
    return [
        pytest.param("SH-205", _without("SH-205", "correct (grind or lap) the centre"), "centre-holes-after-ht"),
        pytest.param("HS-201", _without("HS-201", "artificial ageing"), "ageing-castings"),
        pytest.param("SH-205", _without("SH-205", "improvement of the blanks"), "improvement-before-induction"),
        pytest.param("BU-201", tube, "tube-bore"),
        pytest.param("HS-201", sawn, "blank-kind"),
        pytest.param("SH-201", ground_after, "nitriding-route"),
    ]


@pytest.mark.parametrize(("part_id", "steps", "rule"), _planted())
def test_a_violation_planted_in_a_reference_is_found(part_id: str, steps: list[dict[str, Any]], rule: str) -> None:
    assert rule not in {f.rule for f in review_findings(part_id)}
    assert rule in {f.rule for f in review_findings(part_id, steps)}
