"""Answer benchmark: latency and tokens per answer (offline and local), cache cost, offline faithfulness, and
whether answers state the reference facts of evals/datasets/answers.jsonl, per topic.

Run:  .venv/bin/python -m evals.bench_answers [--local 20] [--mode all|retrieval|facts] [--home DIR] [--failures]
Prints a Markdown report and writes evals/reports/answers.json (and answers_facts.json for the facts mode).
`--home DIR` keeps the index of knowledge/ in DIR between runs (unchanged files are not indexed again).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from assistant.api import Assistant
from assistant.chat.calculators import calculate
from assistant.chat.grounded import NO_ANSWER, Answer
from assistant.config import Settings
from assistant.evaluation.grounding import faithfulness as supported_share
from assistant.evaluation.grounding import lexical_support, statements
from assistant.evaluation.metrics import value_of
from assistant.llm.local_server import _stop_all
from assistant.store import documents
from evals.bench_retrieval import REPORTS, ROOT, load_dataset
from evals.metrics import facts_missing, normalize_fact_text

FACTS_DATASET = ROOT / "evals" / "datasets" / "answers.jsonl"

OUT_OF_DOMAIN = [
    "Who won the football world cup in 1998?",
    "What is the capital of Australia?",
    "How do I bake sourdough bread?",
    "Which planet has the most moons?",
    "What is the price of bitcoin today?",
    "Who wrote War and Peace?",
    "How many calories are in an apple?",
    "What is the speed of light in vacuum?",
    "Recommend a good holiday destination in Italy",
    "What is the best smartphone to buy?",
]


def faithfulness(answer: str, passages: dict[int, str]) -> float:
    """Share of the answer's statements that the passages they cite hold (lexical support, as `prepro eval`)."""
    return value_of(supported_share(statements(answer), passages, lexical_support)) or 0.0


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50": statistics.median(ordered), "p95": ordered[int(0.95 * (len(ordered) - 1))]}


def run(helper: Assistant, questions: list[str], provider: str) -> tuple[list[Answer], list[float]]:
    answers, seconds = [], []
    for question in questions:
        started = time.perf_counter()
        answers.append(helper.ask(question, provider=provider))
        seconds.append(time.perf_counter() - started)
    return answers, seconds


def computed(question: str) -> bool:
    """Whether the question is answered by a calculator (a computed result, not quoted text)."""
    return calculate(question) is not None


def offline_report(helper: Assistant, dataset: list[dict]) -> dict:
    answers, seconds = run(helper, [q["input"] for q in dataset], "offline")
    scores, cited_expected, answered, calculated = [], 0, 0, 0
    for answer, item in zip(answers, dataset, strict=True):
        if answer.answer == NO_ANSWER:
            continue
        answered += 1
        cited_expected += any(c.doc == item["expected"]["doc"] for c in answer.citations)
        if computed(item["input"]):  # computed text is not a quote: faithfulness is measured on quotes
            calculated += 1
            continue
        passages = {n: p.text for n, p in enumerate(helper.search(answer.standalone_question, k=5), start=1)}
        scores.append(faithfulness(answer.answer, passages))
    refusals = sum(a.answer == NO_ANSWER for a in run(helper, OUT_OF_DOMAIN, "offline")[0])
    return {
        "questions": len(dataset),
        "answered": answered,
        "computed": calculated,
        "faithfulness": statistics.mean(scores),
        "cites_expected_document": cited_expected / len(dataset),
        "latency_s": percentiles(seconds),
        "tokens_per_answer": statistics.mean(a.usage.total_tokens for a in answers),
        "out_of_domain_refused": f"{refusals}/{len(OUT_OF_DOMAIN)}",
    }


def local_report(helper: Assistant, dataset: list[dict], count: int) -> dict:
    questions = [q["input"] for q in dataset[:count]]
    helper.model("local")  # start the server outside the timed answers
    answers, seconds = run(helper, questions, "local")
    repeat, repeat_seconds = run(helper, questions[:5], "local")
    return {
        "questions": len(questions),
        "latency_s": percentiles(seconds),
        "prompt_tokens": percentiles([a.usage.prompt_tokens for a in answers]),
        "completion_tokens": percentiles([a.usage.completion_tokens for a in answers]),
        "cached_repeat_tokens": sum(a.usage.total_tokens for a in repeat),
        "cached_repeat_latency_s": percentiles(repeat_seconds),
        "answers_with_markers": sum(not any("cited no passage" in w for w in a.warnings) for a in answers),
    }


