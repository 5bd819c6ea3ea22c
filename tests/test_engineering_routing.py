"""Choice of process chains with the shipped catalogue (chains-*.md, process-capability.md, operation-sequencing.md §4)."""

from __future__ import annotations

import pytest

from assistant.catalog import load_catalog
from assistant.engineering.requirements import requirement
from assistant.engineering.routing import Condition, choose_chain, degrade, evaluate, is_external
from assistant.engineering.types import Capability, Requirement
from assistant.parts.model import Feature

CATALOG = load_catalog()
ABRASIVE = {"grinding", "superfinishing", "gear_finishing"}


def req(feature_type: str, it: int, ra: float, size: float, length: float = 30.0, **extra) -> Requirement:
    return Requirement("F1", feature_type, it, ra, size, length, **extra)


def cond(group="steel", production="medium_batch", rotational=True, part_kind="shaft", hardened=False) -> Condition:
    return Condition(group, production, rotational, part_kind, hardened)


def chain(requirement_: Requirement, condition: Condition):
    return choose_chain(requirement_, CATALOG.chains[requirement_.feature_type], CATALOG.processes, condition)


def codes(route) -> list[str]:
    return [s.code for s in route.steps]


def option(feature_type: str, steps: list[str]):
    return next(o for o in CATALOG.chains[feature_type] if list(o.steps) == steps)


# ---- holes (chains-holes.md) ----------------------------------------------------------------


def test_it12_hole_is_only_drilled():
    route = chain(req("hole", 12, 12.5, 20), cond())
    assert codes(route) == ["drill"]
    assert (route.reached, route.ok, route.cost) == (Capability(12, 12.5), True, 0.5)


def test_it10_hole_is_drilled_and_core_drilled():
    route = chain(req("hole", 10, 6.3, 20), cond())
    assert codes(route) == ["drill", "countersink"]
    assert route.cost == pytest.approx(0.9)


def test_it8_pin_hole_d8_is_drilled_and_reamed():
    # chains-holes.md §3.3.3: Ø8H8 Ra 1.6 pin hole in a steel lever
    route = chain(req("hole", 8, 1.6, 8), cond(rotational=False, part_kind="lever"))
    assert codes(route) == ["drill", "ream"]
    assert route.cost == pytest.approx(1.0)


def test_it7_hole_d20_on_steel_is_core_drilled_and_reamed_not_left_drilled():
    route = chain(req("hole", 7, 0.8, 20), cond(part_kind="flange"))
    assert codes(route) == ["drill", "countersink", "ream", "ream_fine"]
    assert route.reached == Capability(7, 0.8)
    assert route.cost == pytest.approx(1.9)


def test_it8_hole_d20_is_not_reamed_straight_after_drilling():
    # drill → ream is limited to 12 mm (chains-holes.md §3.3.2); a Ø20 hole is core-drilled first
    route = chain(req("hole", 8, 1.6, 20), cond(part_kind="flange"))
    assert codes(route) == ["drill", "countersink", "ream"]


def test_small_d6_h7_dowel_hole_is_drilled_reamed_and_fine_reamed():
    route = chain(req("hole", 7, 0.8, 6), cond(rotational=False, part_kind="plate"))
    assert codes(route) == ["drill", "ream", "ream_fine"]
    assert route.cost == pytest.approx(1.5)


def test_it7_hole_in_large_batch_is_broached():
    # chains-holes.md §3.5.3: Ø30H7 Ra 0.8 gear bore in large batches
    route = chain(req("hole", 7, 0.8, 30), cond(production="large_batch", part_kind="gear"))
    assert codes(route) == ["drill", "broach_hole"]
    assert route.cost == pytest.approx(1.1)


def test_hole_broaching_not_allowed_in_small_batch():
    route = chain(req("hole", 7, 0.8, 30), cond(production="small_batch", part_kind="gear"))
    assert "broach_hole" not in codes(route)


def test_it7_bore_d80_in_cast_iron_is_rough_semi_and_fine_bored():
    # chains-holes.md §3.6.4: drilling stops at 50 mm
    route = chain(req("hole", 7, 0.8, 80), cond(group="cast_iron", rotational=False, part_kind="housing"))
    assert codes(route) == ["bore_rough", "bore_semi", "bore_fine"]
    assert route.cost == pytest.approx(2.9)


