"""Computed answers: the lean and ISO 286 calculators, the question recognisers, and answers with citations."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
import yaml

from assistant.api import Assistant
from assistant.catalog.fits import load_fits
from assistant.chat.calculators import CALCULATORS, calculate
from assistant.chat.calculators.fits import (
    FitLimitsOfSize,
    StandardTolerance,
    recognise_fit,
    recognise_standard_tolerance,
)
from assistant.chat.calculators.lean import KanbanCardCount, TaktTime, recognise_kanban, recognise_takt
from assistant.chat.calculators.main_time import TurningMainTime, recognise_turning
from assistant.engineering import lean
from assistant.engineering.fits import fit_limits, limits, standard_tolerance, tolerance_class
from assistant.errors import ConfigError
from assistant.resources import catalog_dir, knowledge_dir
from evals.stub_server import StubState, serve
from tests.conftest import make_settings

TABLE = load_fits()
KANBAN_QUESTION = "How many kanban cards for 600 a day, 2 days lead time, containers of 50, safety 10 %?"


def numbers(text: str) -> set[float]:
    """The numbers an answer writes, [n] markers left out."""
    return {float(x.replace(",", ".")) for x in re.findall(r"\d+(?:[.,]\d+)?", re.sub(r"\[\d+\]", "", text))}


def lim(size: float, cls: str) -> tuple[float, float]:
    found = limits(TABLE, size, tolerance_class(cls))
    return found.upper, found.lower


# ---- kanban (lean-kanban.md §4) ------------------------------------------------------------------


def test_kanban_example_of_the_issue_rounds_26_4_up_to_27():
    result = lean.kanban_cards(lean.KanbanLoop(600, 2, 0.1, 50))
    assert result.exact == pytest.approx(26.4) and result.cards == 27 and result.max_inventory == 1350


def test_kanban_worked_example_4_4_gives_21_cards_and_840_pieces():
    result = lean.kanban_cards(lean.KanbanLoop(480, 1.5, 0.15, 40))
    assert result.exact == pytest.approx(20.7) and result.cards == 21 and result.max_inventory == 840


def test_kanban_exact_whole_number_is_not_rounded_up_by_float_error():
    assert 100 * 1 * (1 + 0.1) / 10 > 11  # the float product lands a hair above 11
    assert lean.kanban_cards(lean.KanbanLoop(100, 1, 0.1, 10)).cards == 11


def test_kanban_rejects_impossible_loops():
    with pytest.raises(ValueError, match="container must be greater than zero"):
        lean.kanban_cards(lean.KanbanLoop(600, 2, 0.1, 0))
    with pytest.raises(ValueError, match="safety factor must not be negative"):
        lean.kanban_cards(lean.KanbanLoop(600, 2, -0.1, 50))


# ---- available time and takt (takt-and-line-balancing.md §2) -------------------------------------


def test_takt_worked_example_2_3():
    available = lean.available_time(lean.ShiftPattern(2, 480, 30))
    takt = lean.takt_time(available, 480)
    assert available == 900 and takt.minutes == pytest.approx(1.875) and takt.seconds == pytest.approx(112.5)


def test_takt_of_two_8_hour_shifts_for_400_a_day():
    takt = lean.takt_time(lean.available_time(lean.ShiftPattern(2, 8 * 60, 30)), 400)
    assert takt.minutes == pytest.approx(2.25) and takt.seconds == pytest.approx(135)


def test_breaks_must_fit_in_the_shift():
    with pytest.raises(ValueError, match="shorter than the shift"):
        lean.available_time(lean.ShiftPattern(2, 30, 30))
    with pytest.raises(ValueError, match="demand must be greater than zero"):
        lean.takt_time(900, 0)


# ---- ISO 286 limits (fits.yaml, iso-286-limits.md) ------------------------------------------------


@pytest.mark.parametrize(
    ("size", "cls", "upper", "lower"),
    [
        (50, "H7", 25, 0),
        (50, "g6", -9, -25),
        (50, "k6", 18, 2),
        (25, "h6", 0, -13),
        (100, "p6", 59, 37),
        (30, "s6", 48, 35),  # 30 belongs to the range over 18 to 30
        (40, "K7", 7, -18),
        (40, "M7", 0, -25),
        (40, "N7", -8, -33),
        (50, "P7", -17, -42),
        (14, "N9", 0, -43),  # keyway width tolerances
        (14, "P9", -18, -61),
        (14, "JS9", 21.5, -21.5),
        (60, "js6", 9.5, -9.5),
        (80, "r6", 62, 43),
        (100, "s6", 93, 71),
        (25, "f7", -20, -41),
        (25, "e8", -40, -73),
        (25, "d9", -65, -117),
        (25, "c11", -110, -240),
        (40, "F8", 64, 25),
        (40, "G7", 34, 9),
        (280, "M6", -9, -41),  # the special case of §4.7
        (2, "M7", -2, -12),  # Δ = 0 up to 3 mm
        (2, "N9", -4, -29),
        (6, "K6", 2, -6),
        (120, "R7", -41, -76),
        (500, "H11", 400, 0),
        (20, "K5", 1, -8),  # Δ5 needs IT4
        (20, "M8", 4, -29),
        (20, "K8", 10, -23),
        (20, "N6", -11, -24),
        (60, "S7", -42, -72),
        (300, "m6", 52, 20),
        (450, "n6", 80, 40),
        (150, "f7", -43, -83),
    ],
)
def test_limit_deviations_are_those_of_iso_286_2(size, cls, upper, lower):
    assert lim(size, cls) == (upper, lower)


def _markdown_table(doc: str, header_start: str) -> list[list[str]]:
    """The rows of the Markdown table of a corpus document whose header row starts with `header_start`."""
    lines = (knowledge_dir() / "corpus" / doc).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _value(cell: str) -> float:
    return float(cell.replace("−", "-").replace("+", ""))


@pytest.mark.parametrize("grades", [(5, 6, 7, 8, 9), (10, 11, 12, 13, 14)])
def test_standard_tolerances_match_tables_1_and_2_of_tolerances_and_fits(grades):
    header = f"| Size over..to, mm | IT{grades[0]} |"
    for row in _markdown_table("tolerances-and-fits.md", header):
        upper = float(row[0].split("..")[1])
        for grade, cell in zip(grades, row[1:], strict=True):
            assert standard_tolerance(TABLE, upper, grade) == float(cell), (upper, grade)


def test_common_fits_match_table_4_of_tolerances_and_fits():
    """Every fit of the Ø25 table (limits and limit clearances) is computed the same way."""
    for fit, hole, shaft, least, most, kind in _markdown_table("tolerances-and-fits.md", "| Fit | Hole"):
        hole_cls, shaft_cls = (tolerance_class(c) for c in fit.split("/"))
        found = fit_limits(TABLE, 25, hole_cls, shaft_cls)
        assert (found.hole.upper, found.hole.lower) == tuple(_value(x) for x in hole.split(" / ")), fit
        assert (found.shaft.upper, found.shaft.lower) == tuple(_value(x) for x in shaft.split(" / ")), fit
        assert (found.min_clearance, found.max_clearance) == (_value(least), _value(most)), fit
        assert found.kind == kind, fit


def test_shaft_tables_of_the_corpus_document_match_the_catalogue():
    letters = ["d", "e", "f", "g", "k", "m", "n", "p"]
    for row in _markdown_table("iso-286-limits.md", "| Size over..to, mm | d |"):
        upper = float(row[0].split("..")[1])
        for letter, cell in zip(letters, row[1:], strict=True):
            found = limits(TABLE, upper, tolerance_class(f"{letter}6"))
            assert found.fundamental == _value(cell), (upper, letter)
    for row in _markdown_table("iso-286-limits.md", "| Size over..to, mm | r | s |"):
        upper = float(row[0].split("..")[1])
        assert [lim(upper, "r6")[1], lim(upper, "s6")[1]] == [_value(row[1]), _value(row[2])], upper


def _rows(letter: str) -> tuple[tuple[float, float], ...]:
    return TABLE.positions[letter].rows


@pytest.mark.parametrize(("hole", "shaft"), [("C", "c"), ("D", "d"), ("E", "e"), ("F", "f"), ("G", "g"), ("H", "h")])
def test_holes_a_to_h_mirror_the_shafts(hole, shaft):
    """§4.1: EI = −es of the shaft of the same letter."""
    assert _rows(hole) == tuple((bound, -value) for bound, value in _rows(shaft))


@pytest.mark.parametrize(("hole", "shaft"), [("K", "k"), ("M", "m"), ("N", "n"), ("P", "p"), ("R", "r"), ("S", "s")])
def test_holes_k_to_s_start_from_minus_ei_of_the_shaft(hole, shaft):
    """§4.3, §4.5: ES = −ei + Δ (fine grades), the rows holding −ei."""
    assert _rows(hole) == tuple((bound, -value + 0.0) for bound, value in _rows(shaft))


@pytest.mark.parametrize(
    ("size", "grade", "delta"),
    [(5, 8, 6), (8, 7, 6), (15, 8, 9), (40, 5, 4), (60, 6, 6), (150, 7, 15), (300, 8, 29), (450, 6, 13)],
)
def test_delta_is_the_iso_286_1_value(size, grade, delta):
    """The Δ values tabulated in ISO 286-1 equal IT(n) − IT(n−1) of the catalogue's tolerances."""
    assert standard_tolerance(TABLE, size, grade) - standard_tolerance(TABLE, size, grade - 1) == delta


