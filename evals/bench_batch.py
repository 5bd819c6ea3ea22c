"""Batch throughput against a slow OpenAI-compatible server (fixed latency) at concurrency 1, 4 and 8.

Overhead = (wall time − ideal time) / ideal time, where the ideal schedules each part's server time
(its LLM calls × latency) on the workers with nothing else taking time.
Run:  .venv/bin/python -m evals.bench_batch [--latency 0.5] [--parts 24]
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import sys
import tempfile
from pathlib import Path

from assistant.api import Assistant
from assistant.config import Settings
from assistant.parts.readers import load_part
from evals.bench_retrieval import REPORTS, ROOT
from tests.servers import free_port, running

PARTS = ROOT / "evals" / "datasets" / "routing" / "parts"


def ideal_seconds(server_times: list[float], workers: int) -> float:
    """Makespan of the part times handed, in order, to the first free worker."""
    free = [0.0] * workers
    for seconds in server_times:
        heapq.heappush(free, heapq.heappop(free) + seconds)
    return max(free)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--parts", type=int, default=24)
    args = parser.parse_args()
    parts = [load_part(p) for p in sorted(PARTS.glob("*.yaml"))[: args.parts]]
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "evals.stub_server", "--port", str(port), "--latency", str(args.latency)]
    results = []
    with tempfile.TemporaryDirectory() as tmp, running(command, url + "/models", Path(tmp) / "stub.log"):
        settings = Settings(
            _env_file=None,
            home=Path(tmp) / "home",
            llm_base_url=url,  # type: ignore[call-arg]
            cache_enabled=False,
        )
        helper = Assistant(settings)
        helper.ingest([ROOT / "knowledge"])
        calls = [math.ceil(len(helper.draft("routing", p, provider="offline").operations) / 8) for p in parts]
        for concurrency in (1, 4, 8):
            result = helper.draft_batch("routing", parts, concurrency=concurrency)
            ideal = ideal_seconds([n * args.latency for n in calls], concurrency)
            results.append(
                {
                    "concurrency": concurrency,
                    "parts": len(parts),
                    "requests": sum(calls),
                    "wall_s": result.seconds,
                    "ideal_s": ideal,
                    "overhead": (result.seconds - ideal) / ideal,
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
