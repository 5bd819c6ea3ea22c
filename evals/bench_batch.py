"""Batch throughput against a slow OpenAI-compatible server (fixed latency) at concurrency 1, 4 and 8, with the
shipped knowledge base indexed (the `batch` eval suite, `prepro eval run --suite batch`, drafts without documents).

Overhead = (wall time − ideal time) / ideal time, where the ideal schedules each part's server time
(its LLM calls × latency) on the workers with nothing else taking time; the formulas and the stub server's
launcher are the suite's (assistant/evaluation/suites/batch.py).
Run:  .venv/bin/python -m evals.bench_batch [--latency 0.5] [--parts 24]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from assistant.api import Assistant
from assistant.config import Settings
from assistant.evaluation.suites.batch import CONCURRENCY, ideal_seconds, overhead, route_calls, stub_server
from assistant.parts.readers import load_part
from evals.bench_retrieval import REPORTS, ROOT

PARTS = ROOT / "evals" / "datasets" / "routing" / "parts"
__all__ = ["ideal_seconds", "main"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--parts", type=int, default=24)
    args = parser.parse_args()
    parts = [load_part(p) for p in sorted(PARTS.glob("*.yaml"))[: args.parts]]
    results = []
    with tempfile.TemporaryDirectory() as tmp, stub_server(args.latency) as url:
        settings = Settings(
            _env_file=None,
            home=Path(tmp) / "home",
            llm_base_url=url,  # type: ignore[call-arg]
            cache_enabled=False,
        )
        helper = Assistant(settings)
        helper.ingest([ROOT / "knowledge"])
        calls = [route_calls(len(helper.draft("routing", p, provider="offline").operations)) for p in parts]
        for concurrency in CONCURRENCY:
            result = helper.draft_batch("routing", parts, concurrency=concurrency)
            ideal = ideal_seconds([n * args.latency for n in calls], concurrency)
            results.append(
                {
                    "concurrency": concurrency,
                    "parts": len(parts),
                    "requests": sum(calls),
                    "wall_s": result.seconds,
                    "ideal_s": ideal,
                    "overhead": overhead(result.seconds, ideal),
                    "failed": result.count("failed"),
                }
            )
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "batch.json").write_text(json.dumps({"latency_s": args.latency, "runs": results}, indent=2))
    print(f"Batch of {len(parts)} parts, server latency {args.latency} s per call\n")
    print("| concurrency | LLM calls | wall, s | ideal, s | overhead |\n|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['concurrency']} | {r['requests']} | {r['wall_s']:.2f} | {r['ideal_s']:.2f} | {r['overhead']:.1%} |"
        )


if __name__ == "__main__":
    main()