def test_limits_outside_the_tables_are_refused():
    with pytest.raises(ValueError, match="outside the tables"):
        lim(600, "H7")
    with pytest.raises(ValueError, match="position 'u' is not in the tables"):
        lim(50, "u6")
    with pytest.raises(ValueError, match="IT15 is not tabulated"):
        lim(50, "h15")
    with pytest.raises(ValueError, match="K9 is not defined for 40 mm"):
        lim(40, "K9")
    with pytest.raises(ValueError, match="written hole/shaft"):
        fit_limits(TABLE, 50, tolerance_class("g6"), tolerance_class("H7"))


# ---- fits.yaml errors name file, entry and field ----------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(catalog_dir(), tmp_path / "catalog"))


def _broken(folder: Path, change) -> str:
    path = folder / "fits.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_fits(folder)
    return str(caught.value)


@pytest.mark.parametrize(
    ("change", "start", "detail"),
    [
        (lambda d: d["holes"]["K"].update(limit="es"), "fits.yaml: hole K: limit: ", "'EI', 'ES' or 'sym'"),
        (lambda d: d["shafts"]["g"].update(rows=[[3, -2], [3, -4]]), "fits.yaml: shaft g: rows: ", "must rise"),
        (lambda d: d["holes"]["N"].pop("rows"), "fits.yaml: hole N: ", "needs rows"),
        (lambda d: d["standard_tolerances"]["rows"][2].pop(), "fits.yaml: standard_tolerances: ", "11 values"),
        (lambda d: d["shafts"].update(G=d["shafts"].pop("g")), "fits.yaml: shaft G: ", "lower case"),
        (lambda d: d["shafts"]["m"]["rows"].pop(), "fits.yaml: top level: ", "shaft m ends at 400 mm"),
    ],
)
def test_bad_fits_yaml_names_file_entry_and_field(folder: Path, change, start, detail):
    message = _broken(folder, change)
    assert message.startswith(start) and detail in message, message


