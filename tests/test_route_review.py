"""What a senior technologist checks first (route-review-rules.md): each rule's violation, planted in a correct
draft, is caught by `prepro check routing`; the engine's own drafts of such parts break none of them."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from assistant.catalog import load_catalog
from assistant.engineering.operations import MachiningStage, OperationKind
from assistant.parts.facts import part_facts
from assistant.parts.model import parse_part
from assistant.parts.notes import toleranced
from assistant.stages.routing.checks import check_routing
from assistant.stages.routing.draft import offline_draft
from assistant.stages.routing.model import Equipment, RoutingDraft, RoutingRule
from tests.test_validate import EXAMPLE

CATALOG = load_catalog()

HOUSING: dict[str, Any] = {
    "id": "HS-T1",
    "name": "Gearbox cover",
    "kind": "housing",
    "material": "SCh20",
    "blank": "casting",
    "envelope": {"length": 260, "width": 180, "height": 120},
    "annual_volume": 500,
    "features": [
        {"id": "F1", "type": "plane", "length": 260, "width": 180, "it": 11, "ra": 3.2},
        {"id": "F2", "type": "hole", "diameter": 72, "depth": 30, "fit": "H7", "ra": 1.6},
        {"id": "F3", "type": "internal_thread", "designation": "M10-6H", "length": 20, "count": 6},
    ],
}
SPINDLE: dict[str, Any] = {
    "id": "SP-T1",
    "name": "Grinding spindle",
    "kind": "shaft",
    "material": "38Kh2MYuA",
    "blank": "forging",
    "hardness": "HV 850..1000",
    "envelope": {"diameter": 60, "length": 400},
    "annual_volume": 200,
    "features": [
        {"id": "F1", "type": "external_cylinder", "diameter": 50, "length": 80, "fit": "h5", "ra": 0.2},
        {"id": "F2", "type": "external_cylinder", "diameter": 45, "length": 60, "fit": "k6", "ra": 0.8},
        {"id": "F3", "type": "external_thread", "designation": "M42x1.5-6g", "length": 25},
    ],
    "notes": "Gas nitriding of F1, F2: h 0.4...0.6 mm, HV 850 min",
}


def drafted(spec: dict[str, Any]) -> tuple[RoutingDraft, Any]:
    return offline_draft(parse_part(spec), CATALOG)


def rules(draft: RoutingDraft, facts: Any) -> set[str]:
    return {f.rule for f in check_routing(draft, facts, CATALOG) if f.severity == "error"}


def with_machine(draft: RoutingDraft, kind: str, model: str) -> RoutingDraft:
    """The draft with the first operation of `kind` moved to machine `model`."""
    machine = CATALOG.machine(model)
    assert machine is not None, model
    ops = list(draft.operations)
    i = next(i for i, op in enumerate(ops) if op.kind == kind)
    ops[i] = ops[i].model_copy(update={"equipment": Equipment(model=machine.model, type=machine.type)})
    return draft.model_copy(update={"operations": ops})


@pytest.mark.parametrize("spec", [HOUSING, SPINDLE], ids=["housing", "nitrided spindle"])
def test_the_engine_breaks_no_review_rule(spec: dict[str, Any]) -> None:
    draft, facts = drafted(spec)
    assert rules(draft, facts) == set(), [f.message for f in draft.findings]


def test_a_housing_is_never_bored_on_a_lathe() -> None:
    draft, facts = drafted(HOUSING)
    boring = next(op for op in draft.operations if "F2" in op.features)
    assert "lathe" not in boring.equipment.type.lower()
    planted = with_machine(draft, boring.kind, "16K20")
    assert RoutingRule.MACHINE_PART_CLASS in rules(planted, facts)


def test_a_6h_thread_is_not_ground_as_if_it_were_it6() -> None:
    draft, facts = drafted(HOUSING)
    thread_op = next(op for op in draft.operations if "F3" in op.features and op.kind == "threading")
    assert "grind" not in thread_op.equipment.type.lower()
    ops = list(draft.operations)
    i = ops.index(thread_op)
    ops[i] = thread_op.model_copy(update={"kind": OperationKind.GRINDING, "stage": MachiningStage.FINE})
    assert RoutingRule.THREAD_CLASS_NOT_IT in rules(draft.model_copy(update={"operations": ops}), facts)


def test_a_gear_larger_than_the_shaft_is_an_error_of_the_spec() -> None:
    spec = {**SPINDLE, "features": [*SPINDLE["features"], {"id": "F4", "type": "gear_teeth", "module": 3, "teeth": 40}]}
    draft, facts = drafted(spec)
    found = [f for f in check_routing(draft, facts, CATALOG) if f.rule == RoutingRule.FEATURE_WITHIN_ENVELOPE]
    assert [(f.severity, f.feature) for f in found] == [("error", "F4")]
    assert "tip diameter Ø126 exceeds the envelope diameter Ø60" in found[0].message


def test_a_nitriding_steel_is_nitrided_after_finish_grinding_and_only_fine_ground_after() -> None:
    draft, facts = drafted(SPINDLE)
    kinds = [(op.kind, op.stage, op.name) for op in draft.operations]
    names = [name for kind, _, name in kinds if kind == "heat_treatment"]
    assert names[0] == "Hardening and high tempering (improvement)" and names[-1] == "Gas nitriding"
    nitriding = next(i for i, op in enumerate(draft.operations) if op.name == "Gas nitriding")
    assert all(
        (op.kind, op.stage) in {("grinding", "fine"), ("superfinishing", "fine")}
        for op in draft.operations[nitriding + 1 :]
        if op.features
    )
    assert any(op.kind == "grinding" and op.stage == "finish" for op in draft.operations[:nitriding])
    carburized = [
        op.model_copy(update={"name": "Carburizing, hardening and low tempering"}) if i == nitriding else op
        for i, op in enumerate(draft.operations)
    ]
    assert RoutingRule.NITRIDING_ROUTE in rules(draft.model_copy(update={"operations": carburized}), facts)
    turned_after = [*draft.operations[: nitriding + 1], *draft.operations[2:4], *draft.operations[nitriding + 1 :]]
    assert RoutingRule.NITRIDING_ROUTE in rules(draft.model_copy(update={"operations": turned_after}), facts)


def test_part_facts_of_the_spindle_choose_nitriding() -> None:
    assert part_facts(parse_part(SPINDLE), CATALOG).treatment == "nitriding"


def test_an_it12_ra_6_3_hole_is_drilled_only() -> None:
    spec = {
        **HOUSING,
        "features": [
            *HOUSING["features"],
            {"id": "F4", "type": "hole", "diameter": 9, "depth": 20, "it": 12, "ra": 6.3},
        ],
    }
    draft, facts = drafted(spec)
    assert [op.kind for op in draft.operations if "F4" in op.features] == ["drilling"]
    reamed = [
        op.model_copy(update={"kind": OperationKind.REAMING, "features": ["F4"]}) if op.kind == "threading" else op
        for op in draft.operations
    ]
    found = [f for f in check_routing(draft.model_copy(update={"operations": reamed}), facts, CATALOG)]
    assert any(f.rule == RoutingRule.DRILLED_ONLY and f.feature == "F4" for f in found)


LONG_SHAFT: dict[str, Any] = {
    "id": "SH-T2",
    "name": "Long drive shaft",
    "kind": "shaft",
    "material": "Steel 45",
    "blank": "rolled_bar",
    "hardness": "HRC 48..52",
    "envelope": {"diameter": 32, "length": 480},
    "annual_volume": 300,
    "features": [
        {"id": "F1", "type": "external_cylinder", "diameter": 30, "length": 60, "fit": "k6", "ra": 0.8},
        {"id": "F2", "type": "external_cylinder", "diameter": 32, "length": 400, "it": 12, "ra": 6.3},
    ],
    "notes": "Induction hardening of journal F1 to HRC 48..52",
}


def without(draft: RoutingDraft, name: str) -> RoutingDraft:
    ops = [op for op in draft.operations if not op.name.startswith(name)]
    return draft.model_copy(update={"operations": ops})


def warned(draft: RoutingDraft, facts: Any) -> set[str]:
    return {f.rule for f in check_routing(draft, facts, CATALOG)}


def test_a_long_induction_hardened_shaft_is_improved_straightened_and_its_centres_ground() -> None:
    draft, facts = drafted(LONG_SHAFT)
    names = [op.name for op in draft.operations]
    assert names.index("Hardening and high tempering (improvement)") < names.index(
        "Induction hardening and low tempering"
    )
    hardening = names.index("Induction hardening and low tempering")
    assert names[hardening + 1 : hardening + 3] == ["Straightening", "Centre-hole grinding"]
    assert draft.operations[hardening + 2].equipment.type == "centre-hole grinder"
    review = {RoutingRule.IMPROVEMENT_BEFORE_INDUCTION, RoutingRule.STRAIGHTENING, RoutingRule.CENTRE_HOLES_AFTER_HT}
    assert not warned(draft, facts) & review
    assert RoutingRule.IMPROVEMENT_BEFORE_INDUCTION in warned(without(draft, "Hardening and high"), facts)
    assert RoutingRule.STRAIGHTENING in warned(without(draft, "Straightening"), facts)
    assert RoutingRule.CENTRE_HOLES_AFTER_HT in warned(without(draft, "Centre-hole"), facts)


def test_a_cast_housing_with_it7_bores_is_aged_between_roughing_and_finishing() -> None:
    draft, facts = drafted(HOUSING)
    kinds = [(op.kind, op.stage, op.name) for op in draft.operations]
    ageing = next(i for i, (_, _, name) in enumerate(kinds) if name.startswith("Artificial ageing"))
    assert any(stage == "rough" for _, stage, _ in kinds[:ageing])
    assert all(stage != "rough" for _, stage, _ in kinds[ageing + 1 :])
    assert RoutingRule.AGEING_CASTINGS not in warned(draft, facts)
    assert RoutingRule.AGEING_CASTINGS in warned(without(draft, "Artificial ageing"), facts)


def test_a_gauge_is_made_to_the_class_of_the_surface_it_checks() -> None:
    draft, facts = drafted(SPINDLE)
    assert RoutingRule.GAUGE_MATCHES_FIT not in warned(draft, facts)
    grinding = next(i for i, op in enumerate(draft.operations) if "F2" in op.features and op.kind == "grinding")
    ops = list(draft.operations)
    wrong = "Limit snap gauge GO/NO-GO for shafts h6-h9 (GOST 24853 tolerances)"
    ops[grinding] = ops[grinding].model_copy(update={"measuring": [wrong]})
    found = [f for f in check_routing(draft.model_copy(update={"operations": ops}), facts, CATALOG)]
    assert any(f.rule == RoutingRule.GAUGE_MATCHES_FIT and "k6" in f.message for f in found)


CARBURIZED: dict[str, Any] = {
    "id": "SH-T3",
    "name": "Pinion shaft",
    "kind": "shaft",
    "material": "20Kh",
    "blank": "rolled_bar",
    "hardness": "HRC 58..62",
    "envelope": {"diameter": 45, "length": 220},
    "annual_volume": 400,
    "features": [
        {"id": "F1", "type": "external_cylinder", "diameter": 35, "length": 40, "fit": "k6", "ra": 0.8},
        {"id": "F2", "type": "external_thread", "designation": "M30x1.5-6g", "length": 20},
        {"id": "F3", "type": "keyway", "width": 10, "length": 32, "depth": 5, "fit": "N9", "ra": 3.2},
    ],
    "notes": "Carburize h 0.8...1.2 mm, HRC 58..62; thread F2 and keyway F3 soft",
}


def test_a_carburized_part_says_how_its_threads_and_keyways_stay_soft() -> None:
    draft, facts = drafted(CARBURIZED)
    ht = next(op for op in draft.operations if op.name.startswith("Carburizing"))
    texts = [t.text for s in ht.setups for t in s.transitions]
    assert texts[0].startswith("Protect F2, F3 against the case: copper plating")
    assert RoutingRule.CASE_PROTECTION not in warned(draft, facts)
    bare = [op.model_copy(update={"setups": []}) if op is ht else op for op in draft.operations]
    assert RoutingRule.CASE_PROTECTION in warned(draft.model_copy(update={"operations": bare}), facts)


def test_spindle_speeds_stay_within_the_machine_range() -> None:
    draft, facts = drafted(SPINDLE)
    assert RoutingRule.SPINDLE_LIMITS not in warned(draft, facts)
    i = next(i for i, op in enumerate(draft.operations) if op.kind == "turning" and op.setups)
    op = draft.operations[i]
    machine = CATALOG.machine(op.equipment.model)
    assert machine is not None and machine.rpm_max is not None
    first = op.setups[0].transitions[0]
    assert first.cutting is not None and first.cutting.rpm is not None and first.cutting.rpm <= machine.rpm_max
    fast = first.model_copy(update={"cutting": first.cutting.model_copy(update={"rpm": machine.rpm_max * 2})})
    setups = [op.setups[0].model_copy(update={"transitions": [fast, *op.setups[0].transitions[1:]]})]
    ops = list(draft.operations)
    ops[i] = op.model_copy(update={"setups": setups})
    assert RoutingRule.SPINDLE_LIMITS in warned(draft.model_copy(update={"operations": ops}), facts)


PIN: dict[str, Any] = {
    "id": "PN-T1",
    "name": "Pin",
    "kind": "shaft",
    "material": "Steel 45",
    "blank": "rolled_bar",
    "mass_kg": 0.05,
    "envelope": {"diameter": 12, "length": 50},
    "annual_volume": 150000,
    "features": [
        {"id": "F1", "type": "external_cylinder", "diameter": 12, "length": 50, "it": 10, "ra": 3.2},
        {"id": "F2", "type": "end_face", "diameter": 12, "it": 14, "ra": 6.3, "count": 2},
    ],
}
SLEEVE: dict[str, Any] = {
    "id": "BU-T1",
    "name": "Sleeve",
    "kind": "bushing",
    "material": "Steel 45",
    "blank": "tube",
    "envelope": {"diameter": 60, "length": 120},
    "annual_volume": 500,
    "features": [
        {"id": "F1", "type": "external_cylinder", "diameter": 60, "length": 120, "fit": "h8", "ra": 1.6},
        {"id": "F2", "type": "hole", "diameter": 40, "depth": 120, "through": True, "fit": "H7", "ra": 1.6},
    ],
}


def test_a_bar_automatic_takes_the_bar_without_a_saw_and_the_card_gives_the_blank() -> None:
    draft, facts = drafted(PIN)
    assert draft.operations[0].kind != "blank" and "automatic" in draft.operations[0].equipment.type
    assert draft.blank is not None and "bar automatic" in draft.blank.size and draft.blank.utilisation
    assert RoutingRule.MISSING_BLANK_OPERATION not in warned(draft, facts)


def test_a_casting_is_never_sawn() -> None:
    draft, facts = drafted(HOUSING)
    assert draft.blank is not None and draft.blank.kind == "casting" and draft.blank.mass_kg
    assert all(op.kind != "blank" for op in draft.operations)
    saw = CATALOG.machine("8G681")
    assert saw is not None
    cut = draft.operations[0].model_copy(
        update={
            "kind": OperationKind.BLANK,
            "stage": None,
            "features": [],
            "equipment": Equipment(model=saw.model, type=saw.type),
        }
    )
    sawn = draft.model_copy(update={"operations": [cut, *draft.operations[1:]]})
    assert RoutingRule.BLANK_KIND in rules(sawn, facts)


def test_a_tube_bore_is_bored_never_drilled() -> None:
    draft, facts = drafted(SLEEVE)
    assert draft.blank is not None and draft.blank.kind == "tube" and facts.cored_above is not None
    assert not any(op.kind == "drilling" and "F2" in op.features for op in draft.operations)
    assert any(op.kind in {"boring", "turning"} and "F2" in op.features for op in draft.operations)
    first = next(i for i, op in enumerate(draft.operations) if "F2" in op.features)
    ops = list(draft.operations)
    ops[first] = ops[first].model_copy(update={"kind": OperationKind.DRILLING})
    assert RoutingRule.TUBE_BORE in rules(draft.model_copy(update={"operations": ops}), facts)


def test_a_thread_is_turned_at_manual_speeds_on_a_manual_lathe() -> None:
    spec = yaml.safe_load(EXAMPLE.read_text()) | {"annual_volume": 20, "batch_size": 5}
    draft, _ = drafted(spec)
    turned = [
        (op, t) for op in draft.operations for s in op.setups for t in s.transitions if t.text.startswith("Turn thread")
    ]
    assert turned, [op.name for op in draft.operations]
    for op, t in turned:
        machine = CATALOG.machine(op.equipment.model)
        assert machine is not None and t.cutting is not None and t.cutting.speed_m_min is not None
        limit = 35 if machine.automation == "universal" else 80
        assert t.cutting.speed_m_min <= limit, (machine.model, t.cutting)


def test_a_bore_is_honed_only_within_the_machine_range() -> None:
    draft, facts = drafted(SLEEVE)
    assert RoutingRule.BORE_LIMITS not in warned(draft, facts)
    big = CATALOG.machine("3G833")
    assert big is not None and big.min_hole_diameter is not None and big.min_hole_diameter > 40
    i = next(i for i, op in enumerate(draft.operations) if "F2" in op.features and op.kind in {"boring", "grinding"})
    ops = list(draft.operations)
    ops[i] = ops[i].model_copy(
        update={"kind": OperationKind.SUPERFINISHING, "equipment": Equipment(model=big.model, type=big.type)}
    )
    assert RoutingRule.BORE_LIMITS in warned(draft.model_copy(update={"operations": ops}), facts)


FLANGE: dict[str, Any] = {
    "id": "FL-T1",
    "name": "Bearing cover flange",
    "kind": "flange",
    "material": "Steel 45",
    "blank": "forging",
    "envelope": {"diameter": 200, "length": 30},
    "annual_volume": 600,
    "features": [
        {"id": "F1", "type": "hole", "diameter": 80, "depth": 30, "through": True, "fit": "H7", "ra": 1.6},
        {"id": "F2", "type": "end_face", "diameter": 200, "it": 12, "ra": 3.2, "count": 2},
        {"id": "F3", "type": "hole", "diameter": 10, "depth": 30, "through": True, "fit": "H7", "ra": 1.6, "count": 2},
        {"id": "F4", "type": "hole", "diameter": 13, "depth": 30, "through": True, "it": 12, "ra": 12.5, "count": 6},
    ],
    "notes": "Six bolt holes F4 on PCD 160, positional 0.2 relative to F1; dowel holes F3 positional 0.03 to F1.",
}


def test_notes_name_the_toleranced_features_before_the_tolerance() -> None:
    notes = "Holes F7 on PCD 160, positional 0.2 relative to F1 (A); F4 and F5 coaxial within 0.02. F9 free."
    assert toleranced(notes, ["F1", "F4", "F5", "F7", "F9"], "positional") == [["F7"]]
    assert toleranced(notes, ["F1", "F4", "F5", "F7", "F9"], "coaxial") == [["F4", "F5"]]
    assert toleranced(None, ["F1"], "positional") == []


def test_a_hole_pattern_with_a_positional_tolerance_is_drilled_and_reamed_in_one_setup() -> None:
    draft, facts = drafted(FLANGE)
    pattern = [op for op in draft.operations if {"F3", "F4"} & set(op.features) and op.kind != "inspection"]
    assert len(pattern) == 1 and {"F3", "F4"} <= set(pattern[0].features), [(o.name, o.features) for o in pattern]
    assert RoutingRule.POSITIONAL_ONE_SETUP not in warned(draft, facts)
    assert not {f.rule for f in draft.findings} & {"feature-not-finished", "feature-not-machined"}
    ops = list(draft.operations)
    i = ops.index(pattern[0])
    drilled = pattern[0].model_copy(update={"features": ["F3"]})
    reamed = pattern[0].model_copy(update={"kind": OperationKind.REAMING, "features": ["F3"], "number": "999"})
    split = draft.model_copy(update={"operations": [*ops[:i], drilled, reamed, *ops[i + 1 :]]})
    assert RoutingRule.POSITIONAL_ONE_SETUP in warned(split, facts)


def test_a_hardness_range_below_the_supplied_hardness_is_reached_by_normalizing() -> None:
    spec = {**PIN, "id": "PN-T2", "annual_volume": 500, "hardness": "HB 170..200"}
    draft, facts = drafted(spec)
    assert facts.treatment == "normalizing" and not facts.is_hardened("F1")
    first_ht = next(op for op in draft.operations if op.kind == "heat_treatment")
    assert first_ht.name == "Normalizing" and draft.operations.index(first_ht) <= 1
    assert [op.kind for op in draft.operations].count("heat_treatment") == 1
    assert any(t.text.startswith("Check hardness HB 170..200") for s in first_ht.setups for t in s.transitions)
    assert RoutingRule.MISSING_HEAT_TREATMENT in rules(without(draft, "Normalizing"), facts)


def test_a_journal_with_a_runout_to_the_axis_is_ground_between_centres_not_centreless() -> None:
    spec = {
        **PIN,
        "id": "PN-T3",
        "features": [{"id": "F1", "type": "external_cylinder", "diameter": 12, "length": 50, "fit": "h6", "ra": 0.4}],
        "notes": "Radial runout of F1 to the centre axis 0.005",
    }
    draft, facts = drafted(spec)
    assert facts.runout == {"F1"}
    ground = [op for op in draft.operations if op.kind == "grinding" and "F1" in op.features]
    assert ground and all("centreless" not in op.equipment.type for op in ground)
    free, _ = drafted({**spec, "id": "PN-T4", "notes": ""})
    centreless = CATALOG.machine(next(m.model for m in CATALOG.machines if m.type == "centreless grinder"))
    assert centreless is not None
    ops = [
        op.model_copy(update={"equipment": Equipment(model=centreless.model, type=centreless.type)})
        if op in ground
        else op
        for op in draft.operations
    ]
    assert RoutingRule.CENTRELESS_DATUM in warned(draft.model_copy(update={"operations": ops}), facts)
    assert RoutingRule.CENTRELESS_DATUM not in warned(free, part_facts(parse_part({**spec, "notes": ""}), CATALOG))


def test_coaxial_bores_are_finished_in_one_setup() -> None:
    spec = {
        **HOUSING,
        "id": "HS-T2",
        "features": [
            *HOUSING["features"],
            {"id": "F4", "type": "hole", "diameter": 72, "depth": 30, "through": True, "fit": "H7", "ra": 1.6},
        ],
        "notes": "Bores F2 and F4 coaxial within 0.02 (opposite walls).",
    }
    draft, facts = drafted(spec)
    assert RoutingRule.LINE_BORING not in warned(draft, facts)
    last = max(i for i, op in enumerate(draft.operations) if "F4" in op.features and op.kind == "boring")
    ops = list(draft.operations)
    ops[last] = ops[last].model_copy(update={"features": [f for f in ops[last].features if f != "F4"]})
    alone = ops[last].model_copy(update={"features": ["F4"], "number": "999"})
    split = draft.model_copy(update={"operations": [*ops[: last + 1], alone, *ops[last + 1 :]]})
    assert RoutingRule.LINE_BORING in warned(split, facts)


def test_a_cut_heavier_than_the_spindle_power_is_caught_and_the_engine_takes_smaller_depths() -> None:
    draft, facts = drafted(SPINDLE)
    assert RoutingRule.SPINDLE_POWER not in warned(draft, facts)
    i, t = next(
        (i, t)
        for i, op in enumerate(draft.operations)
        for s in op.setups
        for t in s.transitions
        if t.text.startswith("Rough-turn") and t.cutting is not None
    )
    assert t.cutting is not None
    heavy = t.model_copy(update={"cutting": t.cutting.model_copy(update={"depth_mm": 12.0, "feed_mm_rev": 1.0})})
    op = draft.operations[i]
    setups = [s.model_copy(update={"transitions": [heavy if x is t else x for x in s.transitions]}) for s in op.setups]
    ops = list(draft.operations)
    ops[i] = op.model_copy(update={"setups": setups})
    assert RoutingRule.SPINDLE_POWER in warned(draft.model_copy(update={"operations": ops}), facts)
