"""The design-for-manufacture review (design-review-rules.md): each rule's defect, planted in a clean part, is
found on its feature with its rule id, a fix, what it costs and the clause it rests on; clean parts raise no error.
The pure rules of engineering/dfm.py are pinned to worked examples from the standard tables."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.api import Assistant
from assistant.catalog import load_catalog
from assistant.catalog.fits import load_fits
from assistant.engineering import dfm
from assistant.engineering.fits import tolerance_class
from assistant.engineering.heat import parse_hardness
from assistant.stages.design.model import DFM_RULES, DesignDraft, DesignRule
from assistant.stages.findings import Finding, Severity
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "evals" / "datasets" / "design"
CLEAN = sorted((DATASET / "parts").glob("DS-1*.yaml"))
SHIPPED = sorted((ROOT / "evals" / "datasets" / "parts").glob("*.yaml"))
CATALOG = load_catalog()


def material(grade: str) -> Any:
    return next(m for m in CATALOG.materials if m.grade == grade)


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(make_settings(tmp_path_factory.mktemp("design-rules") / "home"))


def clean(part_id: str) -> dict[str, Any]:
    return yaml.safe_load((DATASET / "parts" / f"{part_id}.yaml").read_text(encoding="utf-8"))


def feature(part: dict[str, Any], fid: str) -> dict[str, Any]:
    return next(f for f in part["features"] if f["id"] == fid)


def review(helper: Assistant, part: dict[str, Any]) -> list[Finding]:
    draft = helper.draft("design", part)
    assert isinstance(draft, DesignDraft)
    return [f for f in draft.findings if f.rule in DFM_RULES]


def found(findings: list[Finding], rule: str, fid: str | None) -> Finding:
    hits = [f for f in findings if f.rule == rule and f.feature == fid]
    assert hits, f"no {rule} on {fid}: {[(f.rule, f.feature, f.message) for f in findings]}"
    return hits[0]


# ---- clean parts


@pytest.mark.parametrize("path", CLEAN + SHIPPED, ids=lambda p: p.stem)
def test_a_clean_part_raises_no_error(helper: Assistant, path: Path) -> None:
    findings = review(helper, yaml.safe_load(path.read_text(encoding="utf-8")))
    assert not [f for f in findings if f.severity == Severity.ERROR], findings


def test_the_deliberately_wrong_spec_gets_an_error(helper: Assistant) -> None:
    spec = ROOT / "evals" / "datasets" / "routing" / "parts" / "SH-299.yaml"
    findings = review(helper, yaml.safe_load(spec.read_text(encoding="utf-8")))
    assert found(findings, DesignRule.FEATURE_OUTSIDE_ENVELOPE, "F2").severity == Severity.ERROR


# ---- each rule's defect, planted


def test_ra_far_finer_than_the_grade_names_the_operations_it_adds(helper: Assistant) -> None:
    part = clean("DS-101")
    feature(part, "F2")["ra"] = 0.4  # a free IT11 diameter
    hit = found(review(helper, part), DesignRule.RA_VS_IT, "F2")
    assert hit.severity == Severity.WARNING
    assert "Ra 0.4 is far finer than IT11 needs (Ra 3.2..6.3 is usual for IT11)" in hit.message
    route = helper.draft("routing", part)
    grinding = [op for op in route.operations if "F2" in op.features and op.kind == "grinding"]
    assert grinding and f"{grinding[0].number} {grinding[0].name}" in hit.message, hit.message
    assert "fix: specify Ra 6.3" in hit.message
    assert [(s.doc, s.section) for s in hit.sources] == [
        ("design-review-rules.md", "2.2"),
        ("surface-roughness-parameters.md", "7.4"),
    ]


def test_ra_too_coarse_for_a_bearing_bore_is_an_error(helper: Assistant) -> None:
    part = clean("DS-103")
    feature(part, "F2")["ra"] = 6.3
    hit = found(review(helper, part), DesignRule.RA_VS_IT, "F2")
    assert hit.severity == Severity.ERROR and "too coarse for IT7" in hit.message


def test_a_hardness_the_material_cannot_reach_is_an_error_with_grades_that_can(helper: Assistant) -> None:
    part = clean("DS-101") | {"material": "Steel 45", "hardness": "HRC 58..62", "notes": "Hardened HRC 58..62."}
    hit = found(review(helper, part), DesignRule.HARDNESS_UNREACHABLE, None)
    assert hit.severity == Severity.ERROR and "Steel 45 reaches at most about HRC 56" in hit.message
    assert "fix: choose a grade that reaches it (" in hit.message


def test_a_case_hardening_the_notes_do_not_name_is_a_warning_that_costs_heat_treatment(helper: Assistant) -> None:
    part = clean("DS-105") | {"notes": "Harden HRC 56..62."}
    hit = found(review(helper, part), DesignRule.HARDNESS_UNREACHABLE, None)
    assert hit.severity == Severity.WARNING and "only after carburizing" in hit.message
    assert "it costs" in hit.message and "in the route draft" in hit.message


def test_a_cast_grade_forged_is_an_error_and_a_stamping_for_twenty_a_year_a_warning(helper: Assistant) -> None:
    forged = found(review(helper, clean("DS-103") | {"blank": "forging"}), DesignRule.BLANK_UNSUITABLE, None)
    assert forged.severity == Severity.ERROR and "a cast grade cannot be rolled or forged" in forged.message
    few = clean("DS-107") | {"annual_volume": 20, "batch_size": 5}
    stamped = found(review(helper, few), DesignRule.BLANK_UNSUITABLE, None)
    assert stamped.severity == Severity.WARNING and "a stamping needs a die" in stamped.message


def test_a_feature_outside_the_envelope_is_an_error(helper: Assistant) -> None:
    part = clean("DS-101")
    feature(part, "F2")["diameter"] = 65
    hit = found(review(helper, part), DesignRule.FEATURE_OUTSIDE_ENVELOPE, "F2")
    assert hit.severity == Severity.ERROR and "Ø65 exceeds the envelope diameter Ø60" in hit.message


def test_a_deep_tight_hole_is_an_error_and_a_long_drilled_one_a_warning(helper: Assistant) -> None:
    part = clean("DS-104")
    part["features"].append({"id": "F6", "type": "hole", "diameter": 6, "depth": 120, "fit": "H7", "ra": 1.6})
    part["features"].append({"id": "F7", "type": "hole", "diameter": 5, "depth": 40, "it": 12, "ra": 12.5})
    findings = review(helper, part)
    tight = found(findings, DesignRule.DEEP_HOLE, "F6")
    assert tight.severity == Severity.ERROR and "20 diameters deep" in tight.message and "IT7" in tight.message
    assert found(findings, DesignRule.DEEP_HOLE, "F7").severity == Severity.WARNING
    part["notes"] = "F6 gun drilled and reamed"
    assert found(review(helper, part), DesignRule.DEEP_HOLE, "F6").severity == Severity.WARNING


def test_a_pitch_outside_iso_261_is_an_error(helper: Assistant) -> None:
    part = clean("DS-101")
    feature(part, "F5")["designation"] = "M36x2.5-6g"
    hit = found(review(helper, part), DesignRule.THREAD_SERIES, "F5")
    assert hit.severity == Severity.ERROR and "ISO 261 gives M36 pitches 4, 3, 2, 1.5" in hit.message
    assert "fix: use M36x3-6g" in hit.message


def test_a_keyway_width_outside_gost_23360_for_its_shaft_is_a_warning(helper: Assistant) -> None:
    shaft = clean("DS-101")
    feature(shaft, "F4")["width"] = 20
    assert found(review(helper, shaft), DesignRule.KEYWAY_SERIES, "F4").severity == Severity.WARNING
    gear = clean("DS-102")
    feature(gear, "F2")["width"] = 10  # a hub keyway in the Ø45 bore takes 14
    hit = found(review(helper, gear), DesignRule.KEYWAY_SERIES, "F2")
    assert "(Ø45: 14)" in hit.message


def test_a_grade_beyond_the_catalogues_equipment_is_an_error(helper: Assistant) -> None:
    part = clean("DS-101")
    feature(part, "F1").update(it=3, ra=0.1)
    del feature(part, "F1")["fit"], feature(part, "F1")["function"]
    hit = found(review(helper, part), DesignRule.TOLERANCE_BEYOND_EQUIPMENT, "F1")
    assert hit.severity == Severity.ERROR and "best: IT5" in hit.message


def test_a_grade_tighter_than_the_function_needs_is_a_warning(helper: Assistant) -> None:
    part = clean("DS-104")
    feature(part, "F2").update(it=7, ra=1.6)  # free bolt holes reamed to IT7
    hit = found(review(helper, part), DesignRule.TOLERANCE_TIGHTER_THAN_FUNCTION, "F2")
    assert hit.severity == Severity.WARNING and "IT7 is tighter than a free surface needs (IT11" in hit.message


def test_a_fit_against_the_function_is_found(helper: Assistant) -> None:
    bushing = clean("DS-105")
    feature(bushing, "F1")["fit"] = "g6"
    press = found(review(helper, bushing), DesignRule.FIT_CONTRADICTS_FUNCTION, "F1")
    assert press.severity == Severity.ERROR and "g6 gives a clearance fit" in press.message
    shaft = clean("DS-101")
    feature(shaft, "F1").update(fit="f7", it=7)
    seat = found(review(helper, shaft), DesignRule.FIT_CONTRADICTS_FUNCTION, "F1")
    assert seat.severity == Severity.ERROR and "not a bearing shaft seat" in seat.message


def test_a_planted_defect_does_not_disturb_the_other_rules(helper: Assistant) -> None:
    base = clean("DS-108")
    part = copy.deepcopy(base)
    feature(part, "F3")["designation"] = "M20x1.75-6g"
    assert {(f.rule, f.feature) for f in review(helper, part)} == {(DesignRule.THREAD_SERIES, "F3")}


# ---- the pure rules, pinned to the tables


def test_ra_vs_it_grades_by_steps_of_the_ra_series() -> None:
    assert dfm.ra_vs_it(6, 0.8) is None and dfm.ra_vs_it(6, 0.2) is None  # in range; one step finer
    fine = dfm.ra_vs_it(11, 0.4)
    assert fine is not None and fine.too_fine and fine.steps == -3
    coarse = dfm.ra_vs_it(6, 1.6)
    assert coarse is not None and coarse.steps == 1 and not coarse.impossible
    assert dfm.ra_vs_it(7, 6.3) is not None and dfm.ra_vs_it(7, 6.3).impossible  # type: ignore[union-attr]
    assert dfm.ra_vs_it(11, 0.4, "sealing") is None  # a seal journal needs Ra 0.2..0.4 whatever its grade


def test_thread_and_key_series() -> None:
    assert dfm.thread_pitches(16) == (2.0, 1.5, 1.0)
    assert dfm.thread_pitches(17) == (1.5, 1.0)  # third choice: fine pitches only
    assert dfm.thread_pitches(19) == () and dfm.thread_pitches(80) is None
    assert dfm.key_width(45) == 14 and dfm.key_width(44) == 12 and dfm.key_width(6) == 2
    assert dfm.keyway_fits(12, [40, 55]) and not dfm.keyway_fits(20, [40, 55])
    assert not dfm.is_key_width(13)


def test_deep_hole_thresholds() -> None:
    assert dfm.deep_hole(10, 50, 12, "") is None
    long = dfm.deep_hole(8, 60, 12, "")
    assert long is not None and long.ratio == 7.5 and not long.beyond_long_series
    tight = dfm.deep_hole(6, 120, 7, "")
    assert tight is not None and tight.beyond_long_series and tight.impossible
    assert not dfm.deep_hole(6, 120, 7, "gun drilled").impossible  # type: ignore[union-attr]
    assert dfm.deep_hole(2, 20, 12, "").small  # type: ignore[union-attr]


def test_fit_character_with_the_basic_member_by_iso_286() -> None:
    table = load_fits()
    assert dfm.fit_character(table, 40, tolerance_class("g6")) == "clearance"
    assert dfm.fit_character(table, 40, tolerance_class("k6")) == "transition"
    assert dfm.fit_character(table, 40, tolerance_class("s6")) == "interference"
    assert dfm.fit_character(table, 20, tolerance_class("P7")) == "interference"
    assert dfm.fit_character(table, 40, tolerance_class("H7")) is None
    assert dfm.bearing_seat_issue(tolerance_class("k6")) is None
    assert dfm.bearing_seat_issue(tolerance_class("K7")) is None
    assert not dfm.bearing_seat_issue(tolerance_class("h6")).error  # type: ignore[union-attr]
    assert dfm.bearing_seat_issue(tolerance_class("H9")).error  # type: ignore[union-attr]


def test_hardness_and_blank_verdicts() -> None:
    unreachable = dfm.hardness_issue(parse_hardness("HRC 58..62"), material("Steel 45"), "")
    assert unreachable is not None and unreachable.unreachable
    unnamed = dfm.hardness_issue(parse_hardness("HRC 58..62"), material("20Kh"), "")
    assert unnamed is not None and not unnamed.unreachable
    assert dfm.hardness_issue(parse_hardness("HRC 58..62"), material("20Kh"), "carburize h 1.0") is None
    assert "20Kh" in dfm.materials_reaching(parse_hardness("HRC 58..62"), CATALOG.materials, "steel", limit=10)
    cast = dfm.blank_issue("rolled_bar", material("SCh20"), "medium_batch", "housing", 1.0)
    assert cast is not None and cast.impossible
    plate = dfm.blank_issue("plate", material("40Kh"), "medium_batch", "plate", 1.0)
    assert plate is not None and not plate.impossible
    assert dfm.blank_issue("forging", material("Steel 45"), "single", "flange", 1.0) is None  # open-die forging
    assert dfm.blank_issue("forging", material("Steel 45"), "single", "shaft", 1.2) is not None
    assert dfm.blank_issue("forging", material("Steel 45"), "single", "shaft", 2.0) is None  # a collar: forge it
    assert dfm.step_ratio([40, 45, 60]) == pytest.approx(60 / 45)


def test_function_grades() -> None:
    assert dfm.function_grade("free", "external_cylinder") == 11
    assert dfm.function_grade("keyed_joint", "keyway") == 9
    assert dfm.function_grade("keyed_joint", "external_cylinder") == 6
    assert dfm.function_grade("threaded_joint", "external_thread") is None
    assert dfm.function_grade(None, "hole") is None
