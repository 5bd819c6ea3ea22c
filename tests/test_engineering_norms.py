"""Time norms against hand computations of time-norms.md (worked examples and formulas)."""

from __future__ import annotations

import math

import pytest

from assistant.catalog import load_catalog
from assistant.engineering.norms import (
    FORMULAS,
    Cut,
    PieceTime,
    allowances_pct,
    auxiliary_time,
    centre_holes_time,
    formula_for,
    main_time,
    sawing_time,
)
from assistant.engineering.types import Requirement

CATALOG = load_catalog()
P = CATALOG.processes
NORMS = CATALOG.norms


def rpm(v: float, d: float) -> float:
    return 1000 * v / (math.pi * d)


def cut(code, feature_type, size, length=0.0, stock=0.0, group="steel", part_diameter=0.0, **extra) -> Cut:
    requirement = Requirement("F1", feature_type, 8, 1.6, size, length, **extra)
    return Cut(P[code], requirement, group, 3.0, stock, part_diameter)


def run(c: Cut) -> float:
    return FORMULAS[formula_for(c.process, c.requirement.feature_type)](c)


# ---- turning, facing, boring, grooving (§3.1, §3.2, §3.4) ------------------------------------


def test_rough_turning_three_passes():
    # v = 120 on Ø40 → n = 954.9; (60 + 3) · 3 / (954.9 · 0.5) = 0.396
    c = cut("turn_rough", "external_cylinder", 40, 60, stock=7.5)
    assert run(c) == pytest.approx(63 * 3 / (rpm(120, 40) * 0.5))
    assert run(c) == pytest.approx(0.396, abs=5e-4)


def test_finish_turning_worked_example_3_1_3():
    c = cut("turn_finish", "external_cylinder", 50, 240, stock=0.5)
    assert run(c) == pytest.approx(243 / (rpm(180, 50) * 0.15))
    assert run(c) == pytest.approx(1.41, abs=0.005)


def test_rough_pass_count_rounds_up_but_not_on_an_exact_multiple():
    one = cut("turn_rough", "external_cylinder", 40, 60, stock=3.0)
    two = cut("turn_rough", "external_cylinder", 40, 60, stock=3.1)
    assert run(two) == pytest.approx(2 * run(one))
    assert run(one) == pytest.approx(63 / (rpm(120, 40) * 0.5))


def test_worked_example_7_2_1_rough_turning_one_pass():
    # Ø50 × 240 from bar D55 with finish stock 0.5: rough stock 2.0 → one pass, 243 / (763.9 · 0.5) = 0.64
    c = cut("turn_rough", "external_cylinder", 50, 240, stock=2.0)
    assert run(c) == pytest.approx(0.64, abs=0.005)


def test_turning_falls_back_to_the_part_diameter_and_20_mm_length():
    c = cut("turn_finish", "external_cylinder", 0, 0, stock=0.5, part_diameter=50)
    assert run(c) == pytest.approx(23 / (rpm(180, 50) * 0.15))


def test_facing_worked_example_3_2_1():
    c = cut("turn_rough", "end_face", 55, 0, stock=2.5)
    assert formula_for(c.process, "end_face") == "facing"
    assert run(c) == pytest.approx((27.5 + 3) / (rpm(120, 55) * 0.5))
    assert run(c) == pytest.approx(0.09, abs=0.005)


def test_finish_boring_worked_example_3_4_2():
    c = cut("bore_finish", "hole", 80, 60, stock=0.4)
    assert formula_for(c.process, "hole") == "turning"
    assert run(c) == pytest.approx(63 / (rpm(160, 80) * 0.12))
    assert run(c) == pytest.approx(0.82, abs=0.005)


def test_grooving_is_a_plunge_of_depth_plus_one():
    c = cut("groove_turn", "groove", 30, 3, depth=2.0)
    assert run(c) == pytest.approx(3 / (rpm(90, 30) * 0.08))


# ---- drilling family (§3.3) ------------------------------------------------------------------


def test_drilling_worked_example_3_3_3():
    c = cut("drill", "hole", 10, 20, depth=20.0)
    assert run(c) == pytest.approx((20 + 3 + 3) / (rpm(25, 10) * 0.2))
    assert run(c) == pytest.approx(0.16, abs=0.005)


def test_drilling_feed_is_capped_at_feed_max():
    # 0.02 · 30 = 0.6 → capped at 0.5
    c = cut("drill", "hole", 30, 40, depth=40.0)
    assert run(c) == pytest.approx((40 + 9 + 3) / (rpm(25, 30) * 0.5))