def test_it7_hole_on_hardened_steel_is_internally_ground_after_heat_treatment():
    # chains-holes.md §3.7.3: Ø40H7 Ra 0.8 bore of a carburized 20Kh bushing
    route = chain(req("hole", 7, 0.8, 40), cond(part_kind="bushing", hardened=True))
    assert codes(route) == ["drill", "countersink", "grind_int_finish"]
    assert route.after_ht == (False, False, True)
    assert (route.reached, route.ok) == (Capability(7, 0.8), True)
    assert route.cost == pytest.approx(2.7)


def test_reamed_hole_on_hardened_steel_loses_a_grade_and_a_roughness_step():
    route = evaluate(
        option("hole", ["drill", "countersink", "ream", "ream_fine"]),
        CATALOG.processes,
        req("hole", 7, 0.8, 40),
        cond(part_kind="bushing", hardened=True),
    )
    assert route.after_ht == (False, False, False, False)
    assert (route.reached, route.ok) == (Capability(8, 1.6), False)


def test_honing_after_reaming_is_not_offered_on_hardened_steel():
    hard = chain(req("hole", 6, 0.2, 40), cond(part_kind="bushing", hardened=True))
    soft = chain(req("hole", 6, 0.2, 40), cond(part_kind="bushing"))
    assert codes(soft) == ["drill", "countersink", "ream", "hone"]
    assert codes(hard) == ["drill", "countersink", "grind_int_finish", "hone"]
    assert hard.after_ht == (False, False, True, True)


# ---- external cylinders (chains-external-cylinders.md) ---------------------------------------


def test_it6_ra08_journal_on_steel_45_is_turned_then_ground():
    route = chain(req("external_cylinder", 6, 0.8, 40, 50), cond())
    assert codes(route) == ["turn_rough", "turn_finish", "grind_ext_finish"]
    assert route.after_ht == (False, False, False)
    assert (route.reached, route.cost) == (Capability(6, 0.4), pytest.approx(3.3))


def test_hardened_it6_journal_is_ground_after_heat_treatment():
    route = chain(req("external_cylinder", 6, 0.8, 40, 50), cond(hardened=True))
    assert codes(route) == ["turn_rough", "turn_finish", "grind_ext_finish"]
    assert route.after_ht == (False, False, True)
    assert route.ok


def test_hardened_h8_journal_is_preliminary_ground_after_heat_treatment():
    # chains-external-cylinders.md §3.5.5: the finish-turned IT8 Ra 1.6 would end IT9 Ra 3.2
    route = chain(req("external_cylinder", 8, 1.6, 40, 50), cond(hardened=True))
    assert codes(route) == ["turn_rough", "turn_finish", "grind_ext_semi"]
    assert route.after_ht == (False, False, True)


def test_hardened_it9_ra32_surface_is_left_finish_turned():
    # §3.3.3: finish-turned IT8 Ra 1.6 becomes IT9 Ra 3.2, enough for the drawing
    route = chain(req("external_cylinder", 9, 3.2, 40, 50), cond(hardened=True))
    assert codes(route) == ["turn_rough", "turn_finish"]
    assert route.reached == Capability(9, 3.2)


def test_ra_0_2_needs_fine_grinding():
    route = chain(req("external_cylinder", 6, 0.2, 40, 50), cond())
    assert codes(route) == ["turn_rough", "turn_finish", "grind_ext_semi", "grind_ext_fine"]
    assert route.cost == pytest.approx(4.0)


def test_ra_finer_than_0_2_needs_superfinishing():
    route = chain(req("external_cylinder", 6, 0.1, 40, 50), cond())
    assert codes(route) == ["turn_rough", "turn_finish", "grind_ext_finish", "superfinish"]
    assert route.reached == Capability(5, 0.05)


def test_hardened_superfinished_surface_has_both_abrasive_steps_after_heat_treatment():
    route = chain(req("external_cylinder", 5, 0.1, 40, 50), cond(hardened=True))
    assert codes(route) == ["turn_rough", "turn_finish", "grind_ext_finish", "superfinish"]
    assert route.after_ht == (False, False, True, True)


def test_aluminium_it6_ra04_uses_fine_turning_and_no_grinding():
    route = chain(req("external_cylinder", 6, 0.4, 40, 50), cond(group="aluminium"))
    assert codes(route) == ["turn_rough", "turn_finish", "turn_fine"]
    assert not {s.kind for s in route.steps} & ABRASIVE
    assert route.ok


