"""Production type, part mass and blank size (production-types-and-equipment.md §3, machining-allowances.md §3)."""

from __future__ import annotations

import math

import pytest

from assistant.catalog import load_catalog
from assistant.engineering.production import Blank, estimate_mass, production_type, size_blank
from assistant.engineering.types import Geometry

CATALOG = load_catalog()
THRESHOLDS = CATALOG.production.thresholds
ALLOWANCES = CATALOG.allowances


# ---- production type (Table 1) ---------------------------------------------------------------


def test_worked_example_2_4_kg_shaft_at_5000_per_year_is_medium_batch():
    assert production_type(5000, 2.4, THRESHOLDS) == "medium_batch"


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        (9, "single"),
        (10, "small_batch"),
        (1499, "small_batch"),
        (1500, "medium_batch"),
        (74999, "medium_batch"),
        (75000, "large_batch"),
        (199999, "large_batch"),
        (200000, "mass"),
    ],
)
def test_volume_band_edges_for_parts_up_to_1_kg(volume, expected):
    assert production_type(volume, 0.8, THRESHOLDS) == expected


def test_mass_band_edge_belongs_to_the_lighter_row():
    # exactly 1 kg is "up to 1": medium batch starts at 1500; just over 1 kg it starts at 1000
    assert production_type(1200, 1.0, THRESHOLDS) == "small_batch"
    assert production_type(1200, 1.001, THRESHOLDS) == "medium_batch"


@pytest.mark.parametrize(
    ("mass", "volume", "expected"),
    [
        (2.5, 50000, "large_batch"),
        (2.5, 99999, "large_batch"),
        (3.0, 75000, "mass"),
        (3.0, 499, "small_batch"),
        (8.0, 300, "medium_batch"),
        (8.0, 50000, "mass"),
        (12.0, 200, "medium_batch"),
        (12.0, 10000, "large_batch"),
        (12.0, 25000, "mass"),
        (500.0, 9, "single"),
    ],
)
def test_heavier_parts_reach_a_type_at_smaller_volume(mass, volume, expected):
    assert production_type(volume, mass, THRESHOLDS) == expected


# ---- mass estimate (§3.3) --------------------------------------------------------------------


def test_estimate_mass_worked_example_3_3_3():
    # π·0.05²/4·0.24 m³ · 7850 kg/m³ · 0.65 = 2.40 kg
    mass = estimate_mass(Geometry(True, 240, diameter=50), 7.85, 0.65)
    assert mass == pytest.approx(math.pi * 0.05**2 / 4 * 0.24 * 7850 * 0.65)
    assert mass == pytest.approx(2.4, abs=0.01)


def test_estimate_mass_of_a_prismatic_part_uses_the_box():
    mass = estimate_mass(Geometry(False, 200, width=100, height=50), 2.7, 0.65)
    assert mass == pytest.approx(0.2 * 0.1 * 0.05 * 2700 * 0.65)


# ---- blank size (machining-allowances.md §3) ------------------------------------------------


def test_contract_example_steel_45_shaft_d50_x_240():
    blank = size_blank("rolled_bar", Geometry(True, 240, diameter=50), ALLOWANCES)
    assert (blank.diameter, blank.length) == (55.0, 245.0)
    assert blank.description == "Bar D55 cut to length 245"
    assert blank.section_mm2 == pytest.approx(math.pi * 55**2 / 4)


@pytest.mark.parametrize(
    ("diameter", "length", "bar", "cut"),
    [
        (18, 120, 20, 124),  # 18 + 2 = 20; up to 120 → +4
        (18.5, 121, 22, 126),  # over 18: +3 → 21.5 → 22; over 120: +5
        (30, 500, 34, 505),  # 30 + 3 = 33 → 34; up to 500 → +5
        (80, 501, 85, 507),  # 80 + 5 = 85; over 500 → +6
        (120, 300, 130, 305),  # 120 + 6 = 126 → 130
        (255, 300, 270, 305),  # 255 + 8 = 263 → 270
    ],
)
def test_bar_size_is_the_next_stocked_diameter_above_d_plus_2z(diameter, length, bar, cut):
    blank = size_blank("rolled_bar", Geometry(True, length, diameter=diameter), ALLOWANCES)
    assert (blank.diameter, blank.length) == (bar, cut)


def test_rotational_part_from_a_forging_is_sized_like_bar():
    blank = size_blank("forging", Geometry(True, 240, diameter=50), ALLOWANCES)
    assert (blank.diameter, blank.length) == (55.0, 245.0)


def test_bar_sizes_end_at_270_and_larger_bars_are_rounded_up_to_a_whole_mm():
    # GOST 2590 stocks round bar up to 270 mm (machining-allowances.md §3.4)
    assert size_blank("rolled_bar", Geometry(True, 400, diameter=255), ALLOWANCES).diameter == 270.0
    assert size_blank("rolled_bar", Geometry(True, 400, diameter=265), ALLOWANCES).diameter == 275.0


def test_plate_blank_gets_3_mm_per_side_on_length_and_width():
    blank = size_blank("plate", Geometry(False, 200, width=100, height=20), ALLOWANCES)
    assert (blank.length, blank.width) == (206.0, 106.0)
    assert blank.section_mm2 == pytest.approx(106.0 * blank.thickness)


def test_blank_section_of_bar_and_plate():
    assert Blank("rolled_bar", "", diameter=40, length=100).section_mm2 == pytest.approx(math.pi * 400)
    assert Blank("plate", "", length=100, width=50, thickness=10).section_mm2 == 500.0
