"""Machine choice: kind, type words, envelope, accuracy, automation, cost (production-types-and-equipment.md §4)."""

from __future__ import annotations

from assistant.catalog import load_catalog
from assistant.engineering.equipment import MachineNeed, fits, select_machine
from assistant.engineering.types import Geometry, Machine

CATALOG = load_catalog()
SINGLE = ("universal", "cnc", "special")
MEDIUM = ("cnc", "universal", "special")
LARGE = ("special", "cnc", "universal")


def machine(model, kinds=("turning",), automation="universal", cost=30.0, type_="lathe", **envelope) -> Machine:
    return Machine(model, model, type_, tuple(kinds), automation, cost, 20, "turner", 3, **envelope)


SHAFT = Geometry(rotational=True, length=240, diameter=50)
PLATE = Geometry(rotational=False, length=700, width=300, height=50)


# ---- fits ------------------------------------------------------------------------------------


def test_rotational_part_fits_a_lathe_by_diameter_and_length():
    lathe = machine("L", max_diameter=400, max_length=1000)
    assert fits(lathe, SHAFT)
    assert not fits(lathe, Geometry(True, 240, diameter=450))
    assert not fits(lathe, Geometry(True, 1200, diameter=50))


def test_boundary_sizes_fit():
    assert fits(machine("L", max_diameter=400, max_length=1000), Geometry(True, 1000, diameter=400))


def test_prismatic_part_on_a_rotational_machine_uses_its_cross_section_diagonal():
    lathe = machine("L", max_diameter=400, max_length=1000)
    assert fits(lathe, Geometry(False, 300, width=120, height=160))  # diagonal 200
    assert not fits(lathe, Geometry(False, 300, width=300, height=400))  # diagonal 500


def test_rotational_machine_with_only_a_diameter_limit():
    assert fits(machine("G", max_diameter=100), Geometry(True, 5000, diameter=100))


def test_box_machine_compares_sorted_dimensions():
    mill = machine("M", kinds=("milling",), max_size=(800, 320, 420))
    assert fits(mill, PLATE)  # (700, 300, 50) within (800, 420, 320)
    assert fits(mill, Geometry(False, 500, width=400, height=100))  # 400 ≤ 420 once sorted
    assert not fits(mill, Geometry(False, 500, width=430, height=100))
    assert not fits(mill, Geometry(False, 500, width=330, height=330))  # second 330 > 320


def test_rotational_part_in_a_box_machine():
    mill = machine("M", kinds=("milling",), max_size=(800, 320, 420))
    assert fits(mill, SHAFT)  # box (240, 50, 50)
    assert fits(mill, Geometry(True, 240, diameter=350))  # box (350, 350, 240) within (800, 420, 320)
    assert not fits(mill, Geometry(True, 240, diameter=430))  # 430 > 420


def test_machine_without_envelope_takes_anything():
    assert fits(machine("B", kinds=("deburring",)), Geometry(True, 9000, diameter=2000))


# ---- select_machine --------------------------------------------------------------------------


def test_no_machine_of_the_kind_gives_none():
    choice = select_machine(MachineNeed("gear_cutting", SHAFT), [machine("L", max_diameter=400)], SINGLE)
    assert choice.machine is None and choice.fits is False
    assert "gear_cutting" in choice.reason


def test_automation_order_wins_over_cost():
    cheap_cnc = machine("CNC", automation="cnc", cost=20, max_diameter=400, max_length=1000)
    universal = machine("U", automation="universal", cost=40, max_diameter=400, max_length=1000)
    machines = [cheap_cnc, universal]
    assert select_machine(MachineNeed("turning", SHAFT), machines, SINGLE).machine.model == "U"
    assert select_machine(MachineNeed("turning", SHAFT), machines, MEDIUM).machine.model == "CNC"


def test_cheapest_of_the_preferred_automation_then_the_smaller_machine():
    big = machine("BIG", cost=30, max_diameter=630, max_length=2800)
    small = machine("SMALL", cost=30, max_diameter=320, max_length=710)
    dear = machine("DEAR", cost=28.5, automation="special", max_diameter=320, max_length=710)
    choice = select_machine(MachineNeed("turning", SHAFT), [big, dear, small], SINGLE)
    assert choice.machine.model == "SMALL"
    assert choice.fits is True
    assert "cheapest of 3 suitable" in choice.reason  # all three pass the tests


def test_unknown_automation_class_ranks_last():
    odd = machine("ODD", automation="manual", cost=10, max_diameter=400, max_length=1000)
    cnc = machine("CNC", automation="cnc", cost=60, max_diameter=400, max_length=1000)
    assert select_machine(MachineNeed("turning", SHAFT), [odd, cnc], SINGLE).machine.model == "CNC"