def test_aluminium_it5_cannot_be_reached_since_grinding_is_not_used():
    route = chain(req("external_cylinder", 5, 0.4, 40, 50), cond(group="aluminium"))
    assert codes(route) == ["turn_rough", "turn_finish", "turn_fine"]
    assert (route.reached, route.ok) == (Capability(6, 0.4), False)


def test_it7_ra08_steel_journal_is_ground_since_fine_turning_gives_only_ra_1_6_on_steel():
    route = chain(req("external_cylinder", 7, 0.8, 40, 50), cond())
    assert codes(route) == ["turn_rough", "turn_finish", "grind_ext_finish"]


def test_it7_ra16_steel_journal_is_fine_turned_cheaper_than_grinding():
    route = chain(req("external_cylinder", 7, 1.6, 40, 50), cond())
    assert codes(route) == ["turn_rough", "turn_finish", "turn_fine"]
    assert route.cost == pytest.approx(3.0)


# ---- no over-processing (chains-external-cylinders.md §2.2) ----------------------------------


@pytest.mark.parametrize(
    ("feature_type", "it", "ra", "expected", "rotational"),
    [
        ("external_cylinder", 14, 12.5, ["turn_rough"], True),
        ("external_cylinder", 12, 12.5, ["turn_rough"], True),
        ("external_cylinder", 11, 6.3, ["turn_rough", "turn_semi"], True),
        ("external_cylinder", 9, 3.2, ["turn_rough", "turn_finish"], True),
        ("end_face", 14, 12.5, ["turn_rough"], True),
        ("end_face", 14, 12.5, ["mill_rough"], False),
        ("plane", 14, 12.5, ["mill_rough"], False),
        ("plane", 11, 6.3, ["mill_rough", "mill_semi"], False),
        ("hole", 14, 12.5, ["drill"], True),
        ("groove", 13, 12.5, ["groove_turn"], True),
        ("chamfer", 14, 12.5, ["turn_rough"], True),
    ],
)
def test_coarse_requirement_never_gets_a_finishing_step(feature_type, it, ra, expected, rotational):
    part_kind = "shaft" if rotational else "plate"
    route = chain(req(feature_type, it, ra, 40), cond(rotational=rotational, part_kind=part_kind))
    assert codes(route) == expected
    assert route.ok


# ---- keyways and splines (chains-keyways-splines.md) -----------------------------------------


def test_is_external_keyway_on_shaft_internal_on_hub_unless_stated():
    keyway = req("keyway", 9, 3.2, 12)
    assert is_external(keyway, "shaft") is True
    assert is_external(keyway, "gear") is False
    assert is_external(req("keyway", 9, 3.2, 12, internal=True), "shaft") is False
    assert is_external(req("gear_teeth", 8, 3.2, 100), "gear") is True


@pytest.mark.parametrize("production", ["single", "medium_batch", "mass"])
def test_shaft_keyway_is_milled_in_any_production(production):
    route = chain(req("keyway", 9, 3.2, 12, 45, width=12, depth=5), cond(production=production))
    assert codes(route) == ["keyway_mill"]


@pytest.mark.parametrize("production", ["medium_batch", "large_batch"])
def test_hub_keyway_is_broached_in_medium_batch_and_larger(production):
    route = chain(req("keyway", 9, 3.2, 12, 40, width=12), cond(production=production, part_kind="gear"))
    assert codes(route) == ["keyway_broach"]


@pytest.mark.parametrize("production", ["single", "small_batch"])
def test_hub_keyway_is_slotted_in_single_and_small_batch(production):
    route = chain(req("keyway", 9, 3.2, 12, 40, width=12), cond(production=production, part_kind="gear"))
    assert codes(route) == ["keyway_slot"]


def test_internal_flag_makes_a_keyway_on_a_shaft_a_hub_keyway():
    route = chain(req("keyway", 9, 3.2, 12, 40, internal=True), cond(production="large_batch"))
    assert codes(route) == ["keyway_broach"]


def test_keyway_on_hardened_part_is_cut_before_and_not_finished_after():
    route = chain(req("keyway", 9, 3.2, 12, 45), cond(hardened=True))
    assert codes(route) == ["keyway_mill"]
    assert route.after_ht == (False,)
    assert route.reached == Capability(9, 3.2)  # no distortion loss (operation-sequencing.md §4.4)


