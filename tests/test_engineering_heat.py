"""Hardness on the drawing → heat treatment, its feasibility, and which surfaces end up hardened."""

from __future__ import annotations

import pytest

from assistant.catalog import load_catalog
from assistant.engineering.heat import (
    Hardness,
    choose_treatment,
    hardened_feature_ids,
    local_hardening,
    parse_hardness,
    to_hrc,
    treatment_problem,
)
from assistant.engineering.types import Material, Source

CATALOG = load_catalog()


def material(grade: str) -> Material:
    return next(m for m in CATALOG.materials if m.grade == grade)


def hrc(low: float, high: float) -> Hardness:
    return Hardness(low, high, f"HRC {low:g}..{high:g}")


# ---- parse_hardness --------------------------------------------------------------------------


def test_parse_hrc_range_with_dots():
    h = parse_hardness("HRC 40..45")
    assert (h.low_hrc, h.high_hrc, h.text) == (40.0, 45.0, "HRC 40..45")


def test_parse_range_with_scale_after_the_numbers():
    h = parse_hardness("40-45 HRC")
    assert (h.low_hrc, h.high_hrc) == (40.0, 45.0)


def test_parse_brinell_range_converts_to_hrc_by_interpolation():
    # HB 229: 20 + (229-226)/(253-226)*5 = 20.56; HB 269: 25 + (269-253)/(286-253)*5 = 27.42
    h = parse_hardness("HB 229...269")
    assert (h.low_hrc, h.high_hrc) == (20.6, 27.4)


def test_parse_minimum_gives_a_single_value_range():
    h = parse_hardness("HRC 58 min")
    assert (h.low_hrc, h.high_hrc) == (58.0, 58.0)


def test_parse_vickers_converts_to_hrc():
    # HV 600 between (55, 595) and (60, 697): 55 + 5/102*5 = 55.25
    h = parse_hardness("HV 600")
    assert (h.low_hrc, h.high_hrc) == (55.2, 55.2)


def test_parse_gost_hrce_and_hbw_spellings():
    assert parse_hardness("HRCэ 45...50").low_hrc == 45.0
    assert parse_hardness("HBW 330").low_hrc == 35.0


def test_parse_greater_or_equal_sign():
    assert parse_hardness("≥ HRC 50").low_hrc == 50.0


@pytest.mark.parametrize("text", ["hard", "45", "40..45", "HRC", "HRC forty"])
def test_parse_garbage_or_missing_scale_raises(text):
    with pytest.raises(ValueError):
        parse_hardness(text)


@pytest.mark.parametrize("text", ["HRC 5", "HRC 60..75", "HB 900", "HV 1300", "HB 50"])
def test_parse_out_of_scale_raises(text):
    with pytest.raises(ValueError, match="outside"):
        parse_hardness(text)


def test_parse_reversed_range_raises():
    with pytest.raises(ValueError, match="below"):
        parse_hardness("HRC 45..40")


# ---- to_hrc ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [(330, "HB", 35.0), (481, "HB", 50.0), (226, "HB", 20.0), (513, "HV", 50.0), (697, "HV", 60.0), (42, "HRC", 42)],
)
def test_to_hrc_at_table_points(value, scale, expected):
    assert to_hrc(value, scale) == pytest.approx(expected)


def test_to_hrc_midway_between_table_points():
    # HB 304 lies 18/44 of the way from HB 286 (HRC 30) to HB 330 (HRC 35, heat-treatment.md §11.3) → HRC 32.05
    assert to_hrc(304, "HB") == pytest.approx(30 + 18 / 44 * 5)


def test_to_hrc_below_the_table_extrapolates_one_hrc_per_6_hb():
    assert to_hrc(200, "HB") == pytest.approx(20 - 26 / 6)


def test_to_hrc_above_the_table_is_capped_at_hrc_65():
    assert to_hrc(900, "HV") == 65.0


# ---- choose_treatment ------------------------------------------------------------------------


def test_no_hardness_means_no_treatment():
    assert choose_treatment(None, material("Steel 45"), local=False) is None


def test_no_treatment_when_the_supplied_material_already_meets_it():
    # Steel 45 is supplied at up to HB 229 ≈ HRC 20.6: a requirement open upwards of the supply is met
    assert choose_treatment(parse_hardness("HB 160..240"), material("Steel 45"), local=False) is None


def test_improvement_up_to_hrc_35():
    assert choose_treatment(hrc(28, 32), material("Steel 45"), local=False) == "improvement"
    assert choose_treatment(hrc(35, 38), material("40Kh"), local=False) == "improvement"


def test_through_hardening_above_hrc_35_on_a_through_hardening_steel():
    assert choose_treatment(hrc(40, 45), material("Steel 45"), local=False) == "through_hardening"


def test_induction_when_local_and_the_material_takes_induction():
    assert choose_treatment(hrc(48, 52), material("40Kh"), local=True) == "induction_hardening"


def test_local_request_on_a_steel_without_induction_falls_back_to_through_hardening():
    assert choose_treatment(hrc(40, 45), material("40KhN2MA"), local=True) == "through_hardening"


def test_case_hardening_for_case_steels():
    assert choose_treatment(hrc(58, 62), material("20Kh"), local=False) == "case_hardening"
    assert choose_treatment(hrc(56, 60), material("Steel 20"), local=True) == "case_hardening"