def load_facts_dataset() -> list[dict]:
    return [json.loads(line) for line in FACTS_DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]


def _holds(texts: list[str], spellings: list[str]) -> bool:
    normalized = [normalize_fact_text(t) for t in texts]
    return any(normalize_fact_text(s) in t for s in spellings for t in normalized)


def failure_cause(answer: Answer, missing: list[list[str]], passages: list[str], document: list[str]) -> str:
    """Why an answer misses a fact: refused; calculator (a computed answer); absent (a fact the expected document
    does not write, so it must be computed); retrieval (not in the top-5 passages); extraction (in a passage,
    but not quoted)."""
    if answer.answer == NO_ANSWER:
        return "refused"
    if computed(answer.question):
        return "calculator"
    if any(not _holds(document, spellings) for spellings in missing):
        return "absent"
    if any(not _holds(passages, spellings) for spellings in missing):
        return "retrieval"
    return "extraction"


def fact_outcomes(helper: Assistant, dataset: list[dict], provider: str) -> list[dict]:
    """One outcome per question: states the facts, cites the expected document, faithfulness, failure cause."""
    chunks: dict[str, list[str]] = {}
    for row in documents.all_chunks(helper.index.store):
        chunks.setdefault(row.doc, []).append(row.body)
    answers, seconds = run(helper, [q["input"] for q in dataset], provider)
    outcomes = []
    for answer, item, spent in zip(answers, dataset, seconds, strict=True):
        expected = item["expected"]
        passages = [p.text for p in helper.search(answer.standalone_question, k=5)]
        missing = facts_missing(answer.answer, expected["facts"]) if answer.answer != NO_ANSWER else expected["facts"]
        quoted = answer.answer != NO_ANSWER and not computed(item["input"])
        outcome = {
            "id": item["id"],
            "tag": item["tags"][0],
            "question": item["input"],
            "stated": not missing,
            "cites_expected_document": any(c.doc == expected["doc"] for c in answer.citations),
            "answered": answer.answer != NO_ANSWER,
            "computed": computed(item["input"]),
            "faithfulness": faithfulness(answer.answer, dict(enumerate(passages, start=1))) if quoted else None,
            "seconds": spent,
        }
        if missing:
            outcome["missing"] = missing
            outcome["cause"] = failure_cause(answer, missing, passages, chunks.get(expected["doc"], []))
            outcome["answer"] = answer.answer
        outcomes.append(outcome)
    return outcomes


def summarize(outcomes: list[dict]) -> dict:
    """Per topic tag and overall: share stating the facts, citing the expected document, mean faithfulness."""

    def block(items: list[dict]) -> dict:
        scored = [o["faithfulness"] for o in items if o["faithfulness"] is not None]
        held = [o for o in items if o.get("cause") != "retrieval"]
        return {
            "n": len(items),
            "states_fact": sum(o["stated"] for o in items) / len(items),
            "states_fact_when_retrieved": sum(o["stated"] for o in held) / len(held) if held else None,
            "cites_expected_document": sum(o["cites_expected_document"] for o in items) / len(items),
            "faithfulness": statistics.mean(scored) if scored else None,
            "answered": sum(o["answered"] for o in items),
            "computed": sum(o["computed"] for o in items),
        }

    tags = sorted({o["tag"] for o in outcomes})
    causes: dict[str, int] = {}
    for o in outcomes:
        if "cause" in o:
            causes[o["cause"]] = causes.get(o["cause"], 0) + 1
    return {
        "overall": block(outcomes),
        "by_tag": {t: block([o for o in outcomes if o["tag"] == t]) for t in tags},
        "failures_by_cause": causes,
    }


