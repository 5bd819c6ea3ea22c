"""Batch suite: route cards of a fixed set of parts drafted by `Assistant.draft_batch` at concurrency 1, 4 and 8
against the stub OpenAI-compatible server (evals/stub_server.py) answering each call after a fixed latency.

Overhead = (wall − ideal) / ideal, where the ideal hands each part's server time (its LLM calls × the latency)
in order to the first free worker with nothing else taking time: what the batch machinery, the drafting itself
and the GIL add. The drafts have no documents (an empty knowledge base: the retrieval suite times search), and the
provider under test is not used: the stub stands in for it, so the suite costs no tokens. Wall time varies from
run to run, so the suite is compared and gated statistically (not repeatable); `all_drafted` is its pinned
correctness metric.
"""

from __future__ import annotations

import heapq
import math
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from assistant.evaluation.bench import Bench
from assistant.evaluation.cases import Case, Source
from assistant.evaluation.metrics import NotApplicable, Score
from assistant.evaluation.paths import shipped_datasets
from assistant.evaluation.suites.base import CaseResult, MetricSpec, Suite
from assistant.stages.routing.draft import ROUTE_BATCH
from assistant.subprocesses import stop

if TYPE_CHECKING:
    from assistant.api import Assistant

LATENCY_S = 0.2  # per call: the 16 parts make 33 calls, 6.6 s of server time at concurrency 1 and 1 s at 8
PARTS = 16  # the first routing parts by file name
CONCURRENCY = (1, 4, 8)
TAG = "throughput"
READY_S = 30.0  # how long the stub may take to say where it listens
_METRICS = ("parts_per_minute", "overhead", "all_drafted")


# ---- the figures (pure) ----------------------------------------------------------------------------------------
def ideal_seconds(server_times: Sequence[float], workers: int) -> float:
    """Makespan of the part times handed, in order, to the first free worker."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1 (got {workers})")
    free = [0.0] * workers
    for seconds in server_times:
        heapq.heappush(free, heapq.heappop(free) + seconds)
    return max(free)


def overhead(wall_s: float, ideal_s: float) -> float:
    """What the run took beyond the ideal, as a share of the ideal: (wall − ideal) / ideal."""
    if ideal_s <= 0:
        raise ValueError(f"the ideal time must be positive (got {ideal_s})")
    return (wall_s - ideal_s) / ideal_s


def route_calls(operations: int) -> int:
    """LLM calls the wording of a route card with that many operations takes (ROUTE_BATCH operations a call)."""
    return math.ceil(operations / ROUTE_BATCH)


# ---- the stub server -------------------------------------------------------------------------------------------
def stub_script() -> Path | None:
    """evals/stub_server.py beside the shipped datasets (a source checkout), or None."""
    datasets = shipped_datasets()
    script = datasets.parent / "stub_server.py" if datasets else None
    return script if script and script.is_file() else None


def _first_line(stream: IO[str], timeout: float) -> str:
    """The first line the stream gives within the timeout ('' at its end or when none came)."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0] if lines else ""


@contextmanager
def stub_server(latency_s: float, script: Path | None = None, ready_s: float = READY_S) -> Iterator[str]:
    """The stub OpenAI-compatible server in a child process on a free loopback port (it picks one and prints its
    URL) until the context ends; its base URL. A separate process keeps its threads off this one's GIL."""
    script = script or stub_script()
    if script is None:
        raise OSError("the stub server (evals/stub_server.py) is not there: a source checkout is needed")
    command = [sys.executable, "-u", str(script), "--port", "0", "--latency", str(latency_s)]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True, encoding="utf-8")
        try:
            assert process.stdout is not None
            line = _first_line(process.stdout, ready_s)
            url = next((word for word in line.split() if word.startswith("http://127.0.0.1:")), None)
            if url is None:
                errors.seek(0)
                raise OSError(f"the stub server did not start: {line.strip()} {errors.read()[-2000:]}".rstrip())
            yield url
        finally:
            stop(process)
            if process.stdout:
                process.stdout.close()