# ---- recognisers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        KANBAN_QUESTION,
        "how many kanban cards for 600 per day, lead time 2 days, container 50 pcs, safety factor 0.1?",
        "Kanban: demand 600, lead time of 2 days, containers of 50, safety factor 10%",
        "Number of kanban cards: daily demand is 600 pieces, replenishment lead time 2 d, 50 pieces per container, "
        "10 percent safety stock",
        "kanban cards with D = 600, L = 2 days, S = 0.1, C = 50",
    ],
)
def test_kanban_phrasings(question):
    assert recognise_kanban(question) == KanbanCardCount(
        demand_per_day=600, lead_time_days=2, safety_factor=0.1, container_quantity=50
    )


@pytest.mark.parametrize(
    "question",
    [
        "How many kanban cards for 600 a day, 2 days lead time, containers of 50?",  # no safety factor
        "How many kanban cards for 600 a day, containers of 50, safety 10 %?",  # no lead time
        "How many kanban cards for 2 days lead time, containers of 50, safety 10 %?",  # no demand
        "How many kanban cards for 600 a day, lead time 16 h, containers of 50, safety 10 %?",  # hours: no day length
        "How many kanban cards for 600 a day, 2 days lead time, containers of 50, safety factor 1.1?",  # ambiguous
        "How many containers of 50 for 600 a day, 2 days lead time, safety 10 %?",  # not about kanban cards
        "How is the number of kanban cards calculated?",
    ],
)
def test_kanban_questions_lacking_a_quantity_are_not_computed(question):
    assert recognise_kanban(question) is None