def test_drilling_depth_falls_back_to_length_then_two_diameters():
    by_length = cut("drill", "hole", 10, 25)
    by_default = cut("drill", "hole", 10, 0)
    assert run(by_length) == pytest.approx((25 + 3 + 3) / (rpm(25, 10) * 0.2))
    assert run(by_default) == pytest.approx((20 + 3 + 3) / (rpm(25, 10) * 0.2))


def test_tap_hole_is_drilled_at_the_minor_diameter():
    # M10×1.5: tap drill 8.5, feed 0.17
    c = cut("tap_drill", "internal_thread", 10, 15, depth=15.0, pitch=1.5)
    assert run(c) == pytest.approx((15 + 0.3 * 8.5 + 3) / (rpm(25, 8.5) * 0.17))


def test_reaming_uses_its_own_feed_per_diameter():
    c = cut("ream", "hole", 20, 30)
    assert formula_for(c.process, "hole") == "drilling"
    assert run(c) == pytest.approx((30 + 6 + 3) / (rpm(8, 20) * 0.8))


# ---- milling (§3.5) --------------------------------------------------------------------------


def test_face_milling_one_pass_across():
    # cast iron, Ø100 8-tooth mill, 200 × 60 plane: n = 286.5, s_m = 343.8
    c = cut("mill_rough", "plane", 60, 200, stock=2.0, group="cast_iron", width=60)
    assert run(c) == pytest.approx(303 / (0.15 * 8 * rpm(90, 100)))


def test_face_milling_worked_example_3_5_2():
    c = cut("mill_rough", "plane", 80, 200, stock=2.0, group="cast_iron", width=80)
    assert run(c) == pytest.approx(0.88, abs=0.005)


def test_keyway_milling_worked_example_3_5_4():
    c = cut("keyway_mill", "keyway", 12, 45, width=12.0, depth=5.0)
    assert formula_for(c.process, "keyway") == "keyway_milling"
    assert run(c) == pytest.approx(17 * 33 / 250)


def test_keyway_milling_exact_number_of_strokes():
    c = cut("keyway_mill", "keyway", 12, 45, width=12.0, depth=2.1)
    assert run(c) == pytest.approx(7 * 33 / 250)


def test_keyway_slotting_double_strokes():
    # 3.3 / 0.15 = 22 strokes, each 2 · (40 + 20) mm at 12 m/min
    c = cut("keyway_slot", "keyway", 12, 40, width=12.0, depth=3.3)
    assert formula_for(c.process, "keyway") == "slotting"
    assert run(c) == pytest.approx(22 * 2 * 60 / 12000)


# ---- grinding, honing, superfinishing (§3.6) -------------------------------------------------


def test_cylindrical_grinding_worked_example_3_6_2():
    c = cut("grind_ext_finish", "external_cylinder", 40, 50, stock=0.1)
    assert run(c) == pytest.approx(53 / (rpm(30, 40) * 20) * 10 * 1.3)
    assert run(c) == pytest.approx(0.14, abs=0.005)


def test_grinding_at_least_one_stroke():
    c = cut("grind_ext_finish", "external_cylinder", 40, 50, stock=0.005)
    assert run(c) == pytest.approx(53 / (rpm(30, 40) * 20) * 1 * 1.3)


def test_surface_grinding_worked_example_3_6_5():
    c = cut("grind_surf_finish", "plane", 80, 200, stock=0.1, width=80)
    assert formula_for(c.process, "plane") == "surface_grinding"
    assert run(c) == pytest.approx(220 / 15000 * 12 * 10 * 1.3)
    assert run(c) == pytest.approx(2.29, abs=0.005)


def test_honing_and_superfinishing_by_length():
    assert run(cut("hone", "hole", 60, 60)) == pytest.approx(0.8 + 0.01 * 60)
    assert run(cut("superfinish", "external_cylinder", 40, 50)) == pytest.approx(0.4 + 0.008 * 50)


def test_cylindrical_grinding_stage_stocks_match_the_allowance_tables():
    assert P["grind_ext_finish"].cutting["allowance"] == 0.1
    assert P["grind_ext_fine"].cutting["allowance"] == 0.03


# ---- threading (§3.7) ------------------------------------------------------------------------


def test_thread_turning_worked_example_3_7_2():
    c = cut("thread_turn", "external_thread", 20, 30, pitch=1.5)
    assert run(c) == pytest.approx(34.5 * 6 / (rpm(80, 20) * 1.5))
    assert run(c) == pytest.approx(0.11, abs=0.005)


