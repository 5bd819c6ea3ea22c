"""The pure readers of a product request (engineering/requests.py) and the material ranking, on worked examples."""

from __future__ import annotations

import pytest

from assistant.catalog import load_catalog
from assistant.engineering.heat import Hardness
from assistant.engineering.requests import (
    Kind,
    bearing_bore,
    effort_class,
    load_class,
    parse_quantities,
    quantity_keys,
    torque_nm,
)
from assistant.stages.research.materials import Needs, rank, treatment_for
from assistant.stages.research.words import antifriction_duty, part_kind, read_limits, surface_hardness_implied

CONTRACT = (
    "Output shaft for a 5 kW two-stage reducer, 1450 rpm input, outdoor use, "
    "3000 units a year, bearing seats for 6208 bearings, keyed coupling."
)


def _read(text: str) -> list[tuple[str, float, float, str]]:
    return [(q.kind.value, q.low, q.high, q.text) for q in parse_quantities(text)]


def test_the_contract_request_gives_every_quantity_in_order() -> None:
    assert _read(CONTRACT) == [
        ("power", 5.0, 5.0, "5 kW"),
        ("speed", 1450.0, 1450.0, "1450 rpm"),
        ("environment", 0.0, 0.0, "outdoor"),
        ("volume", 3000.0, 3000.0, "3000 units a year"),
        ("bearing", 40.0, 40.0, "6208 bearings"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("motor of 750 W", ("power", 0.75, 0.75)),
        ("a 10 hp drive", ("power", 7.457, 7.457)),
        ("input speed 960 min-1", ("speed", 960.0, 960.0)),
        ("radial load 12 kN", ("force", 12000.0, 12000.0)),
        ("torque 1.2 kN·m", ("torque", 1200.0, 1200.0)),
        ("torque 120 Nm", ("torque", 120.0, 120.0)),
        ("length 1.2 m", ("length", 1200.0, 1200.0)),
        ("length 40 cm", ("length", 400.0, 400.0)),
        ("works at −40...+60 °C", ("temperature", -40.0, 60.0)),
        ("oil at 20–80 deg C", ("temperature", 20.0, 80.0)),
        ("pressure 16 bar", ("pressure", 1.6, 1.6)),
        ("pressure 1,6 MPa", ("pressure", 1.6, 1.6)),
        ("mass 2.4 kg", ("mass", 2.4, 2.4)),
        ("hardened to HRC 50..55", ("hardness", 50.0, 55.0)),
        ("40-45 HRC", ("hardness", 40.0, 45.0)),
        ("Ra 0.8 µm", ("roughness", 0.8, 0.8)),
        ("module 3", ("module", 3.0, 3.0)),
        ("40 teeth", ("teeth", 40.0, 40.0)),
        ("10 000 pcs per year", ("volume", 10000.0, 10000.0)),
        ("3,000 units/year", ("volume", 3000.0, 3000.0)),
        ("500 a month", ("volume", 6000.0, 6000.0)),
        ("annual volume of 1200", ("volume", 1200.0, 1200.0)),
        ("an order of 20 pieces", ("count", 20.0, 20.0)),
        ("Ø40 k6 seat", ("length", 40.0, 40.0)),
    ],
)
def test_units_and_ranges_are_read_into_base_units(text: str, expected: tuple[str, float, float]) -> None:
    (found,) = _read(text)
    assert found[0] == expected[0] and found[1:3] == pytest.approx(expected[1:])


def test_hardness_in_hb_is_converted_to_hrc_and_dimensions_give_each_size() -> None:
    (hb,) = parse_quantities("improved to 229-269 HB")
    assert hb.kind is Kind.HARDNESS and hb.low == pytest.approx(20.6, abs=0.1) and hb.text == "229-269 HB"
    sizes = parse_quantities("base 400 x 250 mm")
    assert [(q.low, q.label, q.text) for q in sizes] == [
        (400.0, "size", "400 x 250 mm"),
        (250.0, "size", "400 x 250 mm"),
    ]


@pytest.mark.parametrize(
    ("designation", "bore"),
    [
        ("6208", 40.0),
        ("6000", 10.0),
        ("6201", 12.0),
        ("6302", 15.0),
        ("6203", 17.0),
        ("6204", 20.0),
        ("7012", 60.0),
        ("30208", 40.0),
        ("NU210", 50.0),
        ("608", 8.0),
        ("3000", None),
        ("6299", None),
    ],
)
def test_bearing_bores_follow_the_bore_code(designation: str, bore: float | None) -> None:
    assert bearing_bore(designation) == bore


