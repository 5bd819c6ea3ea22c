"""Tolerances given as limit deviations (mm): the IT grade they hold (ISO 286-1 / GOST 25346), the errors that
name the field, and a routing drafted from them that finishes the feature as the same part with `it` given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from assistant.api import Assistant
from assistant.catalog.fits import load_fits
from assistant.engineering.grades import grade_tolerances, span_grade
from assistant.errors import InputError
from assistant.parts.model import parse_part
from tests.test_parts import EXAMPLE
from tests.uiapp import button, make_home, page, texts


def part(**feature: Any) -> dict[str, Any]:
    """A one-feature part: F1 a Ø40 x 60 journal, with the fields given."""
    f1 = {"id": "F1", "type": "external_cylinder", "diameter": 40, "length": 60, "ra": 0.8, **feature}
    return {"id": "SH-9", "name": "Shaft", "kind": "shaft", "material": "Steel 45", "features": [f1]}


def grade_of(**feature: Any) -> int | None:
    return parse_part(part(**feature)).features[0].it


def error_of(**feature: Any) -> str:
    with pytest.raises(InputError) as info:
        parse_part(part(**feature))
    return str(info.value)


def test_shaft_minus_9_minus_25_on_40_is_it6() -> None:
    assert grade_of(upper=-0.009, lower=-0.025) == 6  # 16 µm is IT6 for 30 to 50 mm


def test_asymmetric_hole_plus_25_zero_on_40_is_it7() -> None:
    hole = part(upper=0.025, lower=0)
    hole["features"][0]["type"] = "hole"
    feature = parse_part(hole).features[0]
    assert (feature.it, feature.upper, feature.lower) == (7, 0.025, 0)


def test_span_between_grades_takes_the_coarser_grade_not_exceeding_it() -> None:
    # 30 µm on Ø40: IT7 = 25 µm <= 30 < IT8 = 39 µm (30 to 50 mm), so a process holding IT7 holds the drawing
    assert grade_of(upper=0.030, lower=0) == 7
    # 38 µm: still below IT8 = 39 µm; 39 µm is IT8 exactly
    assert grade_of(upper=0.019, lower=-0.019) == 7
    assert grade_of(upper=0.039, lower=0) == 8


def test_the_size_is_the_diameter_else_the_width_else_the_length() -> None:
    plane = {"id": "F1", "type": "plane", "length": 100, "width": 80, "upper": 0.074, "lower": 0}
    spec = {**part(), "kind": "plate", "features": [plane]}
    assert parse_part(spec).features[0].it == 9  # 74 µm on width 80 (50 to 80 mm) is IT9; on length 100 it is IT8
    del plane["width"]
    assert parse_part(spec).features[0].it == 8  # on length 100 (80 to 120 mm): IT8 = 54 <= 74 < IT9 = 87


def test_deviations_agreeing_with_it_and_fit_are_accepted() -> None:
    assert grade_of(upper=-0.009, lower=-0.025, it=6) == 6
    assert grade_of(upper=-0.009, lower=-0.025, fit="g6") == 6  # Ø40 g6 is -0.009/-0.025
    assert grade_of(upper=-0.009, lower=-0.025, fit="g6", it=6) == 6


def test_contradiction_with_it_names_the_grade_the_deviations_hold() -> None:
    assert error_of(upper=-0.009, lower=-0.025, it=7) == (
        "SH-9/F1: upper/lower deviations -0.009/-0.025 span 16 µm = IT6 on Ø40 but it is 7"
    )


def test_contradiction_with_fit_names_the_fit() -> None:
    assert error_of(upper=0.025, lower=0, fit="H8") == (
        "SH-9/F1: upper/lower deviations +0.025/0 span 25 µm = IT7 on Ø40 but fit H8 means IT8"
    )


def test_only_one_deviation_given_is_an_error() -> None:
    assert error_of(upper=0.025) == "SH-9/F1: lower is required with upper: limit deviations (mm) are given in pairs"
    assert error_of(lower=-0.025) == "SH-9/F1: upper is required with lower: limit deviations (mm) are given in pairs"


def test_upper_not_above_lower_is_an_error() -> None:
    assert error_of(upper=-0.025, lower=-0.009) == (
        "SH-9/F1: upper must be greater than lower (got upper -0.025, lower -0.009)"
    )
    assert "upper must be greater than lower (got upper 0, lower 0)" in error_of(upper=0, lower=0)


def test_absurd_spans_say_which_and_the_span_in_micrometres() -> None:
    coarse = error_of(diameter=10, upper=4, lower=-1)
    assert coarse.startswith("SH-9/F1: upper/lower deviations +4/-1 on Ø10: absurd tolerance: span 5000 µm")
    assert "coarser than IT18 (2200 µm)" in coarse  # IT18 = 10·IT13 = 2200 µm for 6 to 10 mm
    fine = error_of(upper=0.0005, lower=0)
    assert "upper/lower deviations +0.0005/0 on Ø40: absurd tolerance: span 0.5 µm is tighter than IT1" in fine


def test_deviations_need_a_size() -> None:
    spec = part()
    spec["features"][0] = {"id": "F1", "type": "chamfer", "upper": 0.1, "lower": -0.1}
    with pytest.raises(InputError, match=r"SH-9/F1: upper/lower deviations \+0.1/-0.1 need a size"):
        parse_part(spec)


def test_deviations_are_numbers() -> None:
    assert "SH-9/F1: upper " in error_of(upper="a lot", lower=0)
    assert "SH-9/F1: lower " in error_of(upper=0.1, lower=float("nan"))


def test_grades_outside_the_table_follow_the_standard() -> None:
    table = load_fits()
    values = grade_tolerances(table, 40)
    assert list(values) == list(range(1, 19))
    assert [values[g] for g in (15, 16, 17, 18)] == [1000, 1600, 2500, 3900]  # ISO 286-1, 30 to 50 mm
    assert values[1] < values[2] < values[3] < values[4] == 7
    assert span_grade(table, 40, 16).grade == 6 and span_grade(table, 40, 3900).grade == 18


def test_a_part_with_deviations_is_routed_as_the_same_part_with_it() -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    with_it = {**data, "features": [dict(f) for f in data["features"]]}
    with_deviations = {**data, "features": [dict(f) for f in data["features"]]}
    for features in (with_it["features"], with_deviations["features"]):
        features[0].pop("fit")
    with_deviations["features"][0].pop("it")
    with_deviations["features"][0].update(upper=-0.009, lower=-0.025)  # Ø40 g6: 16 µm, IT6
    helper = Assistant()
    by_it = helper.draft("routing", with_it, provider="offline")
    by_deviations = helper.draft("routing", with_deviations, provider="offline")

    def finishing(draft: Any) -> list[tuple[str, str | None, str, list[str]]]:
        return [
            (
                op.kind,
                op.stage,
                op.equipment.model,
                [t.text for s in op.setups for t in s.transitions if "F1" in t.text],
            )
            for op in draft.operations
            if "F1" in op.features
        ]

    assert finishing(by_deviations) == finishing(by_it)
    assert any(op.kind == "grinding" for op in by_deviations.operations if "F1" in op.features)
    assert not [f for f in by_deviations.findings if f.severity == "error"]


def test_the_draft_form_takes_deviations_typed_into_the_feature_table(
    tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = make_home(tmp_path, embeddings, monkeypatch)
    app = page("pages/1_Draft.py", home.token("tech"))
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["features"][0] = {k: v for k, v in data["features"][0].items() if k not in {"fit", "it"}}
    upload = ("SH-001.yaml", yaml.safe_dump(data).encode(), "application/yaml")
    app.file_uploader(key="upload-routing").set_value(upload).run()
    button(app, "Load the file").click().run()
    table = app.data_editor[0].value
    assert {"upper", "lower"} <= set(table.columns) and table["upper"].isna().all()

    def typed(cells: dict[str, Any]) -> AppTest:  # AppTest cannot type into a data editor: seed its edit state
        edits = {"edited_rows": {0: cells}, "added_rows": [], "deleted_rows": []}
        app.session_state[f"features-{app.session_state['features.generation']}"] = edits
        return button(app.run(), "Draft").click().run()

    typed({"upper": -0.009, "lower": -0.025})
    assert not app.exception and not texts(app, "error")
    assert [s for s in texts(app, "subheader") if s.startswith("The draft")]
    typed({"upper": -0.009, "lower": -0.025, "it": 7})
    assert any(
        "F1: upper/lower deviations -0.009/-0.025 span 16 µm = IT6 on Ø40 but it is 7" in e for e in texts(app, "error")
    )
