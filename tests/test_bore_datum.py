"""Gears, hubs, bushings and flanges are located from the bore (route-review-rules.md 4.4, 4.5, 9.9): the engine
machines the bore and one face first (setup A, held by the outside) and the outside from the bore (setup B, on a
mandrel), and `prepro check routing` catches a draft that finishes the outside before the bore; tooth ends the
drawing asks to be chamfered are chamfered after gear cutting and before hardening (9.7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant.catalog import load_catalog
from assistant.parts.model import parse_part
from assistant.stages.routing.checks import check_routing
from assistant.stages.routing.draft import offline_draft
from assistant.stages.routing.model import RoutingDraft, RoutingRule

CATALOG = load_catalog()
REVIEW_PARTS = Path(__file__).parent.parent / "evals" / "datasets" / "routing" / "parts"


def drafted(path: Path) -> tuple[RoutingDraft, Any]:
    return offline_draft(parse_part(yaml.safe_load(path.read_text(encoding="utf-8"))), CATALOG)


def bore_errors(draft: RoutingDraft, facts: Any) -> list[str]:
    return [
        f.message
        for f in check_routing(draft, facts, CATALOG)
        if f.rule == RoutingRule.BORE_DATUM_FIRST and f.severity == "error"
    ]


def test_a_gear_is_bored_in_setup_a_and_turned_on_a_mandrel_from_the_bore_in_setup_b() -> None:
    draft, facts = drafted(REVIEW_PARTS / "GR-201.yaml")
    op = next(op for op in draft.operations if "F1" in op.features and "F3" in op.features)
    a, b = op.setups
    assert (a.id, b.id) == ("A", "B")
    assert "chuck" in (a.clamping or "") and "bore F1" in (b.clamping or "")
    assert any("F1" in t.text for t in a.transitions) and not any("F3" in t.text for t in a.transitions)
    assert any("F3" in t.text for t in b.transitions)
    assert [t.n for s in op.setups for t in s.transitions] == list(range(1, len(a.transitions + b.transitions) + 1))
    assert any("mandrel" in f.lower() for f in op.fixtures)
    assert bore_errors(draft, facts) == []


def test_the_outside_turned_in_the_setup_before_the_bore_is_caught() -> None:
    draft, facts = drafted(REVIEW_PARTS / "GR-201.yaml")
    ops = list(draft.operations)
    i = next(i for i, op in enumerate(ops) if len(op.setups) == 2)
    a, b = ops[i].setups
    ops[i] = ops[i].model_copy(update={"setups": [b.model_copy(update={"id": "A"}), a.model_copy(update={"id": "B"})]})
    messages = bore_errors(draft.model_copy(update={"operations": ops}), facts)
    assert messages and "F3 in a setup before bore F1" in messages[0]


def test_finishing_a_bushing_outside_before_its_bore_is_caught() -> None:
    draft, facts = drafted(REVIEW_PARTS / "BU-101.yaml")
    assert bore_errors(draft, facts) == []
    ops = list(draft.operations)
    finish = next(i for i, op in enumerate(ops) if op.kind == "turning" and op.stage == "finish")
    moved = [ops[finish], *ops[:finish], *ops[finish + 1 :]]
    messages = bore_errors(draft.model_copy(update={"operations": moved}), facts)
    assert messages and "before bore F1 is machined" in messages[0]


def test_work_on_the_outside_after_the_bore_is_located_on_a_mandrel() -> None:
    draft, _ = drafted(REVIEW_PARTS / "BU-101.yaml")
    bore_first = next(i for i, op in enumerate(draft.operations) if "F1" in op.features)
    later = [op for op in draft.operations[bore_first + 1 :] if op.kind == "turning" and "F1" not in op.features]
    assert later and all(op.setups[0].clamping and "bore F1" in op.setups[0].clamping for op in later)
    assert all(any("mandrel" in f.lower() for f in op.fixtures) for op in later)


def test_a_bar_automatic_makes_bore_and_outside_in_one_clamping_and_is_not_flagged() -> None:
    draft, facts = drafted(REVIEW_PARTS / "BU-104.yaml")
    assert any("automatic" in op.equipment.type for op in draft.operations)
    assert bore_errors(draft, facts) == []


def test_tooth_ends_the_drawing_asks_for_are_chamfered_before_hardening() -> None:
    draft, facts = drafted(REVIEW_PARTS / "GR-201.yaml")  # notes: "Tooth ends chamfered 0.5x45"
    names = [op.name for op in draft.operations]
    at = names.index("Tooth chamfering")
    assert names.index("Gear hobbing") < at < names.index("Gear shaving")
    chamfering = draft.operations[at]
    assert "chamfering" in chamfering.equipment.type and chamfering.piece_time_min > 0
    assert "tooth ends of F6" in chamfering.setups[0].transitions[0].text
    assert tooth_errors(draft, facts) == []
    dropped = draft.model_copy(update={"operations": [op for op in draft.operations if op is not chamfering]})
    assert tooth_errors(dropped, facts) and "no operation does it" in tooth_errors(dropped, facts)[0]


def test_chamfering_hardened_teeth_is_caught() -> None:
    spec = yaml.safe_load((REVIEW_PARTS / "GR-201.yaml").read_text(encoding="utf-8"))
    spec.update(material="20Kh", hardness="HRC 58..62", notes=spec["notes"].replace("Improvement", "Carburizing"))
    draft, facts = offline_draft(parse_part(spec), CATALOG)
    ops = list(draft.operations)
    chamfering = next(op for op in ops if op.name == "Tooth chamfering")
    hardening = next(op for op in ops if op.kind == "heat_treatment" and "arburiz" in op.name)
    assert ops.index(chamfering) < ops.index(hardening) and tooth_errors(draft, facts) == []
    ops.remove(chamfering)
    ops.insert(ops.index(hardening) + 1, chamfering)
    messages = tooth_errors(draft.model_copy(update={"operations": ops}), facts)
    assert messages and "after heat treatment" in messages[0]


def tooth_errors(draft: RoutingDraft, facts: Any) -> list[str]:
    return [f.message for f in check_routing(draft, facts, CATALOG) if f.rule == RoutingRule.TOOTH_CHAMFERING]