def test_material_without_supplied_hardness_is_taken_as_hrc_15():
    bare = Material("X", (), "steel", "through", 50, False, None, 7.85, 1.0, (), Source("materials-steels.md"))
    assert choose_treatment(hrc(12, 16), bare, local=False) is None, "HRC 15 lies in the range"
    assert choose_treatment(hrc(16, 20), bare, local=False) == "improvement", "the lower limit is above it"


# ---- treatment_problem -----------------------------------------------------------------------


def test_no_problem_without_hardness_or_at_improvement_level():
    assert treatment_problem(None, material("St3"), "") is None
    assert treatment_problem(hrc(28, 32), material("Steel 45"), "") is None


@pytest.mark.parametrize("grade", ["St3", "12Kh18N10T", "SCh20", "D16T"])
def test_non_hardenable_materials_are_reported(grade):
    problem = treatment_problem(hrc(40, 45), material(grade), "")
    assert problem is not None and "not hardenable" in problem and grade in problem


def test_hardness_above_the_material_maximum_is_reported():
    problem = treatment_problem(hrc(48, 52), material("Steel 35"), "")
    assert problem is not None and "HRC 45" in problem


def test_case_steel_without_carburizing_in_the_notes_is_reported():
    problem = treatment_problem(hrc(56, 60), material("Steel 20"), "Sharp edges blunted")
    assert problem is not None and "carburizing" in problem


@pytest.mark.parametrize("notes", ["Carburize 0.8-1.2 mm", "case depth 1 mm", "cementation"])
def test_case_steel_with_carburizing_named_is_fine(notes):
    assert treatment_problem(hrc(58, 62), material("20Kh"), notes) is None


def test_nitriding_is_not_carburizing_and_a_nitriding_steel_is_never_carburized():
    problem = treatment_problem(hrc(58, 62), material("20Kh"), "gas nitriding")
    assert problem is not None and "carburizing" in problem
    assert choose_treatment(hrc(62, 66), material("38Kh2MYuA"), local=False) == "nitriding"
    assert choose_treatment(hrc(62, 66), material("38Kh2MYuA"), local=True) == "nitriding"
    assert treatment_problem(hrc(62, 66), material("38Kh2MYuA"), "Carburize 1 mm") is not None
    assert treatment_problem(hrc(62, 66), material("38Kh2MYuA"), "Gas nitriding h 0.4") is None


def test_reachable_hardness_on_a_through_hardening_steel_is_fine():
    assert treatment_problem(hrc(40, 45), material("Steel 45"), "") is None


def test_improvement_of_a_non_hardenable_steel_is_reported():
    assert choose_treatment(hrc(28, 32), material("St3"), local=False) == "improvement"
    assert treatment_problem(hrc(28, 32), material("St3"), "") is not None


def test_through_hardening_of_steel_45_above_hrc_50_is_reported():
    assert choose_treatment(hrc(52, 55), material("Steel 45"), local=False) == "through_hardening"
    assert treatment_problem(hrc(52, 55), material("Steel 45"), "") is not None


# ---- local hardening and hardened features ---------------------------------------------------


@pytest.mark.parametrize("notes", ["Induction harden journals", "HFC hardening", "закалка ТВЧ", "surface-hardened"])
def test_local_hardening_words(notes):
    assert local_hardening(notes)


@pytest.mark.parametrize("notes", ["", "Harden and temper", "Carburize"])
def test_no_local_hardening_words(notes):
    assert not local_hardening(notes)


IDS = ["F1", "J1", "J2", "J10", "K1"]
TYPES = {
    "F1": "end_face",
    "J1": "external_cylinder",
    "J2": "external_cylinder",
    "J10": "external_cylinder",
    "K1": "keyway",
}


def test_through_hardening_hardens_every_feature():
    assert hardened_feature_ids("Harden HRC 40", IDS, TYPES, local=False) == set(IDS)


def test_induction_hardens_only_the_features_named_in_the_induction_sentence():
    notes = "Keyway K1 to be milled before hardening. Induction harden J2 and J10"
    assert hardened_feature_ids(notes, IDS, TYPES, local=True) == {"J2", "J10"}


def test_named_id_must_match_whole_word():
    assert hardened_feature_ids("HFC hardening of J10", IDS, TYPES, local=True) == {"J10"}


def test_induction_with_no_feature_named_hardens_the_journals():
    assert hardened_feature_ids("Induction hardening of journals", IDS, TYPES, local=True) == {"J1", "J2", "J10"}


def test_hardness_range_in_the_induction_sentence_does_not_hide_the_named_features():
    notes = "Induction harden to HRC 48..52 journals J2 and J10"
    assert hardened_feature_ids(notes, IDS, TYPES, local=True) == {"J2", "J10"}


def test_a_range_below_the_supplied_hardness_needs_normalizing_and_one_above_it_improvement():
    steel45 = material("Steel 45")  # supplied up to about HB 229
    assert choose_treatment(parse_hardness("HB 170..200"), steel45, local=False) == "normalizing"
    assert choose_treatment(parse_hardness("HB 241..285"), steel45, local=False) == "improvement"