def test_bearings_are_read_only_next_to_the_word_bearing() -> None:
    found = parse_quantities("bearings 6306 and NU210, 3000 shafts a year, 6205-2RS bearings")
    assert [(q.kind.value, q.label, q.low) for q in found] == [
        ("bearing", "6306", 30.0),
        ("bearing", "NU210", 50.0),
        ("volume", "", 3000.0),
        ("bearing", "6205", 25.0),
    ]


def test_words_name_the_environment_the_part_kind_and_the_duty() -> None:
    found = parse_quantities("for sea water, outdoors, dusty, with shock loads")
    assert [q.label for q in found] == ["sea water", "outdoor", "abrasive", "shock loads"]
    assert parse_quantities("an industrial fan") == ()  # 'dust' inside 'industrial' is no environment
    assert part_kind("Spur gear for a shaft") == "gear" and part_kind("Shaft with a gear") == "shaft"
    assert part_kind("Cast housing of a gearbox") == "housing" and part_kind("a thing") is None
    assert antifriction_duty("plain bearing bushing for a roller shaft", "bushing")
    assert not surface_hardness_implied("bushing a journal runs in", "bushing")
    assert surface_hardness_implied("splined shaft", "shaft") and surface_hardness_implied("a gear", "gear")


def test_the_same_quantity_in_other_words_has_the_same_key() -> None:
    assert quantity_keys("Transmit 5 kW") == quantity_keys("a 5 kW reducer")
    assert quantity_keys("Bearing seats for 6208 bearings (bore Ø40 mm)") >= quantity_keys("6208 bearings")


def test_constraints_exclude_name_and_flag() -> None:
    limits = read_limits("Aluminium bracket", ["no imported steels", "no stainless, no heat treatment", "low cost"])
    assert limits.excluded == {"stainless"} and limits.named == {"aluminium"}
    assert limits.no_imported and limits.no_heat_treatment and limits.low_cost
    assert read_limits("stainless shaft", ["no stainless"]).contested == {"stainless"}
    assert read_limits("a pin", ["steel only"]).only == {"steel"}


def test_loads_torque_and_effort_classes() -> None:
    assert torque_nm(5, 1450) == pytest.approx(32.93, abs=0.01)
    assert load_class(5, 1450, None) == "light"
    assert load_class(60, 2000, None) == "medium"  # 286 N·m
    assert load_class(None, None, 60000) == "heavy"
    assert load_class(20, None, None) == "heavy" and load_class(None, None, None) is None
    assert [effort_class(t) for t in (8.5, 10.0, 10.1, 45)] == ["low", "low", "medium", "high"]


# ---- materials -------------------------------------------------------------------------------------------


def test_a_grade_that_cannot_reach_the_hardness_is_never_ranked() -> None:
    catalog = load_catalog()
    hard = Hardness(58.0, 62.0, "HRC 58..62")
    ranked = rank(catalog.materials, Needs(hardness=hard, load="medium", kind="gear"), top=30)
    grades = [r.material.grade for r in ranked]
    assert grades and all(treatment_for(r.material, hard)[0] for r in ranked)
    assert "Steel 45" not in grades and "40Kh" not in grades and "12Kh18N10T" not in grades
    assert {r.treatment for r in ranked} <= {"case_hardening", "through_hardening", "nitriding", "induction_hardening"}


def test_ranking_is_best_first_by_the_documented_score() -> None:
    catalog = load_catalog()
    shaft = rank(catalog.materials, Needs(load="medium", kind="shaft"))
    assert shaft[0].material.grade == "Steel 45" and shaft[0].score == pytest.approx(1.0)
    assert shaft[0].reasons[0].startswith("score 1.00 (strength 1.00, hardness 1.00")
    sea = rank(catalog.materials, Needs(hardness=Hardness(40, 45, "HRC 40..45"), environment=frozenset({"sea water"})))
    assert sea[0].material.grade == "20Kh13"
    bush = rank(catalog.materials, Needs(load="light", kind="bushing", antifriction=True))
    assert {r.material.group for r in bush} == {"copper_alloy"}
    housing = rank(catalog.materials, Needs(load="medium", kind="housing"))
    assert {r.material.group for r in housing} == {"cast_iron"}
