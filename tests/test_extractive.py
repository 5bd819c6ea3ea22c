"""Offline answers pick the unit that answers: a table row with its header, a list, a formula with its terms, a
definition before its worked example; every answer line is verbatim text of the passage it cites."""

from __future__ import annotations

import re

import pytest

from assistant.chat.extractive import compose, extract, in_range, key_match, read_question
from assistant.chat.units import FORMULA, LIST, ROW, Unit, flat_windows, formula_terms, sentences, table_intro, units
from evals.metrics import facts_missing, normalize_fact_text, states_facts

MILLING = """4.1 Face milling with a carbide face mill is the usual way to machine large planes of housings and plates.
4.2 Table 8 gives the economical accuracy and roughness of milling by stage.
| Process | Stage | IT grade | Ra, µm |
|---|---|---|---|
| Rough milling | rough | IT 12–14 | 12.5–25 |
| Finish milling | finish | IT 9–11 | 1.6–3.2 |
| Fine milling | fine | IT 8 | 0.8–1.6 |
4.3 Milling of hardened steel above HRC 40 is not planned; such planes are ground."""

PINS = """5.1 Table 2 gives the cylindrical pin for each hole diameter of a locating plate.
| Hole diameter over..to, mm | Pin d x l, mm | Fit |
|---|---|---|
| 6..10 | 8 x 20 | H7/m6 |
| 10..18 | 12 x 30 | H7/m6 |
| 18..30 | 20 x 40 | H7/n6 |"""

GAUGES = """3.7 Table 2 summarises the usual application of measuring instruments.
Instrument          Resolution, mm     Typical application
Vernier caliper     0.02               IT11 and coarser, blanks
Micrometer          0.01               IT8 and coarser; IT7 with care
Dial indicator      0.01               runout and flatness on a stand
3.8 Instruments are checked against gauge blocks before each shift."""

FIVE_S = """2.1 5S organizes a workplace so that everything needed is at hand and abnormalities are visible.
2.2 The five steps of 5S are:
- Sort (seiri): remove everything that is not needed.
- Set in order (seiton): give every item a marked place.
- Shine (seiso): clean the workplace and find sources of dirt.
- Standardize (seiketsu): write down the state achieved.
- Sustain (shitsuke): audit and train so that the state is kept.
2.3 A 5S audit is scored from 0 to 4 per question."""

KANBAN = """3.1 A production kanban authorizes the supplying process to make the quantity on the card.
3.2 A withdrawal kanban authorizes moving the quantity from the supermarket to the consuming process.
3.3 A signal kanban triggers a batch when the stack of containers falls to the reorder point.
3.4 Kanban cards are laminated and kept in a rack at the supplying process."""

PIECE_TIME = """2.3 The operative time is Top = To + Ta.
2.4 The servicing allowance a_serv and the rest allowance a_rest are given in per cent of the operative time.
2.5 The piece time is Tpc = Top · (1 + (a_serv + a_rest) / 100).
2.6 Worked example: To = 2.05 min and Ta = 0.65 min give Top = 2.70 min and Tpc = 2.70 · 1.08 = 2.92 min."""

TAKT = """2.1 Takt time is the available working time per day divided by the customer demand per day.
2.2 Worked example: two shifts of 450 min give 900 min a day; with a demand of 480 pieces the takt time is 900 / 480 = 1.875 min.
2.3 A line whose station times exceed the takt time cannot meet the demand."""

RULES = """6.1 The downstream process withdraws only the parts and quantities stated on the card.
6.2 No part is produced or moved without a card.
6.3 Defective parts are never sent to the downstream process.
6.4 The number of cards is reduced step by step to reveal problems."""

SPLIT = [
    "3.1 By the principle of unity of datums, the locating datum should coincide with the design datum and with the",
    "measuring datum; the locating error for that dimension is then zero.\n3.2 When datums differ, errors add up.",
]