def test_kanban_without_safety_stock_is_zero_not_missing():
    found = recognise_kanban("kanban cards for 480 per day, lead time 1.5 days, bins of 40, no safety stock")
    assert found == KanbanCardCount(demand_per_day=480, lead_time_days=1.5, safety_factor=0, container_quantity=40)


@pytest.mark.parametrize(
    "question",
    [
        "What is the takt time for two shifts of 8 h, breaks 30 min, demand 400 per day?",
        "takt time: 2 shifts, 480 min per shift, breaks 30 min per shift, demand 400 per day",
        "Takt for 400 pieces per day in two 8-hour shifts with 30 minutes of planned breaks each?",
        "Takt time with 2 shifts of 480 minutes, break of 0.5 h and a demand of 400 a day",
    ],
)
def test_takt_phrasings(question):
    found = recognise_takt(question)
    assert found is not None
    assert (found.demand_per_day, found.shifts, found.shift_min, found.breaks_min) == (400, 2, 480, 30)


@pytest.mark.parametrize(
    "question",
    ["takt time for an available time of 900 min and demand 480 per day", "takt for 15 h available, 480 a day"],
)
def test_takt_from_the_available_time_given_directly(question):
    assert recognise_takt(question) == TaktTime(demand_per_day=480, available_min=900)


@pytest.mark.parametrize(
    "question",
    [
        "What is the takt time for two shifts of 8 h, demand 400 per day?",  # breaks not given
        "What is the takt time for shifts of 8 h, breaks 30 min, demand 400 per day?",  # number of shifts
        "What is the takt time for two shifts, breaks 30 min, demand 400 per day?",  # shift length
        "What is the takt time for two shifts of 8 h, breaks 30 min?",  # demand
        "What is the takt time for two shifts of 8 h, breaks 60 min per day, demand 400 per day?",  # per day
        "What is takt time?",
    ],
)
def test_takt_questions_lacking_a_quantity_are_not_computed(question):
    assert recognise_takt(question) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Ø50 H7/g6", (50, "H7", "g6")),
        ("50 H7/k6", (50, "H7", "k6")),
        ("What are the limit clearances of a Ø25H7/s6 fit?", (25, "H7", "s6")),
        ("Ø120 mm H8/f7 clearance?", (120, "H8", "f7")),
        ("limits of 40 g6", (40, None, "g6")),
        ("What are the deviations of a 40 mm K7 bore?", (40, "K7", None)),
        ("Tolerance of Ø14 N9 keyway width?", (14, "N9", None)),
        ("What are the limits of H7/g6 at Ø50?", (50, "H7", "g6")),
        ("Clearance of an H7/h6 fit on a 30 mm shaft?", (30, "H7", "h6")),
    ],
)
def test_fit_phrasings(question, expected):
    size, hole, shaft = expected
    assert recognise_fit(question) == FitLimitsOfSize(size_mm=size, hole=hole, shaft=shaft)


