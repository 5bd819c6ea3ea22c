"""Ordering chosen chains into operations (operation-sequencing.md §3-§5)."""

from __future__ import annotations

from assistant.catalog import load_catalog
from assistant.engineering.routing import Condition, FeatureRoute, choose_chain
from assistant.engineering.sequencing import (
    AFTER_HT,
    BEFORE_HT,
    BLANK,
    CLOSING,
    DATUM,
    HEAT,
    IMPROVE,
    Layout,
    plan_operations,
)
from assistant.engineering.types import Capability, ChainOption, Requirement

CATALOG = load_catalog()


def route(requirement: Requirement, condition: Condition) -> FeatureRoute:
    chosen = choose_chain(requirement, CATALOG.chains[requirement.feature_type], CATALOG.processes, condition)
    assert chosen is not None and chosen.ok
    return chosen


def hand_route(requirement: Requirement, codes: list[str], after_ht: tuple[bool, ...] | None = None) -> FeatureRoute:
    steps = tuple(CATALOG.processes[c] for c in codes)
    return FeatureRoute(
        requirement,
        ChainOption(tuple(codes), "chains-test.md", "9.9"),
        steps,
        after_ht or tuple(False for _ in codes),
        Capability(14, 12.5),
        True,
        sum(s.cost for s in steps),
    )


def shaft_routes(journal_hardened: bool = False) -> list[FeatureRoute]:
    """Steel 45 stepped shaft: end face, free diameter, ground journal, keyway, thread (§6.1 of the corpus)."""
    soft = Condition("steel", "medium_batch", True, "shaft", False)
    journal = Condition("steel", "medium_batch", True, "shaft", journal_hardened)
    return [
        route(Requirement("F1", "end_face", 14, 12.5, 50, 0), soft),
        route(Requirement("C1", "external_cylinder", 14, 12.5, 50, 100), soft),
        route(Requirement("J1", "external_cylinder", 6, 0.8, 40, 50), journal),
        route(Requirement("K1", "keyway", 9, 3.2, 12, 45, width=12, depth=5), soft),
        route(Requirement("T1", "external_thread", 6, 3.2, 20, 30, pitch=1.5), soft),
    ]


SHAFT = Layout(rotational=True, centres=True, blank_cut=True, treatment=None)


def kinds(operations) -> list[str]:
    return [op.kind for op in operations]


def test_typical_shaft_route_order():
    ops = plan_operations(shaft_routes(), SHAFT, None)
    assert [(op.kind, op.name) for op in ops] == [
        ("blank", "Cutting-off"),
        ("facing_centering", "Facing and centering"),
        ("turning", "Rough turning"),
        ("turning", "Finish turning"),
        ("milling", "Keyway milling"),
        ("threading", "Thread turning"),
        ("grinding", "Finish cylindrical grinding"),
        ("deburring", "Deburring"),
        ("washing", "Washing"),
        ("inspection", "Final inspection"),
    ]


def test_blank_preparation_first_when_the_blank_is_cut():
    ops = plan_operations(shaft_routes(), SHAFT, None)
    assert (ops[0].kind, ops[0].phase, ops[0].rule.section) == ("blank", BLANK, "3.1")


def test_no_blank_operation_for_a_forging():
    layout = Layout(rotational=True, centres=True, blank_cut=False, treatment=None)
    ops = plan_operations(shaft_routes(), layout, None)
    assert ops[0].kind == "facing_centering"
    assert "blank" not in kinds(ops)


def test_shaft_datums_are_facing_and_centering_with_the_rough_end_faces():
    ops = plan_operations(shaft_routes(), SHAFT, None)
    datum = ops[1]
    assert (datum.kind, datum.phase, datum.family, datum.rule.section) == (
        "facing_centering",
        DATUM,
        ("centering",),
        "3.2",
    )
    assert datum.feature_ids == ["F1"]
    assert [s.process.code for s in datum.steps] == ["turn_rough"]
    # the end face is not turned again in the rough-turning operation
    assert "F1" not in ops[2].feature_ids


def test_steps_of_the_same_kind_and_stage_share_one_operation():
    ops = plan_operations(shaft_routes(), SHAFT, None)
    rough = ops[2]
    assert rough.feature_ids == ["C1", "J1"]
    assert [s.process.code for s in rough.steps] == ["turn_rough", "turn_rough"]
    assert rough.stage == "rough"


