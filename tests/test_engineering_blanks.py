"""Blank plans of every blank kind against hand computations (machining-allowances.md §3, route-review-rules.md §3)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
import yaml

from assistant.catalog import load_catalog
from assistant.engineering.blanks import BLANK_KINDS, BlankPlan, plan_blank, range_allowance
from assistant.engineering.norm_types import RangeRow
from assistant.engineering.production import size_blank
from assistant.engineering.types import Geometry
from assistant.errors import ConfigError
from assistant.resources import catalog_dir

A = load_catalog().allowances
STEEL, SCH20 = 7.85, 7.1  # g/cm³ (materials.yaml)


def kg(volume_mm3: float, density: float) -> float:
    return volume_mm3 * density * 1e-6


# ---- the shipped tables ------------------------------------------------------------------------------


def test_shipped_blank_tables_round_trip():
    assert (A.bar_stock_mm, A.bar_end_loss_mm, A.parting_width_mm) == (6000.0, 100.0, 4.0)
    assert A.cast_iron_sand[1] == RangeRow(260.0, 2.5, 4.0)  # Table 2, "over 120 to 260", grey iron 2.5-4.0
    assert A.cast_steel_sand[0] == RangeRow(120.0, 3.0, 4.0)
    assert A.die_forging[-1] == RangeRow(800.0, 3.0, 4.0)  # Table 2 has no die-forging row above 800
    assert A.open_die_forging[-1] == RangeRow(1250.0, 8.0, 12.0)
    assert (A.forging_loss, A.stamping_nesting_loss, A.weldment_factor) == (0.12, 0.25, 1.15)
    assert A.tube_bore[0] == (50.0, 4.0)


def test_range_allowance_rises_from_low_to_high_across_the_row():
    # row "over 120 to 260" of grey iron: 2.5 at 120, 4.0 at 260; at 200: 2.5 + 1.5 · 80/140 = 3.357 -> 3.4
    assert range_allowance(A.cast_iron_sand, 260) == (4.0, 4.0)
    assert range_allowance(A.cast_iron_sand, 200) == (3.4, 4.0)
    # first row from 0: at 60 mm, 2.0 + 1.0 · 60/120 = 2.5; beyond the table the last row's high
    assert range_allowance(A.cast_iron_sand, 60) == (2.5, 3.0)
    assert range_allowance(A.die_forging, 1000) == (4.0, 4.0)


# ---- one test per blank kind -------------------------------------------------------------------------


def test_bar_worked_example_of_route_review_rules_3_11():
    # Ø50 x 240 Steel 45 shaft of 2.4 kg: 50 + 4 = 54 -> D55; 240 + 5 = 245 mm
    # section π/4 · 55² = 2375.83 mm²; blank 2375.83 · 245 · 7.85e-6 = 4.569 kg
    # (6000 - 100) / (245 + 2) = 23.9 -> 23 blanks per bar of 2375.83 · 6000 · 7.85e-6 = 111.90 kg
    # consumption 111.90 / 23 = 4.865 kg; KIM 2.4 / 4.865 = 0.493 -> 0.49
    shaft = Geometry(True, 240, diameter=50)
    plan = plan_blank("rolled_bar", shaft, 2.4, STEEL, A)
    section = math.pi / 4 * 55**2
    assert plan.size == "Bar D55 x 245"
    assert plan.mass_kg == pytest.approx(kg(section * 245, STEEL)) == pytest.approx(4.57, abs=0.005)
    assert plan.consumption_kg == pytest.approx(kg(section * 6000, STEEL) / 23) == pytest.approx(4.87, abs=0.005)
    assert plan.utilisation == 0.49
    assert plan.needs_cutting and plan.bore_mm is None and plan.parts_per_blank == 1
    old = size_blank("rolled_bar", shaft, A)  # the same bar as the builder's Blank
    assert (old.diameter, old.length) == (55.0, 245.0)


def test_bar_on_an_automatic_is_not_cut_and_counts_parts_per_bar():
    # parted off: 240 + 4 mm parting tool = 244 mm per part; 5900 / 244 = 24.2 -> 24 parts per bar
    # consumption 111.90 / 24 = 4.663 kg; KIM 2.4 / 4.663 = 0.515 -> 0.51
    plan = plan_blank("rolled_bar", Geometry(True, 240, diameter=50), 2.4, STEEL, A, bar_feed=True)
    bar = kg(math.pi / 4 * 55**2 * 6000, STEEL)
    assert plan.size == "Bar D55 x 6000, 24 parts per bar (bar automatic)"
    assert plan.parts_per_blank == 24 and not plan.needs_cutting
    assert plan.mass_kg == pytest.approx(bar)
    assert plan.consumption_kg == pytest.approx(bar / 24)
    assert plan.utilisation == 0.51


def test_tube_sleeve_keeps_its_bore_below_the_finished_bore():
    # Ø60 x 120 sleeve with a Ø40H7 bore: part π/4 · (60² - 40²) · 120 · 7.85e-6 = 1.480 kg
    # outside 60 + 5 = 65 -> 65; bore at most 40 - 4 = 36; wall >= (65 - 36) / 2 = 14.5 -> 16 (≤ 18 for OD ≤ 76)
    # bore 65 - 2 · 16 = 33; length 120 + 4 = 124; section π/4 · (65² - 33²) = 2463.0 mm²
    # blank 2463.0 · 124 · 7.85e-6 = 2.397 kg; 5900 / 126 -> 46 per tube of 116.01 kg: 2.522 kg; KIM 0.587 -> 0.59
    part = kg(math.pi / 4 * (60**2 - 40**2) * 120, STEEL)
    plan = plan_blank("tube", Geometry(True, 120, diameter=60), part, STEEL, A, bore_mm=40)
    section = math.pi / 4 * (65**2 - 33**2)
    assert plan.kind == "tube"
    assert plan.size == "Tube 65 x 16 (bore 33) cut to 124"
    assert plan.bore_mm == 33.0
    assert 40 - plan.bore_mm >= 4.0  # at least the bore allowance 2z of tube_bore
    assert plan.mass_kg == pytest.approx(kg(section * 124, STEEL)) == pytest.approx(2.40, abs=0.005)
    assert plan.consumption_kg == pytest.approx(kg(section * 6000, STEEL) / 46) == pytest.approx(2.52, abs=0.005)
    assert plan.utilisation == 0.59
    assert plan.needs_cutting


def test_tube_without_a_bore_or_a_fitting_wall_falls_back_to_bar():
    plain = plan_blank("tube", Geometry(True, 120, diameter=60), 1.5, STEEL, A)
    assert plain.kind == "rolled_bar" and plain.bore_mm is None
    assert plain.size.startswith("Bar D65 x 124 (")
    # a Ø10 bore in Ø100: the wall would be (105 - 6) / 2 = 49.5, thicker than any tube rolled
    thick = plan_blank("tube", Geometry(True, 100, diameter=100), 6.0, STEEL, A, bore_mm=10)
    assert thick.kind == "rolled_bar" and "no stocked tube" in thick.size


def test_plate_matches_size_blank_and_adds_the_kerf_to_consumption():
    # 200 x 100 x 20 plate part of 2.0 kg: 206 x 106; 20 + 2 · 1 = 22 -> 22 mm
    # blank 206 · 106 · 22 · 7.85e-6 = 3.771 kg; consumption 208 · 108 · 22 · 7.85e-6 = 3.880 kg; KIM 0.516 -> 0.52
    geometry = Geometry(False, 200, width=100, height=20)
    plan = plan_blank("plate", geometry, 2.0, STEEL, A)
    assert plan.size == size_blank("plate", geometry, A).description == "Plate 22 mm cut to 206 x 106"
    assert plan.mass_kg == pytest.approx(kg(206 * 106 * 22, STEEL))
    assert plan.consumption_kg == pytest.approx(kg(208 * 108 * 22, STEEL))
    assert plan.utilisation == 0.52 and plan.needs_cutting


def test_sheet_keeps_its_rolled_faces():
    # 200 x 100 x 3 part of 0.4 kg: sheet 3 mm (no face stock), 206 x 106; consumption 208 · 108 · 3 · 7.85e-6
    # = 0.529 kg; KIM 0.4 / 0.529 = 0.756 -> 0.76
    plan = plan_blank("sheet", Geometry(False, 200, width=100, height=3), 0.4, STEEL, A)
    assert plan.size == "Sheet 3 mm cut to 206 x 106"
    assert plan.consumption_kg == pytest.approx(kg(208 * 108 * 3, STEEL))
    assert plan.utilisation == 0.76 and plan.needs_cutting


def test_casting_housing_from_table_2():
    # 260 x 180 x 120 SCh20 housing of 14 kg: largest 260 -> row "over 120 to 260", grey iron 2.5-4.0, at the
    # top of the range 4.0 per side, 4.0 on the top face: 268 x 188 x 128
    # shell 268 · 188 · 128 - 260 · 180 · 120 = 6 449 152 - 5 616 000 = 833 152 mm³ · 7.1e-6 = 5.915 kg
    # casting 14 + 5.915 = 19.915 kg = consumption (gates and risers are the foundry's); KIM 14 / 19.915 -> 0.70
    plan = plan_blank(
        "casting", Geometry(False, 260, width=180, height=120), 14, SCH20, A, material="SCh20", group="cast_iron"
    )
    assert plan.size == (
        "Casting SCh20, 268 x 188 x 128, allowance 4.0 mm per side, 4.0 on the top face "
        "(grey iron sand casting, GOST 26645 / ISO 8062-3, typical)"
    )
    assert plan.mass_kg == pytest.approx(14 + kg(833_152, SCH20)) == pytest.approx(19.92, abs=0.005)
    assert plan.consumption_kg == plan.mass_kg
    assert plan.utilisation == 0.70
    assert not plan.needs_cutting


def test_steel_casting_takes_the_steel_column_and_the_top_face_its_high_value():
    # 200 x 150 x 100 in 25L: steel row "over 120 to 260" 3.5-5.0; at 200: 3.5 + 1.5 · 80/140 = 4.357 -> 4.4
    # per side, 5.0 on top: 208.8 x 158.8 x 109.4
    plan = plan_blank("casting", Geometry(False, 200, width=150, height=100), 10, STEEL, A, material="25L")
    assert plan.size.startswith("Casting 25L, 208.8 x 158.8 x 109.4, allowance 4.4 mm per side, 5.0 on the top")
    added = 208.8 * 158.8 * 109.4 - 200 * 150 * 100
    assert plan.mass_kg == pytest.approx(10 + kg(added, STEEL))


def test_die_forged_gear():
    # Ø120 x 40 gear of 3 kg: largest 120 -> die forging row "up to 120" 1.5-2.0, at its top 2.0 per side:
    # Ø124 x 44; shell π/4 · (124² · 44 - 120² · 40) = π/4 · 100 544 = 78 967 mm³ · 7.85e-6 = 0.620 kg
    # forging 3.620 kg; consumption 3.620 · 1.12 (flash and scale) = 4.054 kg; KIM 3 / 4.054 = 0.74
    gear = Geometry(True, 40, diameter=120)
    plan = plan_blank("forging", gear, 3.0, STEEL, A, production="large_batch")
    shell = kg(math.pi / 4 * (124**2 * 44 - 120**2 * 40), STEEL)
    assert plan.size == "Die forging Ø124 x 44, allowance 2.0 mm per side (GOST 7505, typical)"
    assert plan.mass_kg == pytest.approx(3 + shell) == pytest.approx(3.62, abs=0.005)
    assert plan.consumption_kg == pytest.approx((3 + shell) * 1.12) == pytest.approx(4.05, abs=0.005)
    assert plan.utilisation == 0.74 and not plan.needs_cutting


def test_hammer_forging_in_small_batches():
    # open-die row "up to 120" 3-4, at 120: 4.0 per side -> Ø128 x 48
    # shell π/4 · (128² · 48 - 576 000) = π/4 · 210 432 = 165 273 mm³ -> 1.297 kg; 4.297 · 1.12 = 4.813; KIM 0.62
    plan = plan_blank("forging", Geometry(True, 40, diameter=120), 3.0, STEEL, A, production="small_batch")
    assert plan.size == "Hammer forging Ø128 x 48, allowance 4.0 mm per side (GOST 7829, typical)"
    assert plan.consumption_kg == pytest.approx((3 + kg(math.pi / 4 * 210_432, STEEL)) * 1.12)
    assert plan.utilisation == 0.62


def test_sheet_stamping_of_a_flat_part():
    # 200 x 100 x 3 flat part of 0.4 kg: sheet 3 mm; contour + 2 mm per side: 204 x 104
    # blank 0.4 + (204 · 104 - 200 · 100) · 3 · 7.85e-6 = 0.4 + 1216 · 3 · 7.85e-6 = 0.4286 kg
    # consumption 204 · 104 · 3 · 7.85e-6 / (1 - 0.25) = 0.4996 / 0.75 = 0.6662 kg; KIM 0.4 / 0.6662 = 0.60
    plan = plan_blank("stamping", Geometry(False, 200, width=100, height=3), 0.4, STEEL, A)
    assert plan.size == "Stamping from sheet 3 mm, 204 x 104, contour allowance 2 mm per side"
    assert plan.mass_kg == pytest.approx(0.4 + kg(1216 * 3, STEEL))
    assert plan.consumption_kg == pytest.approx(kg(204 * 104 * 3, STEEL) / 0.75)
    assert plan.utilisation == 0.60 and not plan.needs_cutting


def test_a_stamping_that_is_not_flat_is_a_die_forging():
    # Ø120 x 40: 40 > 0.25 · 120, a hot die stamping sized as the die forging above
    plan = plan_blank("stamping", Geometry(True, 40, diameter=120), 3.0, STEEL, A)
    assert plan.kind == "stamping" and plan.size.startswith("Die forging Ø124 x 44")
    assert plan.utilisation == 0.74 and not plan.needs_cutting


def test_weldment_is_a_typical_estimate():
    # 60 kg frame: 60 · 1.15 = 69 kg; KIM 60 / 69 = 0.870 -> 0.87
    plan = plan_blank("weldment", Geometry(False, 800, width=400, height=300), 60, STEEL, A)
    assert plan.mass_kg == pytest.approx(69.0) and plan.consumption_kg == pytest.approx(69.0)
    assert plan.utilisation == 0.87
    assert "x 1.15 (typical estimate)" in plan.size and not plan.needs_cutting


# ---- properties across kinds ---------------------------------------------------------------------------


def plans() -> list[BlankPlan]:
    rotational, prismatic = Geometry(True, 120, diameter=60), Geometry(False, 200, width=100, height=40)
    out = [plan_blank(kind, rotational, 1.5, STEEL, A, bore_mm=40) for kind in BLANK_KINDS]
    return out + [plan_blank(kind, prismatic, 3.0, STEEL, A, group="cast_iron") for kind in BLANK_KINDS]


def test_utilisation_lies_between_0_and_1_and_consumption_covers_the_part():
    for plan in plans():
        assert 0 < plan.utilisation <= 1, plan
        assert plan.consumption_kg >= plan.mass_kg / plan.parts_per_blank, plan


def test_only_blanks_cut_from_stock_need_cutting():
    for plan in plans():
        assert plan.needs_cutting == (plan.kind in {"rolled_bar", "plate", "sheet", "tube"}), plan
    for kind in ("casting", "forging", "stamping", "weldment"):
        assert not plan_blank(kind, Geometry(True, 40, diameter=120), 3.0, STEEL, A).needs_cutting


def test_a_heavily_machined_casting_uses_less_of_its_metal_than_a_nearly_finished_bar_part():
    # plain pin Ø48 x 200 (2.84 kg, nearly the bar): D52 x 205, 5900 / 207 -> 28 per bar: KIM 0.80
    pin = plan_blank("rolled_bar", Geometry(True, 200, diameter=48), kg(math.pi / 4 * 48**2 * 200, STEEL), STEEL, A)
    # the 260 x 180 x 120 housing machined down to 8 kg: 8 / (8 + 5.915) = 0.57
    housing = plan_blank("casting", Geometry(False, 260, width=180, height=120), 8, SCH20, A, group="cast_iron")
    assert (pin.utilisation, housing.utilisation) == (0.80, 0.57)
    assert housing.utilisation < pin.utilisation


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown blank kind 'billet'"):
        plan_blank("billet", Geometry(True, 100, diameter=50), 1.0, STEEL, A)


# ---- a broken table is refused, naming file, entry and field ----------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(catalog_dir(), tmp_path / "catalog"))


def broken(folder: Path, change) -> str:
    path = folder / "norms.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["allowances"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_catalog(folder)
    return str(caught.value)


def test_a_casting_row_whose_low_is_above_its_high_is_named(folder):
    message = broken(folder, lambda a: a["cast_iron_sand"][1].update(low=4.5))
    assert message.startswith("norms.yaml: allowances: cast_iron_sand.1: low 4.5 is above high 4")


def test_a_forging_row_that_is_no_number_is_named(folder):
    message = broken(folder, lambda a: a["die_forging"][0].update(up_to="big"))
    assert message.startswith("norms.yaml: allowances: die_forging.0.up_to: Input should be a valid number")


def test_rows_out_of_order_are_named(folder):
    message = broken(folder, lambda a: a["open_die_forging"].reverse())
    assert message.startswith("norms.yaml: allowances: open_die_forging: rows must be in ascending up_to")


def test_a_loss_of_the_whole_metal_is_refused(folder):
    message = broken(folder, lambda a: a.update(forging_loss=1.2))
    assert message.startswith("norms.yaml: allowances: forging_loss: Input should be less than 1")


def test_a_missing_table_is_named(folder):
    message = broken(folder, lambda a: a.pop("tube_walls"))
    assert message.startswith("norms.yaml: allowances: tube_walls: Field required")
