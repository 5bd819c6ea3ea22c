"""Retrieval suite: hybrid search over the shipped corpus (a hit holds the expected clause) and over the real
public documents (a hit is the expected document at an expected page, as an engineer checks a citation; `long`),
where the naive LangChain pipeline is scored beside it on the same questions."""

from __future__ import annotations

from typing import Any

from assistant.evaluation.bench import Bench
from assistant.evaluation.cases import LONG, Case, Source
from assistant.evaluation.metrics import (
    NotApplicable,
    Score,
    distinct_hits,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
)
from assistant.evaluation.suites.base import CaseResult, MetricSpec, Suite

DEPTH = 10
REALDOCS = "realdocs"


def matches_clause(passage: Any, clause: str) -> bool:
    """The passage holds the clause or one of its sub-clauses (or is the table the clause introduces)."""
    held = set(passage.clauses) | ({passage.section} if passage.section else set())
    return clause in held or any(c.startswith(clause + ".") for c in held)


def expected_pairs(expected: dict[str, Any]) -> set[tuple[str, int]]:
    """Every (document, page) that answers a real-document question, its "also" entries included."""
    entries = [expected, *expected.get("also", [])]
    return {(e["doc"], int(p)) for e in entries for p in e["pages"]}


def expected_docs(expected: dict[str, Any]) -> set[str]:
    """Every document that answers the question."""
    return {expected["doc"], *(e["doc"] for e in expected.get("also", []))}


def _relevant(passage: Any, expected: dict[str, Any]) -> bool:
    if "pages" in expected:
        return passage.page is not None and (passage.doc, passage.page) in expected_pairs(expected)
    return bool(passage.doc == expected["doc"] and matches_clause(passage, expected["clause"]))


def _naive_scores(bench: Bench, case: Case) -> dict[str, Score]:
    """The naive LangChain pipeline on the same real-document question, scored the same way (page hits)."""
    metrics = ("naive_recall@5", "naive_mrr@10")
    if REALDOCS not in case.tags:
        return dict.fromkeys(metrics, NotApplicable("the naive baseline loads PDFs (PyPDFLoader): real documents only"))
    try:
        rag = bench.naive(REALDOCS)
    except ImportError as exc:
        return dict.fromkeys(metrics, NotApplicable(f"the naive baseline needs the dev extra ({exc.name} missing)"))
    hits = rag.search(str(case.input), k=DEPTH)
    pairs = expected_pairs(case.expected)
    flags = distinct_hits(["hit" if (h.doc, h.page) in pairs else None for h in hits])
    return {"naive_recall@5": recall_at_k(flags, 5), "naive_mrr@10": reciprocal_rank(flags, DEPTH)}


def score(bench: Bench, case: Case) -> CaseResult:
    """Rank the passages of one question; any expected clause or page is the one relevant item."""
    corpus = REALDOCS if REALDOCS in case.tags else "shipped"
    passages = bench.indexed(corpus).search(str(case.input), k=DEPTH, mode="hybrid")
    expected = case.expected
    flags = distinct_hits(["hit" if _relevant(p, expected) else None for p in passages])
    docs = expected_docs(expected)
    scores: dict[str, Score] = {
        "recall@1": recall_at_k(flags, 1),
        "recall@5": recall_at_k(flags, 5),
        "mrr@10": reciprocal_rank(flags, DEPTH),
        "ndcg@10": ndcg_at_k(flags, DEPTH),
        "doc_recall@5": float(any(p.doc in docs for p in passages[:5])),
        **_naive_scores(bench, case),
    }
    rank = next((n for n, hit in enumerate(flags, start=1) if hit), None)
    top = [f"{p.doc} §{p.section or '-'} p.{p.page if p.page is not None else '-'}" for p in passages[:3]]
    return CaseResult(case.id, case.tags, scores, {"rank": rank, "top3": top})


SUITE = Suite(
    name="retrieval",
    summary="hybrid search: shipped corpus (clause hits) and real public PDFs (page hits, long)",
    metrics=(
        MetricSpec("recall@1", "the answering clause (page) is the first passage"),
        MetricSpec("recall@5", "the answering clause (page) is in the top 5 (one relevant item: the hit rate)"),
        MetricSpec("mrr@10", "1 / rank of the first answering passage in the top 10, else 0"),
        MetricSpec("ndcg@10", "binary-gain nDCG@10 with one relevant item: 1 / log2(rank + 1)"),
        MetricSpec("doc_recall@5", "an expected document is in the top 5"),
        MetricSpec("naive_recall@5", "the naive LangChain pipeline's recall@5 on the same real-document question"),
        MetricSpec("naive_mrr@10", "the naive LangChain pipeline's MRR@10 on the same real-document question"),
    ),
    sources=(
        Source("retrieval.jsonl", ("corpus",)),
        Source("realdocs.jsonl", (REALDOCS, LONG)),
        Source("retrieval/*.jsonl"),
    ),
    score=score,
)
