"""Reading a feature's target: IT grade from fits, thread classes and gear grades, and the drawing defaults."""

from __future__ import annotations

import pytest

from assistant.engineering.requirements import coarse_pitch, fit_grade, parse_spline, parse_thread, requirement
from assistant.parts.model import Feature

# ---- fit_grade (process-capability.md §10.1) -------------------------------------------------


@pytest.mark.parametrize(("fit", "grade"), [("H7", 7), ("js6", 6), ("h6", 6), ("k6", 6), ("N9", 9), ("D10", 10)])
def test_fit_grade_is_the_number_of_the_tolerance_class(fit, grade):
    assert fit_grade(fit) == grade


def test_fit_grade_ignores_surrounding_spaces():
    assert fit_grade("  H8 ") == 8


@pytest.mark.parametrize("bad", ["H", "7", "H7/g6", "abc7", "", "IT7x"])
def test_fit_grade_rejects_what_is_not_an_iso_designation(bad):
    with pytest.raises(ValueError):
        fit_grade(bad)


# ---- threads (threads-metric.md, process-capability.md §10.3) ---------------------------------


def test_parse_thread_fine_pitch_with_class():
    assert parse_thread("M36x1.5-6g") == (36.0, 1.5, 6)


def test_parse_thread_without_pitch_takes_coarse_pitch_and_no_grade():
    assert parse_thread("M20") == (20.0, 2.5, None)


def test_parse_thread_internal_class_with_coarse_pitch():
    assert parse_thread("M12-6H") == (12.0, 1.75, 6)


def test_parse_thread_two_classes_takes_the_pitch_diameter_grade():
    # "where two classes are written (4h6h), the first one ... is the grade the chain must reach"
    assert parse_thread("M20x1.5-4h6h") == (20.0, 1.5, 4)


def test_parse_thread_accepts_cyrillic_x_and_decimal_comma():
    assert parse_thread("M10х1,25-6g") == (10.0, 1.25, 6)


@pytest.mark.parametrize("bad", ["Tr20x4", "G1/2", "", "thread"])
def test_parse_thread_rejects_non_metric_designations(bad):
    with pytest.raises(ValueError):
        parse_thread(bad)


@pytest.mark.parametrize(("diameter", "pitch"), [(3, 0.5), (10, 1.5), (12, 1.75), (16, 2.0), (24, 3.0), (64, 6.0)])
def test_coarse_pitch_of_listed_sizes(diameter, pitch):
    assert coarse_pitch(diameter) == pitch


def test_coarse_pitch_of_an_unlisted_size_uses_the_nearest_size_below():
    assert coarse_pitch(11) == 1.5  # M10 row
    assert coarse_pitch(100) == 6.0  # beyond the table: M64 row


def test_coarse_pitch_below_the_table_uses_the_smallest_size():
    assert coarse_pitch(2) == 0.5


# ---- splines (splines.md) --------------------------------------------------------------------


def test_parse_spline_number_minor_major():
    assert parse_spline("8x36x40") == (8, 36.0, 40.0)


def test_parse_spline_with_spaces_and_multiplication_sign():
    assert parse_spline("d - 10 × 82 × 88") == (10, 82.0, 88.0)


def test_parse_spline_returns_none_for_no_designation():
    assert parse_spline("") is None
    assert parse_spline("involute spline") is None


def test_parse_spline_reads_a_gost_1139_designation_with_fits():
    assert parse_spline("d - 8 x 36 H7/e8 x 40 H12/a11 x 7 D9/f8") == (8, 36.0, 40.0)


# ---- requirement() defaults ------------------------------------------------------------------


def test_untoleranced_surface_defaults_to_it14_and_ra_12_5():
    req = requirement(Feature(id="C1", type="external_cylinder", diameter=50, length=100))
    assert (req.it, req.ra, req.size, req.length) == (14, 12.5, 50.0, 100.0)


def test_fit_sets_the_it_grade_and_ra_is_kept():
    req = requirement(Feature(id="J1", type="external_cylinder", diameter=40, length=50, fit="k6", ra=0.8))
    assert (req.it, req.ra) == (6, 0.8)


def test_explicit_it_wins_over_default():
    req = requirement(Feature(id="H1", type="hole", diameter=20, it=10))
    assert (req.it, req.ra) == (10, 12.5)


def test_keyway_defaults_to_it9_ra_3_2_and_size_is_the_width():
    req = requirement(Feature(id="K1", type="keyway", width=12, length=45, depth=5))
    assert (req.it, req.ra, req.size, req.width, req.depth) == (9, 3.2, 12.0, 12.0, 5.0)


def test_keyway_fit_d10_gives_it10():
    req = requirement(Feature(id="K2", type="keyway", width=12, fit="D10"))
    assert req.it == 10


def test_thread_without_class_defaults_to_grade_6_ra_3_2_coarse_pitch():
    req = requirement(Feature(id="T1", type="external_thread", designation="M20", length=30))
    assert (req.it, req.ra, req.size, req.pitch) == (6, 3.2, 20.0, 2.5)


def test_thread_class_from_designation():
    req = requirement(Feature(id="T1", type="external_thread", designation="M36x1.5-8g"))
    assert (req.it, req.size, req.pitch) == (8, 36.0, 1.5)


def test_thread_without_designation_uses_the_diameter():
    req = requirement(Feature(id="T2", type="internal_thread", diameter=12))
    assert (req.it, req.ra, req.size, req.pitch) == (6, 3.2, 12.0, 1.75)


@pytest.mark.parametrize(("accuracy", "ra"), [(6, 0.8), (7, 1.6), (8, 3.2), (9, 6.3)])
def test_gear_teeth_accuracy_is_the_grade_and_ra_follows_it(accuracy, ra):
    req = requirement(Feature(id="Z1", type="gear_teeth", accuracy=accuracy, module=3, teeth=40, face_width=30))
    assert (req.it, req.ra) == (accuracy, ra)


def test_gear_teeth_size_is_the_tip_diameter_and_length_the_face_width():
    req = requirement(Feature(id="Z1", type="gear_teeth", accuracy=8, module=3, teeth=40, face_width=30))
    assert (req.size, req.length, req.module, req.teeth) == (3 * 42, 30.0, 3.0, 40)


def test_gear_teeth_defaults_grade_8_module_2_and_20_teeth():
    req = requirement(Feature(id="Z1", type="gear_teeth"))
    assert (req.it, req.ra, req.module, req.teeth, req.size) == (8, 3.2, 2.0, 20, 44.0)


def test_spline_designation_gives_size_and_number_of_splines():
    req = requirement(Feature(id="S1", type="spline", designation="8x36x40", length=60))
    assert (req.it, req.ra, req.size, req.teeth) == (9, 3.2, 40.0, 8)


def test_end_face_without_diameter_takes_the_part_diameter():
    req = requirement(Feature(id="F1", type="end_face"), part_diameter=55.0)
    assert req.size == 55.0


def test_count_flatness_and_internal_flag_are_carried():
    req = requirement(Feature(id="P1", type="plane", length=200, width=80, flatness=0.05, count=2, internal=False))
    assert (req.count, req.flatness, req.internal, req.size, req.width) == (2, 0.05, False, 80.0, 80.0)