@pytest.mark.parametrize(
    "question",
    [
        "Which fit for a rolling bearing seat on a shaft?",
        "What is H7/g6 used for?",  # no size
        "What does Ø25H7 mean?",  # a class, but not asking for its limits
        "Is H7/k6 or H7/m6 better for a Ø50 bearing seat?",  # two fits
        "What are the limits of Ø50 u6?",  # a position not in the tables
        "What are the limits of Ø600 H7?",  # beyond 500 mm
        "Which parallel key suits a 45 mm shaft?",
    ],
)
def test_fit_questions_without_one_size_and_class_are_not_computed(question):
    assert calculate(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "turn a length of 120 mm at 150 m/min, feed 0.2 mm/rev, diameter 40",
        "Main time for turning Ø40 over 120 mm, cutting speed 150 m/min, feed 0.2 mm/rev?",
        "What is the machining time to turn a 120 mm long journal of diameter 40 mm at v = 150, s = 0.2?",
    ],
)
def test_turning_phrasings(question):
    found = recognise_turning(question)
    assert found == TurningMainTime(length_mm=120, diameter_mm=40, speed_m_min=150, feed_mm_rev=0.2)


@pytest.mark.parametrize(
    "question",
    [
        "turn a length of 120 mm at 150 m/min, diameter 40",  # no feed
        "turn a length of 120 mm, feed 0.2 mm/rev, diameter 40",  # no speed
        "turn Ø40 at 150 m/min, feed 0.2 mm/rev",  # no length
        "turn a length of 120 mm at 150 m/min, feed 200 mm/min, diameter 40",  # a minute feed is not s
        "What cutting speed for rough turning of steel?",
    ],
)
def test_turning_questions_lacking_a_quantity_are_not_computed(question):
    assert recognise_turning(question) is None


@pytest.mark.parametrize(
    ("question", "size", "grade"),
    [
        ("How big is the IT6 tolerance on a Ø60 shaft?", 60, 6),
        ("What is the IT 7 tolerance for 50 mm?", 50, 7),
        ("IT8 tolerance value at 120 mm", 120, 8),
    ],
)
def test_standard_tolerance_phrasings(question, size, grade):
    assert recognise_standard_tolerance(question) == StandardTolerance(size_mm=size, grade=grade)


@pytest.mark.parametrize(
    "question",
    [
        "Which process reaches IT7 on a 40 mm bore?",  # asks for a process, not a tolerance
        "How big is the IT6 tolerance?",  # no size
        "Tolerance of IT6 or IT7 at 60 mm?",  # two grades
        "How big is the IT16 tolerance at 60 mm?",  # not tabulated: the documents answer
    ],
)
def test_standard_tolerance_questions_it_cannot_compute_are_not_computed(question):
    assert CALCULATORS["standard_tolerance"].answer(question) is None


def test_standard_tolerance_answer_names_value_and_size_range():
    found = calculate("How big is the IT6 tolerance on a Ø60 shaft?")
    assert found is not None and found.calculator == "standard_tolerance"
    assert "19 µm = 0.019 mm" in found.text and "over 50 to 80 mm" in found.text
    assert found.sources[0].section == "2.3"


def test_every_calculator_is_registered_with_a_tool_schema():
    assert set(CALCULATORS) == {"kanban", "takt", "fit", "standard_tolerance", "main_time"}
    for calculator in CALCULATORS.values():
        schema = calculator.arguments.model_json_schema()
        assert schema["description"] and all("_as_written" not in name for name in schema["properties"])


# ---- computed answers --------------------------------------------------------------------------