@pytest.mark.parametrize("production", ["medium_batch", "large_batch", "mass"])
def test_internal_spline_is_broached_in_medium_batch_and_larger(production):
    route = chain(req("spline", 7, 1.6, 40, 40), cond(production=production, part_kind="gear"))
    assert codes(route) == ["spline_broach"]


@pytest.mark.parametrize("production", ["single", "small_batch"])
def test_internal_spline_is_shaped_in_single_and_small_batch(production):
    route = chain(req("spline", 9, 3.2, 40, 40), cond(production=production, part_kind="gear"))
    assert codes(route) == ["spline_shape"]


def test_internal_it7_spline_in_single_production_is_unreachable():
    # chains-keyways-splines.md §4.4.2
    route = chain(req("spline", 7, 1.6, 40, 40), cond(production="single", part_kind="gear"))
    assert codes(route) == ["spline_shape"]
    assert (route.reached, route.ok) == (Capability(9, 3.2), False)


def test_external_spline_is_hobbed_and_ground_when_it7():
    assert codes(chain(req("spline", 9, 3.2, 40, 60), cond())) == ["spline_hob"]
    assert codes(chain(req("spline", 7, 0.8, 40, 60), cond())) == ["spline_hob", "spline_grind"]


def test_hardened_external_spline_is_ground_after_heat_treatment():
    route = chain(req("spline", 9, 3.2, 40, 60), cond(hardened=True))
    assert codes(route) == ["spline_hob", "spline_grind"]
    assert route.after_ht == (False, True)


# ---- gear teeth (chains-gear-teeth.md) --------------------------------------------------------


def gear(grade: int, ra: float, **extra) -> Requirement:
    return req("gear_teeth", grade, ra, 126, 30, module=3.0, teeth=40, **extra)


def test_unhardened_grade_8_gear_is_hobbed_only():
    route = chain(gear(8, 3.2), cond(part_kind="gear"))
    assert codes(route) == ["hob"]
    assert route.cost == pytest.approx(2.0)


def test_unhardened_grade_7_gear_is_hobbed_and_shaved():
    route = chain(gear(7, 1.6), cond(part_kind="gear"))
    assert codes(route) == ["hob", "shave"]
    assert route.after_ht == (False, False)


def test_hardened_grade_7_gear_is_hobbed_and_ground_after_heat_treatment():
    route = chain(gear(7, 1.6), cond(part_kind="gear", hardened=True))
    assert codes(route) == ["hob", "gear_grind"]
    assert route.after_ht == (False, True)
    assert (route.reached, route.cost) == (Capability(5, 0.8), pytest.approx(5.0))


def test_hardened_grade_8_gear_is_hobbed_and_shaved_before_heat_treatment():
    route = chain(gear(8, 3.2), cond(part_kind="gear", hardened=True))
    assert codes(route) == ["hob", "shave"]
    assert route.after_ht == (False, False)
    assert route.reached == Capability(8, 1.6)


def test_internal_teeth_are_shaped():
    assert codes(chain(gear(8, 3.2, internal=True), cond(part_kind="gear"))) == ["gear_shape"]


def test_hardened_grade_9_ra_6_3_gear_is_hobbed_only():
    route = chain(gear(9, 6.3), cond(part_kind="gear", hardened=True))
    assert codes(route) == ["hob"]


def test_hardened_grade_9_gear_with_default_roughness_is_hobbed_only():
    spec = requirement(Feature(id="Z1", type="gear_teeth", accuracy=9, module=3, teeth=40, face_width=30))
    assert codes(chain(spec, cond(part_kind="gear", hardened=True))) == ["hob"]


# ---- threads (chains-threads.md) --------------------------------------------------------------


def test_grade_6_thread_is_turned_and_grade_8_cut_with_a_die():
    assert codes(chain(req("external_thread", 6, 3.2, 20, pitch=1.5), cond())) == ["thread_turn"]
    assert codes(chain(req("external_thread", 8, 6.3, 20, pitch=1.5), cond())) == ["thread_die"]


def test_grade_6_thread_is_rolled_in_large_batch():
    route = chain(req("external_thread", 6, 3.2, 20, pitch=1.5), cond(production="large_batch"))
    assert codes(route) == ["thread_roll"]


def test_grade_6_thread_on_hardened_part_is_cut_before_heat_treatment_only():
    route = chain(req("external_thread", 6, 3.2, 20, pitch=1.5), cond(hardened=True))
    assert codes(route) == ["thread_turn"]
    assert route.after_ht == (False,)


