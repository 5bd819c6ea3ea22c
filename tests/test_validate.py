"""Validators catch the flaws of hand-edited or LLM-written drafts, and pass prepro's own."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.catalog import load_catalog
from assistant.parts.facts import part_facts
from assistant.parts.model import parse_part
from assistant.stages.routing.checks import check_routing
from assistant.stages.routing.draft import offline_draft
from assistant.stages.routing.model import RoutingDraft

EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"
CATALOG = load_catalog()


@pytest.fixture(scope="module")
def shaft():
    part = parse_part(yaml.safe_load(EXAMPLE.read_text()))
    draft, facts = offline_draft(part, CATALOG)
    return draft, facts


def findings(draft: RoutingDraft, facts) -> set[tuple]:
    return {(f.severity, f.rule, f.operation, f.feature) for f in check_routing(draft, facts, CATALOG)}


def renumber(operations: list) -> list:
    return [op.model_copy(update={"number": f"{5 * i:03d}"}) for i, op in enumerate(operations, start=1)]


def edit(draft: RoutingDraft, keep=lambda op: True, change=lambda op: op) -> RoutingDraft:
    return draft.model_copy(update={"operations": renumber([change(op) for op in draft.operations if keep(op)])})


def test_prepros_own_draft_has_no_findings(shaft) -> None:
    draft, facts = shaft
    assert check_routing(draft, facts, CATALOG) == []


def test_a_hardened_journal_never_ground_is_caught(shaft) -> None:
    draft, facts = shaft
    flawed = edit(draft, keep=lambda op: op.kind != "grinding")
    found = {(f.rule, f.feature) for f in check_routing(flawed, facts, CATALOG)}
    assert ("feature-not-finished", "F1") in found


def test_grinding_before_heat_treatment_is_caught(shaft) -> None:
    draft, facts = shaft
    ops = list(draft.operations)
    grind = next(op for op in ops if op.kind == "grinding" and "F1" in op.features)
    ht = next(i for i, op in enumerate(ops) if op.kind == "heat_treatment" and "Induction" in op.name)
    ops.remove(grind)
    ops.insert(ht, grind)
    flawed = draft.model_copy(update={"operations": renumber(ops)})
    rules = {(f.rule, f.feature) for f in check_routing(flawed, facts, CATALOG)}
    assert ("finishing-before-heat-treatment", "F1") in rules and ("feature-not-finished", "F1") in rules


def test_numbering_inspection_heat_treatment_and_missing_features(shaft) -> None:
    draft, facts = shaft
    ops = list(draft.operations)
    ops[2] = ops[2].model_copy(update={"number": "016"})
    assert ("error", "numbering", "016", None) in findings(draft.model_copy(update={"operations": ops}), facts)
    no_final = edit(draft, keep=lambda op: op.kind != "inspection")
    assert ("error", "missing-final-inspection", None, None) in findings(no_final, facts)
    no_heat = edit(draft, keep=lambda op: op.kind != "heat_treatment")
    assert any(rule == "missing-heat-treatment" for _, rule, _, _ in findings(no_heat, facts))
    no_keyway = edit(draft, keep=lambda op: "F3" not in op.features)
    assert ("error", "feature-not-machined", None, "F3") in findings(no_keyway, facts)


def test_equipment_unknown_or_too_small(shaft) -> None:
    draft, facts = shaft

    def swap(op):
        if op.kind == "grinding" and op.features:
            return op.model_copy(update={"equipment": op.equipment.model_copy(update={"model": "XYZ-999"})})
        if op.kind == "turning":
            small = next(m for m in CATALOG.machines if "turning" in m.kinds and m.max_length and m.max_length < 240)
            return op.model_copy(update={"equipment": op.equipment.model_copy(update={"model": small.model})})
        return op

    rules = {(f.rule, f.operation) for f in check_routing(edit(draft, change=swap), facts, CATALOG)}
    grind = next(op.number for op in draft.operations if op.kind == "grinding" and op.features)
    rough = next(op.number for op in draft.operations if op.kind == "turning")
    assert ("unknown-equipment", grind) in rules and ("part-does-not-fit", rough) in rules


@pytest.mark.parametrize(
    ("setup", "piece", "rule"),
    [
        (None, 1.0, "time-missing"),
        (10.0, None, "time-missing"),
        (10.0, 0.0, "time-not-positive"),
        (-5.0, 1.0, "time-not-positive"),
        (10.0, 5000.0, "time-absurd"),
        (900.0, 1.0, "time-absurd"),
    ],
)
def test_times_missing_zero_negative_or_absurd(shaft, setup, piece, rule: str) -> None:
    draft, facts = shaft
    ops = list(draft.operations)
    ops[1] = ops[1].model_copy(update={"setup_time_min": setup, "piece_time_min": piece})
    assert ("error", rule, ops[1].number, None) in findings(draft.model_copy(update={"operations": ops}), facts)


def test_an_h7_hole_only_drilled_is_caught() -> None:
    part = parse_part(
        {
            "id": "BU-1",
            "name": "Bushing",
            "kind": "bushing",
            "material": "Steel 45",
            "blank": "rolled_bar",
            "envelope": {"diameter": 60, "length": 50},
            "features": [
                {"id": "F1", "type": "hole", "diameter": 20, "fit": "H7", "ra": 1.6},
                {"id": "F2", "type": "external_cylinder", "diameter": 60, "length": 50, "it": 12},
            ],
        }
    )
    draft, facts = offline_draft(part, CATALOG)
    assert not [f for f in draft.findings if f.severity == "error"]
    only_drilled = edit(draft, keep=lambda op: "F1" not in op.features or op.kind == "drilling")
    assert ("feature-not-finished", "F1") in {(f.rule, f.feature) for f in check_routing(only_drilled, facts, CATALOG)}


def test_an_unreachable_requirement_is_reported_not_hidden() -> None:
    part = parse_part(
        {
            "id": "AL-1",
            "name": "Pin",
            "kind": "shaft",
            "material": "D16T",
            "blank": "rolled_bar",
            "envelope": {"diameter": 20, "length": 60},
            "features": [{"id": "F1", "type": "external_cylinder", "diameter": 18, "length": 30, "it": 4, "ra": 0.05}],
        }
    )
    draft, facts = offline_draft(part, CATALOG)
    assert ("requirement-unreachable", "F1") in {(f.rule, f.feature) for f in draft.findings}
    assert part_facts(part, CATALOG).group == "aluminium"