def test_kanban_answer_states_27_with_the_formula_and_invents_no_number():
    computed = calculate(KANBAN_QUESTION)
    assert computed is not None and computed.calculator == "kanban"
    assert "N = 27" in computed.text
    assert "ceil(600 × 2 × 1.1 / 50) = ceil(26.4) = 27" in computed.text
    assert "21" not in computed.text and "480" not in computed.text  # nothing of the worked example
    assert numbers(computed.text) <= {600, 2, 1.1, 50, 0.1, 10, 26.4, 27, 1350, 1}  # 1 of (1 + S)
    assert [(s.doc, s.section) for s in computed.sources] == [("lean-kanban.md", "4.1"), ("lean-kanban.md", "4.5")]


def test_takt_answer_builds_the_available_time_from_the_shifts():
    computed = calculate("What is the takt time for two shifts of 8 h, breaks 30 min, demand 400 per day?")
    assert computed is not None
    assert "Takt time: 2.25 min = 135 s per piece" in computed.text
    assert "2 × (480 − 30) = 900 min per day" in computed.text and "900 / 400 = 2.25" in computed.text
    assert numbers(computed.text) <= {2, 8, 30, 400, 480, 900, 2.25, 135}
    assert [s.section for s in computed.sources] == ["2.2", "2.1"]


def test_fit_answer_gives_both_members_and_the_clearances():
    computed = calculate("Ø50 H7/g6")
    assert computed is not None
    lines = computed.text.splitlines()
    assert lines[0] == "Ø50 H7/g6: clearance fit, clearance 9 to 50 µm [1]."
    assert "ES = EI + IT7 = 0 + 25 = +25 µm; limits of size 50.000 to 50.025 mm [2]" in lines[1]
    assert "es = −9 µm, ei = es − IT6 = −9 − 16 = −25 µm; limits of size 49.975 to 49.991 mm [3]" in lines[2]
    assert [s.section for s in computed.sources] == ["5.1", "4.1", "3.1"]
    interference = calculate("Ø100 H7/p6")
    assert interference is not None and "interference fit, interference 2 to 59 µm" in interference.text
    transition = calculate("Ø25 H7/k6")
    assert transition is not None and "from a clearance of 19 µm to an interference of 15 µm" in transition.text


def test_hole_with_delta_shows_how_delta_is_found():
    computed = calculate("What are the limits of Ø40 K7?")
    assert computed is not None
    assert "ES = −2 + Δ = −2 + 9 = +7 µm (Δ = IT7 − IT6 = 25 − 16)" in computed.text
    assert [(s.doc, s.section) for s in computed.sources] == [("iso-286-limits.md", "4.3")]


def test_main_time_reuses_the_turning_formula_of_the_norms():
    computed = calculate("turn a length of 120 mm at 150 m/min, feed 0.2 mm/rev, diameter 40")
    assert computed is not None
    n = 1000 * 150 / (math.pi * 40)
    assert f"To = {round((120 + 3) * 1 / (n * 0.2), 2)} min" in computed.text  # time-norms.md §3.1.1, l = 3 mm
    assert "= 1193.7 rev/min" in computed.text and "(120 + 3) × 1 / (1193.7 × 0.2)" in computed.text
    assert [s.section for s in computed.sources] == ["3.1.1", "3.1.2"]  # one pass, by §3.1.2
    three = CALCULATORS["main_time"].answer("turn 120 mm long, Ø40, 150 m/min, 0.2 mm/rev in 3 passes")
    assert three is not None and f"To = {round(123 * 3 / (n * 0.2), 2)} min" in three.text
    assert [s.section for s in three.sources] == ["3.1.1"]


# ---- end to end: Assistant.ask on the shipped corpus --------------------------------------------


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, embeddings) -> Assistant:
    """The shipped documents that hold the formulas, indexed."""
    helper = Assistant(make_settings(tmp_path_factory.mktemp("calc") / "home"))
    helper.index._embeddings = embeddings
    corpus = knowledge_dir() / "corpus"
    docs = ["lean-kanban.md", "takt-and-line-balancing.md", "iso-286-limits.md", "time-norms.md"]
    helper.ingest([corpus / doc for doc in docs])
    return helper