FLAT = (
    "5.3.1 Table 4 compares the common hardness tests. Method Indenter and force Typical use Standard Rockwell HRC "
    "diamond cone 120°, 1471 N (150 kgf) hardened steel, about 20 to 70 HRC ISO 6508-1 Brinell HBW carbide ball 10 mm, "
    "29.42 kN (3000 kgf) annealed and normalised steel, cast iron ISO 6506-1 Vickers HV diamond pyramid 136° thin layers"
)


def faithful(answer: str, passages: list[str]) -> bool:
    """Every answer line (markers removed) occurs in the passage of its own marker or of the next line's marker."""
    lines = answer.splitlines()
    for i, line in enumerate(lines):
        markers = [int(n) for n in re.findall(r"\[(\d+)\]", " ".join(lines[i:]))][:1]
        text = re.sub(r"\s*\[\d+\]", "", line).strip()
        if not markers or text not in passages[markers[0] - 1]:
            return False
    return True


def answer(question: str, passages: list[str], embed=None) -> str:
    text = compose(extract(question, passages, embed=embed))
    assert faithful(text, passages), text
    return text


@pytest.fixture(params=["lexical", "embedded"])
def embed(request, embeddings):
    """Each choice is checked without an embedding function and with the real local model."""
    return embeddings.embed_documents if request.param == "embedded" else None


# ---- each question gets the right unit ---------------------------------------------------------------------


def test_a_value_question_gets_the_table_row_with_the_header_not_the_sentence_introducing_the_table(embed) -> None:
    text = answer("What IT grade and roughness does finish milling reach?", [MILLING], embed)
    lines = text.splitlines()
    header = "| Process | Stage | IT grade | Ra, µm |"
    assert header in lines and "| Finish milling | finish | IT 9–11 | 1.6–3.2 | [1]" in lines
    assert lines.index(header) < lines.index("| Finish milling | finish | IT 9–11 | 1.6–3.2 | [1]")
    assert "Table 8 gives" not in text and "Rough milling" not in text
    assert states_facts(text, [["IT9-11"], ["1.6-3.2"]])


def test_a_size_falls_in_the_range_of_its_row(embed) -> None:
    text = answer("Which locating pin goes into a Ø14 mm hole of the plate?", [PINS], embed)
    assert "| 10..18 | 12 x 30 | H7/m6 | [1]" in text and "| Hole diameter over..to, mm |" in text
    assert "6..10" not in text and "18..30" not in text


def test_a_pdf_table_with_aligned_columns_answers_by_its_row(embed) -> None:
    text = answer("What resolution does a micrometer have?", [GAUGES], embed)
    assert "Micrometer          0.01               IT8 and coarser; IT7 with care [1]" in text
    assert "Instrument          Resolution, mm     Typical application" in text
    assert "Vernier caliper" not in text


def test_a_list_question_gets_the_whole_list_with_its_lead(embed) -> None:
    text = answer("What are the steps of 5S?", [FIVE_S], embed)
    for step in ("Sort (seiri)", "Set in order (seiton)", "Shine (seiso)", "Standardize (seiketsu)", "Sustain"):
        assert step in text
    assert text.splitlines()[0] == "2.2 The five steps of 5S are:"


def test_a_list_question_gets_the_clauses_that_name_the_kinds(embed) -> None:
    text = answer("What kinds of kanban are there?", [KANBAN], embed)
    assert "production kanban" in text and "withdrawal kanban" in text and "signal kanban" in text


def test_a_list_question_gets_the_clauses_under_the_heading_that_names_them(embed) -> None:
    passages = [KANBAN, RULES]
    text = compose(extract("What are the rules of kanban?", passages, embed=embed, headings=["3 Kinds", "6 Rules"]))
    assert faithful(text, passages)
    for clause in ("6.1 The downstream", "6.2 No part", "6.3 Defective parts", "6.4 The number of cards"):
        assert clause in text