def test_thread_grinding_uses_three_passes_at_3_m_per_min():
    c = cut("thread_grind", "external_thread", 20, 30, pitch=1.5)
    assert run(c) == pytest.approx(34.5 * 3 / (rpm(3, 20) * 1.5))


def test_tapping_worked_example_3_7_3():
    c = cut("tap", "internal_thread", 10, 15, pitch=1.5)
    assert run(c) == pytest.approx(2 * 19.5 / (rpm(10, 10) * 1.5))
    assert run(c) == pytest.approx(0.08, abs=0.005)


def test_thread_rolling_by_length():
    assert run(cut("thread_roll", "external_thread", 20, 30, pitch=1.5)) == pytest.approx(0.15 + 0.002 * 30)


# ---- gear cutting and broaching (§3.8) -------------------------------------------------------


def test_hobbing_worked_example_3_8_3():
    c = cut("hob", "gear_teeth", 126, 30, module=3.0, teeth=40)
    h = 2.25 * 3
    run_in = math.sqrt(h * (80 - h)) + 3
    assert run(c) == pytest.approx((30 + run_in) * 40 / (rpm(30, 80) * 2))
    assert run(c) == pytest.approx(9.3, abs=0.05)


def test_spline_hobbing_module_from_size_and_spline_count():
    # 8x36x40: module ≈ 40 / (8 + 2) = 4, hob Ø80, s_o = 1.5
    c = cut("spline_hob", "spline", 40, 60, teeth=8)
    h = 2.25 * 4
    assert run(c) == pytest.approx((60 + math.sqrt(h * (80 - h)) + 3) * 8 / (rpm(30, 80) * 1.5))


def test_per_tooth_norms_worked_example_3_8_4():
    assert run(cut("shave", "gear_teeth", 126, 20, teeth=40)) == pytest.approx(0.5 + 0.04 * 40)  # 2.1
    assert run(cut("gear_grind", "gear_teeth", 126, 20, teeth=40)) == pytest.approx(1.0 + 0.12 * 40)  # 5.8
    assert run(cut("gear_shape", "gear_teeth", 126, 20, teeth=40)) == pytest.approx(0.25 * 40)
    assert run(cut("spline_shape", "spline", 40, 20, teeth=8)) == pytest.approx(0.6 * 8)


def test_per_tooth_time_follows_the_worked_example_3_8_4():
    # "a 40-tooth gear is shaved in 2.1 min and ground in 5.8 min", whatever the face width
    assert run(cut("shave", "gear_teeth", 126, 30, teeth=40)) == pytest.approx(0.5 + 0.04 * 40)
    assert run(cut("gear_grind", "gear_teeth", 126, 30, teeth=40)) == pytest.approx(1.0 + 0.12 * 40)


def test_broaching_worked_example_3_8_5():
    c = cut("broach_hole", "hole", 30, 30)
    assert run(c) == pytest.approx((900 + 30 + 30) * 1.5 / 6000)  # 0.24


def test_keyway_broaching_two_strokes():
    c = cut("keyway_broach", "keyway", 12, 40, width=12.0)
    assert run(c) == pytest.approx((800 + 40 + 30) * 2 * 1.5 / 6000)


def test_chamfer_is_a_fixed_short_plunge():
    assert run(cut("turn_finish", "chamfer", 40, 2)) == 0.05
    assert run(cut("mill_rough", "chamfer", 40, 2)) == 0.05


def test_main_time_counts_every_instance_of_the_feature():
    single = cut("drill", "hole", 10, 20, depth=20.0)
    four = Cut(P["drill"], Requirement("F1", "hole", 12, 12.5, 10, 20, count=4, depth=20.0), "steel", 3.0, 0.0, 0.0)
    assert main_time(four) == pytest.approx(4 * main_time(single))