def test_ask_offline_computes_the_kanban_question_and_cites_the_formula_clause(shipped: Assistant):
    answer = shipped.ask(KANBAN_QUESTION)
    assert answer.provider == "offline" and answer.grounded and answer.usage.calls == 0
    assert "N = 27" in answer.answer and "ceil(26.4) = 27" in answer.answer
    first = answer.citations[0]
    assert (first.n, first.doc, first.section) == (1, "lean-kanban.md", "4.1")
    assert first.title.startswith("Kanban pull systems") and "N = ceil(D·L·(1 + S) / C)" in first.quote
    assert [c.section for c in answer.citations] == ["4.1", "4.5"]


def test_ask_offline_computes_fit_limits_with_iso_286_citations(shipped: Assistant):
    answer = shipped.ask("What are the limits of Ø50 H7/g6?")
    assert answer.answer.startswith("Ø50 H7/g6: clearance fit, clearance 9 to 50 µm [1].")
    assert [(c.doc, c.section) for c in answer.citations] == [
        ("iso-286-limits.md", "5.1"),
        ("iso-286-limits.md", "4.1"),
        ("iso-286-limits.md", "3.1"),
    ]
    assert all(c.title.startswith("ISO 286 limits of size") for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        KANBAN_QUESTION,
        "What is the takt time for two shifts of 8 h, breaks 30 min, demand 400 per day?",
        "takt for 900 min available and 480 per day",
        "Ø50 H7/k6",
        "What are the limits of Ø40 K7?",
        "Limits of Ø40 js6?",
        "Limits of Ø40 JS7?",
        "Deviations of Ø100 P7?",
        "How big is the IT6 tolerance on a Ø60 shaft?",
        "turn a length of 120 mm at 150 m/min, feed 0.2 mm/rev, diameter 40",
    ],
)
def test_every_clause_a_computed_answer_cites_is_found_in_the_index(shipped: Assistant, question: str):
    answer = shipped.ask(question)
    assert answer.grounded and answer.citations
    assert all(c.title and c.quote for c in answer.citations), [c.label() for c in answer.citations if not c.title]
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_ask_offline_without_every_quantity_falls_back_to_the_documents(shipped: Assistant):
    answer = shipped.ask("How many kanban cards for 600 a day, 2 days lead time and containers of 50?")
    assert "N = 27" not in answer.answer and "ceil(600" not in answer.answer
    assert answer.grounded and any(c.doc == "lean-kanban.md" for c in answer.citations)


def test_stream_yields_the_computed_answer(shipped: Assistant):
    items = list(shipped.stream(KANBAN_QUESTION))
    assert items[0] == items[-1].answer and "N = 27" in items[0]


def test_an_llm_calls_a_calculator_the_recognisers_miss(shipped: Assistant):
    """With an LLM, a question with numbers the recognisers cannot read is offered to the model as tools."""
    seen: list[str] = []

    def tool(function, messages):
        seen.append(function["name"])
        return {"demand_per_day": 600, "lead_time_days": 2, "safety_factor": 0.1, "container_quantity": 50}

    state = StubState(tool_responder=tool)
    server, url = serve(state)
    try:
        helper = Assistant(make_settings(shipped.settings.home, llm_base_url=url))
        helper.index._embeddings = shipped.index.embeddings
        question = "We use six hundred parts daily; refills take 2 days, bins take 50, plus a 10 % buffer: loop size?"
        assert calculate(question) is None
        answer = helper.ask(question)
        assert seen == ["KanbanCardCount"] and "N = 27" in answer.answer
        assert answer.provider.startswith("openai-compatible:") and answer.usage.calls == 1
        assert answer.citations[0].section == "4.1"
        again = helper.ask(question)  # the model's tool call is cached like any reply
        assert again.answer == answer.answer and again.usage.cached_calls == 1 and again.usage.total_tokens == 0
        plain = helper.ask("What is a signal kanban?")  # no numbers: no tool call, the usual answer
        assert seen == ["KanbanCardCount"] and plain.answer == "Stub answer [1]."
    finally:
        server.shutdown()
