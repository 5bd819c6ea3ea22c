"""The page-level scoring of evals/bench_realdocs on hand-made inputs (the benchmark itself is not run here)."""

import pytest

from evals.bench_realdocs import (
    Cited,
    Outcome,
    by_tag,
    expected_docs,
    expected_pairs,
    first_hit,
    is_hit,
    score,
    summarize,
)

SIMPLE = {"id": "q1", "tags": ["fact"], "expected": {"doc": "a.pdf", "pages": [3, 4], "answer": "x"}}
ALSO = {
    "id": "q2",
    "tags": ["multi", "fact"],
    "expected": {"doc": "a.pdf", "pages": [7], "answer": "y", "also": [{"doc": "b.pdf", "pages": [2]}]},
}


def test_expected_pairs_and_docs_include_also():
    assert expected_pairs(SIMPLE["expected"]) == {("a.pdf", 3), ("a.pdf", 4)}
    assert expected_pairs(ALSO["expected"]) == {("a.pdf", 7), ("b.pdf", 2)}
    assert expected_docs(ALSO["expected"]) == {"a.pdf", "b.pdf"}


def test_hit_needs_document_and_page():
    pairs = expected_pairs(SIMPLE["expected"])
    assert is_hit(Cited("a.pdf", 4), pairs)
    assert not is_hit(Cited("a.pdf", 5), pairs)  # right document, page off by one
    assert not is_hit(Cited("b.pdf", 3), pairs)  # right page number, wrong document
    assert not is_hit(Cited("a.pdf", None), pairs)


def test_first_hit_rank_is_one_based():
    pairs = expected_pairs(SIMPLE["expected"])
    assert first_hit([Cited("a.pdf", 1), Cited("a.pdf", 3), Cited("a.pdf", 4)], pairs) == 2
    assert first_hit([Cited("a.pdf", 1)], pairs) is None
    assert first_hit([], pairs) is None


def test_score_also_entry_counts_as_hit():
    top = [Cited("c.pdf", 1), Cited("b.pdf", 2)]
    outcome = score(ALSO, top, top)
    assert outcome == Outcome("q2", ("multi", "fact"), rank=2, rank_mrr=2, doc_hit=True)


def test_score_separates_page_errors_from_document_errors():
    page_off = score(SIMPLE, [Cited("a.pdf", 5)], [Cited("a.pdf", 5), Cited("a.pdf", 3)])
    assert (page_off.rank, page_off.rank_mrr, page_off.doc_hit) == (None, 2, True)
    wrong_doc = score(SIMPLE, [Cited("z.pdf", 3)], [Cited("z.pdf", 3)])
    assert (wrong_doc.rank, wrong_doc.rank_mrr, wrong_doc.doc_hit) == (None, None, False)


def test_mrr_looks_only_ten_deep():
    deep = [Cited("z.pdf", 1)] * 10 + [Cited("a.pdf", 3)]
    assert score(SIMPLE, deep[:5], deep).rank_mrr is None


def test_summarize_recall_mrr_and_doc_recall():
    outcomes = [
        Outcome("1", ("fact",), rank=1, rank_mrr=1, doc_hit=True),
        Outcome("2", ("fact",), rank=None, rank_mrr=8, doc_hit=True),
        Outcome("3", ("table",), rank=2, rank_mrr=2, doc_hit=True),
        Outcome("4", ("table",), rank=None, rank_mrr=None, doc_hit=False),
    ]
    m = summarize(outcomes)
    assert m["n"] == 4
    assert m["recall"] == pytest.approx(0.5)
    assert m["mrr"] == pytest.approx((1 + 1 / 8 + 1 / 2) / 4)
    assert m["doc_recall"] == pytest.approx(0.75)
    assert summarize([])["recall"] == 0.0


def test_by_tag_counts_a_question_in_each_of_its_tags():
    outcomes = [
        Outcome("1", ("multi", "fact"), rank=1, rank_mrr=1, doc_hit=True),
        Outcome("2", ("fact",), rank=None, rank_mrr=None, doc_hit=False),
    ]
    tags = by_tag(outcomes)
    assert list(tags) == ["all", "fact", "multi"]
    assert (tags["all"]["n"], tags["fact"]["n"], tags["multi"]["n"]) == (2, 2, 1)
    assert tags["fact"]["recall"] == pytest.approx(0.5)
    assert tags["multi"]["recall"] == 1.0