def test_a_formula_question_gets_the_formula_with_the_line_defining_its_terms(embed) -> None:
    text = answer("What is the formula for the piece time Tpc?", [PIECE_TIME], embed)
    assert "2.5 The piece time is Tpc = Top · (1 + (a_serv + a_rest) / 100)." in text
    assert "2.3 The operative time is Top = To + Ta." in text
    assert "Worked example" not in text.splitlines()[0]


def test_a_definition_comes_before_its_worked_example(embed) -> None:
    text = answer("What is takt time?", [TAKT], embed)
    assert text.splitlines()[0].startswith("2.1 Takt time is the available working time per day")


def test_a_question_with_the_examples_numbers_may_use_the_example(embed) -> None:
    text = answer("What is the takt time for 900 min available and a demand of 480 pieces?", [TAKT], embed)
    assert "1.875 min" in text


def test_a_sentence_cut_at_a_passage_end_is_completed_from_the_passage_that_continues_it(embed) -> None:
    text = answer("What does the principle of unity of datums do to the locating error?", SPLIT, embed)
    assert "measuring datum; the locating error for that dimension is then zero. [2]" in text


def test_a_table_run_into_one_line_is_quoted_from_the_row_asked_about() -> None:
    text = answer("What indenter and force does the Rockwell test use?", [FLAT])
    assert "Rockwell HRC diamond cone 120°, 1471 N (150 kgf)" in text


def test_nothing_is_quoted_when_no_unit_shares_a_term_with_the_question() -> None:
    assert extract("What is the price of bitcoin today?", [MILLING, KANBAN, TAKT]) == []


def test_rows_of_several_passages_keep_their_markers_and_each_header_is_printed_once() -> None:
    text = answer("Which fit has the pin for an 8 mm hole, and what does fine milling reach?", [PINS, MILLING])
    assert text.count("| Hole diameter over..to, mm | Pin d x l, mm | Fit |") == 1
    assert "| 6..10 | 8 x 20 | H7/m6 | [1]" in text and "| Fine milling | fine | IT 8 | 0.8–1.6 | [2]" in text


# ---- the pieces ----------------------------------------------------------------------------------------------


def test_units_of_a_pipe_table_are_rows_under_the_header_and_the_whole_table_as_a_list() -> None:
    found = units(1, MILLING)
    rows = [u for u in found if u.kind == ROW]
    assert [u.keys for u in rows] == [("Rough milling",), ("Finish milling",), ("Fine milling",)]
    assert all(u.header == "| Process | Stage | IT grade | Ra, µm |\n|---|---|---|---|" for u in rows)
    assert rows[0].caption.startswith("4.2 Table 8 gives")
    assert "Process: Finish milling; Stage: finish; IT grade: IT 9–11; Ra, µm: 1.6–3.2" in rows[1].scored_text
    assert [u.kind for u in found].count(LIST) == 1


def test_a_two_up_table_has_a_key_in_each_half() -> None:
    table = "| Key b x h | Lengths, mm | Key b x h | Lengths, mm |\n|---|---|---|---|\n| 10 x 8 | 22..110 | 16 x 10 | 45..180 |"
    (row,) = [u for u in units(1, table) if u.kind == ROW]
    assert row.keys == ("10 x 8", "16 x 10")
    assert key_match(row, read_question("Which lengths are made for a 16 x 10 key?")) == 1.0


def test_sentences_keep_abbreviations_and_clause_numbers_with_their_sentence() -> None:
    line = "3.6 The line B carries Tp.z. (set-up time) and Tsht per part. The unit EN states the parts, e.g. 10."
    assert sentences(line) == [
        "3.6 The line B carries Tp.z. (set-up time) and Tsht per part.",
        "The unit EN states the parts, e.g. 10.",
    ]