def test_roughing_of_every_surface_comes_before_any_finishing():
    ops = plan_operations(shaft_routes(), SHAFT, None)
    machining = [op for op in ops if op.phase == BEFORE_HT]
    stages = [op.stage for op in machining]
    assert stages.index("rough") < min(i for i, s in enumerate(stages) if s != "rough")
    assert all(s == "rough" for s in stages[: stages.count("rough")])


def test_drilling_rough_step_precedes_finish_turning():
    routes = [
        hand_route(Requirement("J1", "external_cylinder", 8, 1.6, 40, 50), ["turn_rough", "turn_finish"]),
        hand_route(Requirement("H1", "hole", 12, 12.5, 8, 20), ["drill"]),
    ]
    ops = plan_operations(routes, Layout(True, False, False, None), None)
    names = [op.name for op in ops]
    assert names.index("Drilling") < names.index("Finish turning")


def test_closing_operations_are_deburring_washing_inspection_in_that_order():
    ops = plan_operations(shaft_routes(), SHAFT, None)
    assert [(op.kind, op.phase, op.rule.section) for op in ops[-3:]] == [
        ("deburring", CLOSING, "5.1"),
        ("washing", CLOSING, "5.1"),
        ("inspection", CLOSING, "5.1"),
    ]


def test_improvement_comes_right_after_the_blank_and_no_later_heat_treatment():
    layout = Layout(rotational=True, centres=True, blank_cut=True, treatment="improvement")
    ops = plan_operations(shaft_routes(), layout, "Hardening and high tempering (improvement)")
    assert kinds(ops)[:3] == ["blank", "heat_treatment", "facing_centering"]
    assert (ops[1].phase, ops[1].treatment, ops[1].rule.section, ops[1].name) == (
        IMPROVE,
        "improvement",
        "4.2",
        "Hardening and high tempering (improvement)",
    )
    assert kinds(ops).count("heat_treatment") == 1


def test_induction_hardening_between_cutting_and_grinding_of_the_journal():
    layout = Layout(rotational=True, centres=True, blank_cut=True, treatment="induction_hardening")
    ops = plan_operations(shaft_routes(journal_hardened=True), layout, "Induction hardening and low tempering")
    assert kinds(ops) == [
        "blank",
        "heat_treatment",  # improvement before induction hardening (route-review-rules.md 5.4)
        "facing_centering",
        "turning",
        "turning",
        "milling",
        "threading",
        "heat_treatment",
        "grinding",  # the centre holes, ground after hardening (5.16)
        "grinding",
        "deburring",
        "washing",
        "inspection",
    ]
    improve, heat, centres, grind = ops[1], ops[7], ops[8], ops[9]
    assert (improve.treatment, improve.rule.doc, improve.rule.section) == (
        "improvement",
        "route-review-rules.md",
        "5.4",
    )
    assert (heat.phase, heat.treatment, heat.rule.section) == (HEAT, "induction_hardening", "4.6")
    assert (centres.name, centres.steps, centres.rule.section) == ("Centre-hole grinding", (), "5.16")
    assert (grind.phase, grind.rule.section, grind.feature_ids) == (AFTER_HT, "4.1", ["J1"])
    assert all(s.after_ht for s in grind.steps)


def test_through_hardening_is_placed_by_clause_4_1_with_default_name():
    layout = Layout(rotational=True, centres=True, blank_cut=True, treatment="through_hardening")
    ops = plan_operations(shaft_routes(journal_hardened=True), layout, None)
    heat = next(op for op in ops if op.kind == "heat_treatment")
    assert (heat.name, heat.rule.section, heat.phase) == ("Heat treatment", "4.1", HEAT)
    before = [op for op in ops if op.phase == BEFORE_HT]
    after = [op for op in ops if op.phase == AFTER_HT]
    assert ops.index(before[-1]) < ops.index(heat) < ops.index(after[0])


def test_operations_without_heat_treatment_have_no_heat_operation():
    assert "heat_treatment" not in kinds(plan_operations(shaft_routes(), SHAFT, None))


