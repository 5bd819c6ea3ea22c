"""Answer metrics: reference facts, statements, lexical support, faithfulness, ALCE citation recall/precision."""

from __future__ import annotations

from assistant.evaluation.grounding import (
    Statement,
    citation_precision,
    citation_recall,
    fact_rate,
    facts_missing,
    faithfulness,
    lexical_support,
    statements,
)
from assistant.evaluation.metrics import NotApplicable, Ratio

P_SHAFT = "The shaft diameter is 40 mm."
P_BORE = "The housing bore is 52 mm."
P_OTHER = "Kanban cards are counted from the daily demand."


def test_fact_rate_counts_each_fact_once_with_any_spelling():
    answer = "Finish turning gives IT 8 and Ra 1.6 µm."
    assert fact_rate(answer, [["IT8"], ["1.6"], ["0.8"]]) == Ratio(2, 3)
    assert facts_missing(answer, [["0.8"], ["1.6"]]) == [["0.8"]]
    assert facts_missing("Ra 0.85", [["0.8"]]) == [["0.8"]]  # a number is never cut
    assert isinstance(fact_rate(answer, []), NotApplicable)


def test_statements_split_lines_and_sentences_after_markers():
    text = "Shaft is 40 mm [1]\nA header line\nBore is 52 mm [2]. Both are turned [1, 2].\n|---|---|"
    assert statements(text) == [
        Statement("Shaft is 40 mm", (1,)),
        Statement("A header line", (2,)),  # no marker: what the next cited line cites first
        Statement("Bore is 52 mm", (2,)),
        Statement("Both are turned.", (1, 2)),
    ]


def test_lexical_support_needs_the_numbers_and_most_words():
    passage = "Finish turning: IT8, Ra 1.6 µm on carbon steel."
    assert lexical_support("Finish turning gives IT8 and Ra 1.6", passage)  # 4 of 5 content words, all numbers
    assert not lexical_support("Finish turning gives IT7 and Ra 1.6", passage)  # a changed number
    assert lexical_support("| 40 | 52 |", "bore 52, shaft 40")  # a row of figures: its numbers decide
    assert lexical_support(passage, "Intro. " + passage)  # verbatim


def test_faithfulness_is_the_share_of_statements_the_cited_passages_support():
    said = [Statement("The shaft diameter is 40 mm", (1,)), Statement("The bore is 60 mm", (2,))]
    assert faithfulness(said, {1: P_SHAFT, 2: P_BORE}, lexical_support) == Ratio(1, 2)
    assert isinstance(faithfulness([], {}, lexical_support), NotApplicable)


def test_alce_citation_recall_and_precision_worked_example():
    cited = {1: P_SHAFT, 2: P_OTHER, 3: P_BORE}
    # supported by [1] alone; [2] neither supports it alone nor is needed: recall 1/1, precision 1/2
    one = [Statement("The shaft diameter is 40 mm", (1, 2))]
    assert citation_recall(one, cited, lexical_support) == Ratio(1, 1)
    assert citation_precision(one, cited, lexical_support) == Ratio(1, 2)
    # needs [1] and [3] together: each alone fails, each is needed -> precision 2/2
    both = [Statement("Shaft diameter 40 mm and housing bore 52 mm", (1, 3))]
    assert citation_recall(both, cited, lexical_support) == Ratio(1, 1)
    assert citation_precision(both, cited, lexical_support) == Ratio(2, 2)
    # no citation: unsupported for recall, no citation to rate for precision
    bare = [Statement("The shaft diameter is 40 mm", ())]
    assert citation_recall(bare, cited, lexical_support) == Ratio(0, 1)
    assert isinstance(citation_precision(bare, cited, lexical_support), NotApplicable)