# ---- the cases -------------------------------------------------------------------------------------------------
def yaml_cases(root: Path) -> tuple[list[Case], list[Path]]:
    """c1, c4, c8: the first PARTS routing parts (routing/parts, by file name) at each concurrency."""
    folder = root / "routing"
    files = sorted((folder / "parts").glob("*.yaml"))[:PARTS]
    if len(files) < PARTS:
        return [], []
    parts = [f"parts/{f.name}" for f in files]
    cases = [
        Case(f"c{n}", (TAG,), {"concurrency": n, "parts": parts, "latency_s": LATENCY_S}, None, folder)
        for n in CONCURRENCY
    ]
    return cases, files


def _drafter(bench: Bench, home: Path, url: str) -> Assistant:
    """An assistant of its own (empty home, no cache) whose LLM is the stub."""
    from assistant.api import Assistant

    update = {
        "home": home,
        "database_url": None,
        "chroma_host": None,
        "llm_provider": "openai-compatible",
        "llm_base_url": url,
        "llm_model": "stub-model",
        "llm_api_key": None,
        "cache_enabled": False,  # a cached reply would skip the server
    }
    return Assistant(bench.settings.model_copy(update=update))


def score(bench: Bench, case: Case) -> CaseResult:
    """Draft the parts as one batch at the case's concurrency against the stub and time it."""
    from assistant.parts.readers import load_part
    from assistant.store import llm_log

    concurrency = int(case.input["concurrency"])
    latency = float(case.input.get("latency_s", LATENCY_S))
    names = list(case.input["parts"])
    if concurrency < 1 or latency <= 0 or not names:
        raise ValueError("a batch case needs concurrency >= 1, latency_s > 0 and at least one part")
    script = stub_script()
    if script is None:
        missing = NotApplicable("the stub server (evals/stub_server.py) is not there: a source checkout is needed")
        return CaseResult(case.id, case.tags, dict.fromkeys(_METRICS, missing))
    parts = [load_part(case.path(name)) for name in names]
    with tempfile.TemporaryDirectory(prefix="prepro-batch-") as tmp, stub_server(latency, script) as url:
        helper = _drafter(bench, Path(tmp) / "home", url)
        helper.draft("routing", parts[0])  # warm-up outside the timing: imports, catalog, client
        store = helper.index.store
        before = len(llm_log.calls(store))
        result = helper.draft_batch("routing", parts, concurrency=concurrency)
        requests = len(llm_log.calls(store)) - before
    items = {item.part_id: item for item in result.items}
    drafted = [items[p.id] for p in parts if p.id in items and items[p.id].status == "drafted"]
    calls = [route_calls(len(item.draft.operations)) for item in drafted]
    ideal = ideal_seconds([n * latency for n in calls], concurrency)
    every = len(drafted) == len(parts)
    scores: dict[str, Score] = {
        "parts_per_minute": len(drafted) / result.seconds * 60 if result.seconds > 0 else NotApplicable("no time"),
        "overhead": overhead(result.seconds, ideal)
        if every and ideal > 0
        else NotApplicable("a part was not drafted: the ideal lacks its server time"),
        "all_drafted": float(every),
    }
    detail: dict[str, Any] = {
        "concurrency": concurrency,
        "parts": len(parts),
        "latency_s": latency,
        "calls": sum(calls),
        "requests": requests,
        "wall_s": result.seconds,
        "ideal_s": ideal,
        "not_drafted": sorted(
            f"{item.part_id or item.label}: {item.status} {item.error or ''}".strip()
            for item in result.items
            if item.status != "drafted"
        ),
    }
    return CaseResult(case.id, case.tags, scores, detail)


SUITE = Suite(
    name="batch",
    summary=f"batch drafting throughput at concurrency {', '.join(map(str, CONCURRENCY))} against a stub server",
    metrics=(
        MetricSpec("parts_per_minute", "parts drafted per minute of the batch's wall time"),
        MetricSpec("overhead", "(wall − ideal) / ideal; the ideal schedules each part's server time", False),
        MetricSpec("all_drafted", "every part of the batch was drafted (1) or not (0)"),
    ),
    sources=(Source("batch/*.jsonl"),),  # a user's own cases: {"concurrency", "parts" (paths), "latency_s"}
    score=score,
    yaml_cases=yaml_cases,
    repeatable=False,  # wall time varies from run to run (see Suite.repeatable)
)