def test_a_formula_needs_symbols_on_its_right_side() -> None:
    assert formula_terms("The piece time is Tpc = Top · (1 + (a_serv + a_rest) / 100).") == (
        "Tpc",
        {"Top", "a_serv", "a_rest"},
    )
    assert formula_terms("The shaft keyway depth is t1 = 5.5 mm.") is None
    assert formula_terms("So To = (20 + 3 + 3) / (795.8 · 0.2) = 0.16 min.") is None
    (block,) = [u for u in units(1, PIECE_TIME) if u.kind == FORMULA and "Tpc = Top" in u.text]
    assert block.quoted == ("2.3 The operative time is Top = To + Ta.", PIECE_TIME.splitlines()[2])


def test_a_sentence_only_introducing_a_table_is_recognised() -> None:
    assert table_intro("4.2 Table 8 gives the economical accuracy and roughness of milling by stage.")
    assert table_intro("2.5 Table 2 gives the medium series of ISO 14 (identical in GOST 1139).")
    assert not table_intro("10.2 Table 4 gives grinding allowances; slender shafts need 0.1-0.2 mm more.")


def test_sizes_and_spelled_numbers_are_read_from_the_question() -> None:
    asked = read_question("Which key for a Ø40 mm shaft on two shifts, and what is line M02 of a 40Kh part?")
    assert asked.numbers == (40.0, 2.0) and "M02" in asked.codes
    assert "which" not in asked.terms and "key" in asked.terms
    assert read_question("What are the kinds of kanban?").wants_list
    assert read_question("How is takt time calculated?").wants_formula
    assert not read_question("What safety factor is usual in the kanban formula?").wants_formula
    assert read_question("Why are all surfaces roughed first?").wants_reason


def test_size_ranges() -> None:
    assert in_range([40], "38..44") and not in_range([44.5], "38..44") and in_range([44], "over 38 to 44")
    assert in_range([600], "over 500") and in_range([100], "up to 120") and not in_range([240], "up to 120")


def test_windows_of_a_run_together_table_are_verbatim_and_start_at_a_question_term() -> None:
    (line,) = [u for u in units(1, FLAT) if u.text.startswith("Method")]
    windows = flat_windows(line, read_question("What indenter does the Rockwell test use?").terms)
    assert windows and all(w.text in FLAT for w in windows)
    assert any(w.text.startswith("Rockwell HRC diamond cone 120°") for w in windows)
    assert flat_windows(Unit(1, "A short sentence."), frozenset({"short"})) == []


# ---- the reference-fact scorer of the answer benchmark -------------------------------------------------------


def test_fact_text_is_normalised_for_dashes_commas_micrometres_and_spacing() -> None:
    assert normalize_fact_text("Finish milling: IT 9 – 11, Ra 1,6…3.2 μm") == "finish milling: it9-11, ra 1.6-3.2 um"
    assert normalize_fact_text("12 x 8 key, H7 / p6") == "12x8 key, h7 / p6"
    assert normalize_fact_text("d × l, 9 − 11") == "d × l, 9-11"


def test_an_answer_states_a_fact_when_one_spelling_of_every_fact_is_in_it() -> None:
    facts = [["IT8", "IT 8"], ["1.6"]]
    assert states_facts("Finish turning reaches IT 8 and Ra 1,6 µm [1]", facts)
    assert facts_missing("Finish turning reaches IT 8 and Ra 1.65 [1]", facts) == [["1.6"]]
    assert not states_facts("IT18 and Ra 1.6", [["IT1"]])
    assert not states_facts("a 121 mm bar", [["21"]]) and states_facts("IT7 is 21 µm", [["21"]])


def test_a_table_cell_states_its_value_with_the_unit_of_its_column_header() -> None:
    answer = "| Finished diameter, mm | Total allowance on diameter 2z, mm |\n|---|---|\n| over 30 to 50 | 4 | [1]"
    assert states_facts(answer, [["4 mm"]]) and facts_missing(answer, [["5 mm"]]) == [["5 mm"]]
    assert not states_facts("| Allowance | Notes |\n|---|---|\n| 4 | per side |", [["4 mm"]]), "no unit, no fact"