def facts_table(title: str, summary: dict) -> str:
    lines = [
        f"### {title}",
        "",
        "| topic | n | states the fact | ... when a top-5 passage holds it | cites expected doc | faithfulness "
        "| computed answers |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [*summary["by_tag"].items(), ("**overall**", summary["overall"])]
    for tag, b in rows:
        faith = f"{b['faithfulness']:.3f}" if b["faithfulness"] is not None else "—"
        held = f"{b['states_fact_when_retrieved']:.3f}" if b["states_fact_when_retrieved"] is not None else "—"
        lines.append(
            f"| {tag} | {b['n']} | {b['states_fact']:.3f} | {held} | {b['cites_expected_document']:.3f} | {faith} "
            f"| {b['computed']} |"
        )
    causes = ", ".join(f"{k} {v}" for k, v in sorted(summary["failures_by_cause"].items())) or "none"
    lines += [
        "",
        f"Failures by cause: {causes} (retrieval: no top-5 passage holds the fact; absent: the expected document "
        "does not write it; extraction: a passage holds it but the answer does not state it). Faithfulness: share "
        "of answer lines found in a cited passage, over the answers that are not computed by a calculator.",
    ]
    return "\n".join(lines)


def facts_report(helper: Assistant, local: int) -> dict:
    dataset = load_facts_dataset()
    offline = fact_outcomes(helper, dataset, "offline")
    report: dict = {"offline": {"summary": summarize(offline), "outcomes": offline}}
    if local:
        helper.model("local")
        sample = dataset[:: max(1, len(dataset) // local)][:local]  # spread over every topic
        outcomes = fact_outcomes(helper, sample, "local")
        report["local"] = {"summary": summarize(outcomes), "outcomes": outcomes}
    return report


def print_failures(outcomes: list[dict]) -> None:
    for o in outcomes:
        if "cause" in o:
            answer = o["answer"].replace("\n", " / ")
            print(f"- {o['id']} [{o['tag']}] {o['cause']}: missing {o['missing']}\n  Q: {o['question']}\n  A: {answer}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--local", type=int, default=20, help="questions for the local model (0 to skip)")
    parser.add_argument("--mode", choices=["all", "retrieval", "facts"], default="all", help="which datasets to run")
    parser.add_argument("--home", type=Path, help="keep the index in this folder between runs")
    parser.add_argument("--failures", action="store_true", help="list the answers that miss a fact")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        helper = Assistant(Settings(_env_file=None, home=args.home or Path(tmp)))  # type: ignore[call-arg]
        helper.ingest([ROOT / "knowledge"])
        try:
            report = {}
            if args.mode in ("all", "retrieval"):
                report["offline"] = offline_report(helper, load_dataset())
                if args.local:
                    report["local"] = local_report(helper, load_dataset(), args.local)
            facts = facts_report(helper, args.local) if args.mode in ("all", "facts") else None
        finally:
            _stop_all()
    REPORTS.mkdir(exist_ok=True)
    if facts:
        (REPORTS / "answers_facts.json").write_text(json.dumps(facts, indent=2, ensure_ascii=False))
        print(facts_table("Reference facts, offline (answers.jsonl)", facts["offline"]["summary"]))
        if "local" in facts:
            print(
                facts_table(f"Reference facts, local, {args.local} spread over the topics", facts["local"]["summary"])
            )
        if args.failures:
            print_failures(facts["offline"]["outcomes"])
    if not report:
        return
    (REPORTS / "answers.json").write_text(json.dumps(report, indent=2))
    off = report["offline"]
    print(
        f"Offline: {off['answered']}/{off['questions']} answered ({off['computed']} computed), faithfulness of the "
        f"quoted answers {off['faithfulness']:.3f}, "
        f"cites the expected document {off['cites_expected_document']:.3f}, latency p50 {off['latency_s']['p50']:.2f} s "
        f"p95 {off['latency_s']['p95']:.2f} s, {off['tokens_per_answer']:.0f} tokens per answer, "
        f"out-of-domain refused {off['out_of_domain_refused']}"
    )
    if "local" in report:
        loc = report["local"]
        print(
            f"Local (SmolLM2-135M via llama.cpp): latency p50 {loc['latency_s']['p50']:.2f} s p95 "
            f"{loc['latency_s']['p95']:.2f} s; prompt tokens p50 {loc['prompt_tokens']['p50']:.0f}, completion "
            f"p50 {loc['completion_tokens']['p50']:.0f}; cached repeat: {loc['cached_repeat_tokens']} tokens, "
            f"p50 {loc['cached_repeat_latency_s']['p50'] * 1000:.0f} ms; answers with [n] markers "
            f"{loc['answers_with_markers']}/{loc['questions']}"
        )


if __name__ == "__main__":
    main()