def test_grade_4_thread_on_hardened_part_is_turned_then_ground_after_heat_treatment():
    route = chain(req("external_thread", 4, 0.8, 20, pitch=1.5), cond(hardened=True))
    assert codes(route) == ["thread_turn", "thread_grind"]
    assert route.after_ht == (False, True)


def test_internal_thread_is_tapped():
    route = chain(req("internal_thread", 6, 3.2, 12, 20, pitch=1.75), cond(part_kind="flange"))
    assert codes(route) == ["tap_drill", "tap"]


# ---- degrade, unreachable, flatness -------------------------------------------------------------


def test_degrade_loses_one_it_grade_and_doubles_ra():
    assert degrade(Capability(8, 1.6)) == Capability(9, 3.2)  # operation-sequencing.md §4.3.1 example
    assert degrade(Capability(12, 12.5)) == Capability(13, 25.0)
    assert degrade(Capability(7, 0.8)) == Capability(8, 1.6)


def test_degrade_steps_ra_3_2_to_6_3():
    assert degrade(Capability(10, 3.2)) == Capability(11, 6.3)


def test_hardened_it11_ra6_3_surface_is_rough_and_semi_finish_turned():
    route = chain(req("external_cylinder", 11, 6.3, 40, 50), cond(hardened=True))
    assert codes(route) == ["turn_rough", "turn_semi"]


def test_unreachable_requirement_returns_the_most_capable_route_not_ok():
    route = chain(req("external_cylinder", 4, 0.05, 40, 50), cond())
    assert route.ok is False
    assert codes(route) == ["turn_rough", "turn_finish", "grind_ext_finish", "superfinish"]
    assert route.reached == Capability(5, 0.05)


def test_no_applicable_chain_returns_none():
    assert choose_chain(req("hole", 7, 0.8, 20), (), CATALOG.processes, cond()) is None
    # drilling stops at 50 mm: the drilling-only option does not apply to a Ø60 hole
    assert evaluate(option("hole", ["drill"]), CATALOG.processes, req("hole", 12, 12.5, 60), cond()) is None


def test_option_restricted_to_prismatic_parts_does_not_apply_to_rotational():
    assert (
        evaluate(option("end_face", ["mill_rough"]), CATALOG.processes, req("end_face", 14, 12.5, 40), cond()) is None
    )


def test_flatness_forces_finish_milling_on_a_coarse_plane():
    # 200 mm long: rough 0.2·2 = 0.4, semi 0.1·2 = 0.2, finish 0.05·2 = 0.1 mm ≤ 0.1
    plain = chain(req("plane", 12, 12.5, 80, 200, width=80), cond(rotational=False, part_kind="plate"))
    flat = chain(req("plane", 12, 12.5, 80, 200, width=80, flatness=0.1), cond(rotational=False, part_kind="plate"))
    assert codes(plain) == ["mill_rough"]
    assert codes(flat) == ["mill_rough", "mill_finish"]


def test_short_plane_flatness_is_judged_over_at_least_100_mm():
    # 60 × 40 plane: span 100 mm; finish milling holds 0.05, fine milling 0.03 ≤ 0.03
    route = chain(req("plane", 12, 12.5, 40, 60, width=40, flatness=0.03), cond(rotational=False, part_kind="plate"))
    assert codes(route) == ["mill_rough", "mill_finish", "mill_fine"]


def test_tight_flatness_needs_surface_grinding():
    route = chain(req("plane", 9, 3.2, 80, 100, width=80, flatness=0.02), cond(rotational=False, part_kind="plate"))
    assert codes(route) == ["mill_rough", "mill_finish", "grind_surf_finish"]


def test_unreachable_flatness_is_not_ok():
    route = chain(req("plane", 9, 3.2, 80, 100, width=80, flatness=0.001), cond(rotational=False, part_kind="plate"))
    assert route.ok is False


def test_a_6g_thread_is_cut_with_a_gost_9740_die_in_small_batches_only():
    small = chain(req("external_thread", 6, 3.2, 20, pitch=1.5), cond(production="small_batch"))
    assert codes(small) == ["thread_die_6g"], "dies of GOST 9740 cut 6g (route-review-rules.md 9.2)"
    assert codes(chain(req("external_thread", 6, 3.2, 30, pitch=1.5), cond(production="small_batch"))) == [
        "thread_turn"
    ], "above M24 a 6g thread is turned"
