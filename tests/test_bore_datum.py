"""Gears, hubs, bushings and flanges are located from the bore (route-review-rules.md 4.4, 4.5, 9.9): the engine
machines the bore and one face first (setup A, held by the outside) and the outside from the bore (setup B, on a
mandrel), and `prepro check routing` catches a draft that finishes the outside before the bore."""

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
    assert messages and "F3 before bore F1" in messages[0]


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