def test_machine_type_words_select_among_machines_of_the_kind():
    internal = machine("INT", kinds=("grinding",), type_="internal grinder", cost=30, max_diameter=400, max_length=200)
    cylindrical = machine(
        "CYL", kinds=("grinding",), type_="cylindrical grinder", cost=42, max_diameter=200, max_length=700
    )
    need = MachineNeed("grinding", SHAFT, 6, ("cylindrical", "centreless"))
    assert select_machine(need, [internal, cylindrical], SINGLE).machine.model == "CYL"


def test_type_words_matching_nothing_fall_back_to_the_kind():
    grinder = machine("CYL", kinds=("grinding",), type_="cylindrical grinder", max_diameter=200, max_length=700)
    need = MachineNeed("grinding", SHAFT, None, ("honing",))
    assert select_machine(need, [grinder], SINGLE).machine.model == "CYL"


def test_lathe_family_means_any_machine_that_turns():
    drill_press = machine(
        "DP", kinds=("drilling",), type_="vertical drilling machine", cost=20, max_size=(500, 450, 750)
    )
    turning_centre = machine(
        "TC",
        kinds=("turning", "drilling"),
        type_="CNC turning centre",
        cost=75,
        automation="cnc",
        max_diameter=250,
        max_length=530,
    )
    need = MachineNeed("drilling", SHAFT, None, ("lathe",))
    assert select_machine(need, [drill_press, turning_centre], SINGLE).machine.model == "TC"


def test_part_outside_the_cheap_machine_envelope_goes_to_the_one_that_fits():
    small = machine("S", cost=28, max_diameter=320, max_length=710)
    long_bed = machine("LONG", cost=35, max_diameter=400, max_length=1400)
    choice = select_machine(MachineNeed("turning", Geometry(True, 1200, diameter=80)), [small, long_bed], SINGLE)
    assert (choice.machine.model, choice.fits) == ("LONG", True)


def test_nothing_fits_returns_the_largest_machine_not_fitting():
    small = machine("S", cost=28, max_diameter=320, max_length=710)
    large = machine("XL", cost=40, max_diameter=630, max_length=2800)
    choice = select_machine(MachineNeed("turning", Geometry(True, 5000, diameter=800)), [large, small], SINGLE)
    assert (choice.machine.model, choice.fits) == ("XL", False)
    assert "largest is XL" in choice.reason


def test_accuracy_prefers_a_machine_that_holds_the_grade_even_of_another_automation():
    universal = machine("U7", cost=28, accuracy_it=7, max_diameter=400, max_length=1000)
    cnc = machine("C6", cost=48, automation="cnc", accuracy_it=6, max_diameter=400, max_length=1000)
    assert select_machine(MachineNeed("turning", SHAFT, 6), [universal, cnc], SINGLE).machine.model == "C6"
    assert select_machine(MachineNeed("turning", SHAFT, 8), [universal, cnc], SINGLE).machine.model == "U7"


def test_hole_diameter_rules_out_small_drills():
    bench = machine("B", kinds=("drilling",), cost=22, max_size=(250, 250, 400), max_hole_diameter=12)
    pillar = machine("P", kinds=("drilling",), cost=26, max_size=(450, 400, 700), max_hole_diameter=25)
    small_part = Geometry(False, 200, width=100, height=50)
    assert (
        select_machine(MachineNeed("drilling", small_part, hole_diameter=10), [bench, pillar], SINGLE).machine.model
        == "B"
    )
    assert (
        select_machine(MachineNeed("drilling", small_part, hole_diameter=20), [bench, pillar], SINGLE).machine.model
        == "P"
    )


# ---- with the shipped equipment catalogue ---------------------------------------------------


def test_catalogue_turning_of_a_small_shaft_in_single_production_is_the_cheapest_universal_lathe():
    choice = select_machine(MachineNeed("turning", SHAFT, 8), CATALOG.machines, SINGLE)
    assert choice.machine.model == "1A616"


def test_catalogue_turning_in_medium_batch_is_the_cheapest_cnc_lathe():
    choice = select_machine(MachineNeed("turning", SHAFT, 8), CATALOG.machines, MEDIUM)
    assert choice.machine.model == "16K20F3"


def test_catalogue_it6_turning_in_single_production_needs_a_precision_cnc_lathe():
    choice = select_machine(MachineNeed("turning", SHAFT, 6), CATALOG.machines, SINGLE)
    assert choice.machine.model == "16A20F3"


def test_catalogue_small_part_in_large_batch_goes_to_the_bar_automatic():
    choice = select_machine(MachineNeed("turning", Geometry(True, 100, diameter=30), 8), CATALOG.machines, LARGE)
    assert choice.machine.model == "1B240-6"


def test_catalogue_cylindrical_grinding_takes_the_cheapest_cylindrical_or_centreless_grinder_that_fits():
    need = MachineNeed("grinding", SHAFT, 6, ("cylindrical", "centreless", "centerless", "universal"))
    assert select_machine(need, CATALOG.machines, SINGLE).machine.model == "3M151"
