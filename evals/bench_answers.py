"""Answer benchmark: latency and tokens per answer (offline and local), cache cost, offline faithfulness.

Run:  .venv/bin/python -m evals.bench_answers [--local 20]
Prints a Markdown report and writes evals/reports/answers.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from assistant.api import Assistant
from assistant.chat.grounded import NO_ANSWER, Answer
from assistant.config import Settings
from assistant.llm.local_server import _stop_all
from evals.bench_retrieval import REPORTS, ROOT, load_dataset
from evals.metrics import faithfulness

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


def offline_report(helper: Assistant, dataset: list[dict]) -> dict:
    answers, seconds = run(helper, [q["question"] for q in dataset], "offline")
    scores, cited_expected = [], 0
    for answer, item in zip(answers, dataset, strict=True):
        if answer.answer == NO_ANSWER:
            continue
        passages = {n: p.text for n, p in enumerate(helper.search(answer.standalone_question, k=5), start=1)}
        scores.append(faithfulness(answer.answer, passages))
        cited_expected += any(c.doc == item["doc"] for c in answer.citations)
    refusals = sum(a.answer == NO_ANSWER for a in run(helper, OUT_OF_DOMAIN, "offline")[0])
    return {
        "questions": len(dataset),
        "answered": len(scores),
        "faithfulness": statistics.mean(scores),
        "cites_expected_document": cited_expected / len(dataset),
        "latency_s": percentiles(seconds),
        "tokens_per_answer": statistics.mean(a.usage.total_tokens for a in answers),
        "out_of_domain_refused": f"{refusals}/{len(OUT_OF_DOMAIN)}",
    }


def local_report(helper: Assistant, dataset: list[dict], count: int) -> dict:
    questions = [q["question"] for q in dataset[:count]]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--local", type=int, default=20, help="questions for the local model (0 to skip)")
    args = parser.parse_args()
    dataset = load_dataset()
    with tempfile.TemporaryDirectory() as tmp:
        helper = Assistant(Settings(_env_file=None, home=Path(tmp)))  # type: ignore[call-arg]
        helper.ingest([ROOT / "knowledge"])
        report = {"offline": offline_report(helper, dataset)}
        if args.local:
            try:
                report["local"] = local_report(helper, dataset, args.local)
            finally:
                _stop_all()
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "answers.json").write_text(json.dumps(report, indent=2))
    off = report["offline"]
    print(
        f"Offline: {off['answered']}/{off['questions']} answered, faithfulness {off['faithfulness']:.3f}, "
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