# ---- prismatic parts -------------------------------------------------------------------------


def plate_routes() -> list[FeatureRoute]:
    prismatic = Condition("cast_iron", "medium_batch", False, "housing", False)
    return [
        route(Requirement("P1", "plane", 9, 1.6, 120, 200, width=120), prismatic),
        route(Requirement("P2", "plane", 12, 12.5, 60, 100, width=60), prismatic),
        route(Requirement("H1", "hole", 12, 12.5, 10, 20), prismatic),
        route(Requirement("H2", "hole", 7, 0.8, 20, 20), prismatic),
    ]


PLATE = Layout(rotational=False, centres=False, blank_cut=False, treatment=None, datum_plane="P1")


def test_base_plane_is_machined_first_on_a_prismatic_part():
    ops = plan_operations(plate_routes(), PLATE, None)
    datum = ops[0]
    assert (datum.kind, datum.phase, datum.rule.section) == ("milling", DATUM, "3.2")
    assert datum.name == "Finish milling of the base plane"
    assert [s.process.code for s in datum.steps] == ["mill_rough", "mill_finish"]
    assert all("P1" not in op.feature_ids for op in ops[1:])


def test_prismatic_route_order_by_stage_then_kind():
    ops = plan_operations(plate_routes(), PLATE, None)
    assert [(op.name, op.feature_ids) for op in ops[1:-3]] == [
        ("Rough milling", ["P2"]),
        ("Drilling", ["H1", "H2"]),
        ("Core drilling (countersinking)", ["H2"]),
        ("Reaming", ["H2"]),
        ("Fine reaming", ["H2"]),
    ]
    assert "facing_centering" not in kinds(ops)


def test_mixed_codes_in_one_operation_get_a_stage_prefixed_name():
    routes = [
        hand_route(Requirement("C2", "external_cylinder", 10, 3.2, 50, 40), ["turn_rough", "turn_semi"]),
        hand_route(Requirement("J1", "external_cylinder", 8, 1.6, 40, 50), ["turn_rough", "turn_finish"]),
    ]
    ops = plan_operations(routes, Layout(True, False, False, None), None)
    second = ops[1]
    assert second.name == "Finish turning"
    assert second.feature_ids == ["C2", "J1"]
    assert second.stage == "finish"


def test_drill_and_tap_drill_share_the_drilling_operation():
    routes = [
        hand_route(Requirement("H1", "hole", 12, 12.5, 10, 20), ["drill"]),
        hand_route(Requirement("T1", "internal_thread", 6, 3.2, 10, 15, pitch=1.5), ["tap_drill", "tap"]),
    ]
    ops = plan_operations(routes, Layout(False, False, False, None), None)
    assert (ops[0].name, ops[0].feature_ids) == ("Drilling", ["H1", "T1"])
    assert (ops[1].name, ops[1].kind) == ("Tapping", "threading")


def test_axial_hole_on_a_rotational_part_goes_to_the_lathe_family():
    routes = [
        hand_route(Requirement("H1", "hole", 7, 0.8, 20, 40), ["drill", "countersink", "ream", "ream_fine"]),
        hand_route(Requirement("H2", "hole", 12, 12.5, 6, 10), ["drill"]),
    ]
    layout = Layout(rotational=True, centres=False, blank_cut=True, treatment=None, axial=frozenset({"H1"}))
    ops = plan_operations(routes, layout, None)
    drilling = {tuple(op.feature_ids): op.family for op in ops if op.kind == "drilling"}
    assert drilling == {("H1",): ("lathe",), ("H2",): ()}
    assert all(op.family == ("lathe",) for op in ops if op.kind in {"countersinking", "reaming"})


def test_grinding_steps_keep_their_machine_types_as_family():
    ops = plan_operations(shaft_routes(), SHAFT, None)
    grind = next(op for op in ops if op.kind == "grinding")
    assert grind.family == ("cylindrical", "centreless", "centerless", "universal")


def test_planned_steps_cite_the_chain_clause():
    ops = plan_operations(shaft_routes(), SHAFT, None)
    grind = next(op for op in ops if op.kind == "grinding")
    assert (grind.steps[0].chain.doc, grind.steps[0].chain.section) == ("chains-external-cylinders.md", "3.5")
