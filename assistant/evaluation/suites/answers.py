"""Answers suite: grounded answers on the shipped corpus — reference facts stated, faithfulness to the cited
passages, ALCE citation recall and precision, the expected document cited, out-of-domain questions refused.

Support of a statement by a passage is the LLM judge's verdict when a judge is set, else lexical (the passage
holds the statement, or all its numbers and most of its words): a paraphrase can fail the lexical test.
"""

from __future__ import annotations

from typing import Any

from assistant.evaluation.bench import Bench
from assistant.evaluation.cases import Case, Source
from assistant.evaluation.grounding import (
    citation_precision,
    citation_recall,
    fact_rate,
    facts_missing,
    faithfulness,
    refused,
    statements,
)
from assistant.evaluation.metrics import NotApplicable, Score
from assistant.evaluation.suites.base import CaseResult, MetricSpec, Suite

OUT_OF_DOMAIN = "out-of-domain"


def _cited_texts(answer: Any, passages: list[Any]) -> dict[int, str]:
    """Each citation's full passage text: the retrieved passage its quote begins, else the quote itself."""
    texts = {}
    for c in answer.citations:
        match = next((p.text for p in passages if p.doc == c.doc and c.quote and p.text.startswith(c.quote)), None)
        texts[c.n] = match or c.quote
    return texts


def _grounding(bench: Bench, answer: Any, passages: list[Any], why_not: str | None) -> dict[str, Score]:
    if why_not:
        return {m: NotApplicable(why_not) for m in ("faithfulness", "citation_recall", "citation_precision")}
    said, cited = statements(answer.answer), _cited_texts(answer, passages)
    return {
        "faithfulness": faithfulness(said, cited, bench.support),
        "citation_recall": citation_recall(said, cited, bench.support),
        "citation_precision": citation_precision(said, cited, bench.support),
    }


def _not_quoted(answer: Any, no_answer: str, computed: bool) -> str | None:
    if answer.answer == no_answer:
        return "refused: no statements"
    return "computed answer (a calculator's result, not a quote)" if computed else None


def score(bench: Bench, case: Case) -> CaseResult:
    """Ask one question and score the answer."""
    from assistant.chat.calculators import calculate
    from assistant.chat.grounded import NO_ANSWER

    helper = bench.indexed()
    answer = helper.ask(str(case.input), provider=bench.provider)
    passages = helper.search(answer.standalone_question, k=5)
    out = OUT_OF_DOMAIN in case.tags or bool((case.expected or {}).get("refuse"))
    in_domain = NotApplicable("out-of-domain question")
    facts = [] if out else case.expected.get("facts", [])
    scores: dict[str, Score] = {
        "answered": in_domain if out else 1.0 - refused(answer.answer, NO_ANSWER),
        "reference_facts": in_domain if out else fact_rate(answer.answer, facts),
        "answer_correct": in_domain if out else float(not facts_missing(answer.answer, facts)),
        "cites_expected_doc": in_domain if out else float(any(c.doc == case.expected["doc"] for c in answer.citations)),
        "refused_out_of_domain": refused(answer.answer, NO_ANSWER) if out else NotApplicable("in-domain question"),
    }
    scores |= _grounding(
        bench, answer, passages, _not_quoted(answer, NO_ANSWER, calculate(str(case.input)) is not None)
    )
    detail = {"missing": facts_missing(answer.answer, facts) if facts else [], "tokens": answer.usage.total_tokens}
    return CaseResult(case.id, case.tags, scores, detail)


SUITE = Suite(
    name="answers",
    summary="grounded answers: reference facts, faithfulness, ALCE citation recall/precision, refusals",
    metrics=(
        MetricSpec("answered", "an in-domain question gets an answer, not the refusal"),
        MetricSpec("reference_facts", "required facts the answer states, over the facts required (pooled)"),
        MetricSpec("answer_correct", "the answer states every required fact"),
        MetricSpec("cites_expected_doc", "the document that holds the answer is cited"),
        MetricSpec("faithfulness", "statements supported by the passages the answer cites (pooled)"),
        MetricSpec("citation_recall", "ALCE: statements supported by their own citations (pooled)"),
        MetricSpec("citation_precision", "ALCE: citations that support, or are needed for, their statement (pooled)"),
        MetricSpec("refused_out_of_domain", "an out-of-domain question is refused"),
    ),
    sources=(
        Source("answers.jsonl", default_every=4),
        Source("answers_out_of_domain.jsonl"),
        Source("answers/*.jsonl"),
    ),
    score=score,
)