# ---- dispatch ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "feature_type", "formula"),
    [
        ("turn_rough", "external_cylinder", "turning"),
        ("turn_rough", "end_face", "facing"),
        ("turn_finish", "chamfer", "chamfering"),
        ("groove_turn", "groove", "grooving"),
        ("bore_semi", "hole", "turning"),
        ("drill", "hole", "drilling"),
        ("countersink", "hole", "drilling"),
        ("ream_fine", "hole", "drilling"),
        ("tap_drill", "internal_thread", "drilling"),
        ("mill_finish", "plane", "face_milling"),
        ("slot_mill", "slot", "face_milling"),
        ("keyway_mill", "keyway", "keyway_milling"),
        ("keyway_slot", "keyway", "slotting"),
        ("keyway_broach", "keyway", "broaching"),
        ("grind_ext_finish", "external_cylinder", "grinding"),
        ("grind_int_finish", "hole", "grinding"),
        ("grind_ext_finish", "end_face", "grinding"),
        ("grind_surf_finish", "end_face", "surface_grinding"),
        ("grind_surf_finish", "slot", "surface_grinding"),
        ("spline_grind", "spline", "grinding"),
        ("hone", "hole", "timed_by_length"),
        ("superfinish", "external_cylinder", "timed_by_length"),
        ("thread_roll", "external_thread", "timed_by_length"),
        ("thread_turn", "external_thread", "thread_turning"),
        ("thread_turn_int", "internal_thread", "thread_turning"),
        ("thread_grind", "external_thread", "thread_turning"),
        ("thread_die", "external_thread", "tapping"),
        ("tap", "internal_thread", "tapping"),
        ("hob", "gear_teeth", "hobbing"),
        ("spline_hob", "spline", "hobbing"),
        ("gear_shape", "gear_teeth", "per_tooth"),
        ("spline_shape", "spline", "per_tooth"),
        ("shave", "gear_teeth", "per_tooth"),
        ("gear_grind", "gear_teeth", "per_tooth"),
        ("broach_hole", "hole", "broaching"),
        ("spline_broach", "spline", "broaching"),
    ],
)
def test_formula_for_dispatch(code, feature_type, formula):
    assert formula_for(P[code], feature_type) == formula


# ---- sawing, centre holes (§3.9, §3.2.2) -----------------------------------------------------


def test_sawing_worked_example_3_9_3():
    area = math.pi * 55**2 / 4  # 2376 mm²
    assert sawing_time(area, NORMS.saw_rate_mm2_min["steel"]) == pytest.approx(area / 2500)
    assert sawing_time(area, 2500) == pytest.approx(0.95, abs=0.005)


def test_centre_holes_worked_example_3_2_2():
    assert centre_holes_time(NORMS.centre_hole, 3.0) == pytest.approx(2 * 9 / (rpm(20, 4) * 0.05))


# ---- auxiliary time, allowances, piece time (§4, §5, §7) ------------------------------------


def test_auxiliary_time_worked_example_7_2_2():
    assert auxiliary_time(2.4, 2, [True], "cnc", NORMS) == pytest.approx(0.35 + 2 * 0.05 + 0.2)


def test_auxiliary_time_on_a_universal_machine_with_coarse_features():
    assert auxiliary_time(25.0, 3, [False, False, True], "universal", NORMS) == pytest.approx(2.0 + 0.45 + 0.16 + 0.2)


@pytest.mark.parametrize(
    ("mass", "install"), [(0.5, 0.2), (1.0, 0.2), (1.01, 0.35), (5.0, 0.5), (20.0, 1.2), (60, 4.0)]
)
def test_install_time_by_mass_band(mass, install):
    assert auxiliary_time(mass, 0, [], "universal", NORMS) == pytest.approx(install)


def test_unknown_automation_uses_the_universal_step_time():
    assert auxiliary_time(0.5, 2, [], "manual", NORMS) == pytest.approx(0.2 + 2 * 0.15)


@pytest.mark.parametrize(
    ("kind", "pct"),
    [
        ("turning", (4.0, 4.0)),
        ("boring", (5.0, 4.0)),
        ("milling", (6.0, 4.0)),
        ("broaching", (6.0, 4.0)),
        ("grinding", (9.0, 4.0)),
        ("superfinishing", (8.0, 4.0)),
        ("threading", (5.0, 4.0)),
        ("gear_cutting", (8.0, 4.0)),
        ("blank", (4.0, 4.0)),
        ("washing", (5.0, 4.0)),
    ],
)
def test_allowances_match_table_3(kind, pct):
    assert allowances_pct(kind, NORMS) == pct


def test_piece_and_piece_calculation_time_worked_example_7_2():
    t = PieceTime(main=2.05, auxiliary=0.65, servicing_pct=4.0, rest_pct=4.0, setup=20.0, batch=50)
    assert t.operative == pytest.approx(2.70)
    assert t.piece == pytest.approx(2.70 * 1.08)  # 2.92
    assert t.piece_calculation == pytest.approx(2.70 * 1.08 + 20 / 50)  # 3.32


def test_piece_calculation_time_for_a_single_part_carries_the_whole_setup():
    t = PieceTime(main=1.0, auxiliary=0.5, servicing_pct=9.0, rest_pct=4.0, setup=30.0, batch=1)
    assert t.piece == pytest.approx(1.5 * 1.13)
    assert t.piece_calculation == pytest.approx(1.5 * 1.13 + 30)
