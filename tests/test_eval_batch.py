"""The batch suite: the ideal makespan and the overhead worked by hand, its cases, the stub server's launcher
leaving nothing behind, and one real run through the runner against the real stub server."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

import evals.bench_batch
from assistant.evaluation.paths import shipped_datasets
from assistant.evaluation.runner import RunOptions, run
from assistant.evaluation.suites import SUITES
from assistant.evaluation.suites.batch import (
    CONCURRENCY,
    PARTS,
    ideal_seconds,
    overhead,
    route_calls,
    stub_server,
    yaml_cases,
)
from tests.conftest import make_settings

# five parts of 2, 1, 2, 1 and 3 calls at 0.2 s a call
SERVER_TIMES = [0.4, 0.2, 0.4, 0.2, 0.6]


def test_ideal_makespan_worked_by_hand() -> None:
    # two workers, each part to the first free one: A 0.4 -> w1 (0.4); B 0.2 -> w2 (0.2); C 0.4 -> w2 (0.6);
    # D 0.2 -> w1 (0.6); E 0.6 -> w1 (1.2): the last finishes at 1.2 s
    assert ideal_seconds(SERVER_TIMES, 2) == pytest.approx(1.2)
    assert ideal_seconds(SERVER_TIMES, 1) == pytest.approx(1.8)  # one worker: the sum
    assert ideal_seconds(SERVER_TIMES, 8) == pytest.approx(0.6)  # a worker each: the longest part
    assert ideal_seconds([], 4) == 0.0
    with pytest.raises(ValueError, match="at least 1"):
        ideal_seconds(SERVER_TIMES, 0)


def test_overhead_worked_by_hand() -> None:
    assert overhead(1.5, 1.2) == pytest.approx(0.25)  # (1.5 - 1.2) / 1.2
    assert overhead(1.8, 1.8) == 0.0
    with pytest.raises(ValueError, match="positive"):
        overhead(1.0, 0.0)


def test_route_calls_take_five_operations_each() -> None:
    assert [route_calls(n) for n in (1, 5, 6, 10, 11)] == [1, 1, 2, 2, 3]


def test_the_old_bench_uses_the_suites_formula() -> None:
    assert evals.bench_batch.ideal_seconds is ideal_seconds


def test_cases_are_the_first_parts_at_each_concurrency() -> None:
    root = shipped_datasets()
    assert root is not None
    cases, files = yaml_cases(root)
    assert [c.id for c in cases] == [f"c{n}" for n in CONCURRENCY] == ["c1", "c4", "c8"]
    assert len(files) == PARTS and files == sorted(files)
    assert all(c.input["parts"] == [f"parts/{f.name}" for f in files] and "long" not in c.tags for c in cases)
    assert all(c.path(c.input["parts"][0]) == files[0] for c in cases)
    assert yaml_cases(root / "nothing-here") == ([], [])
    suite = SUITES["batch"]
    assert not suite.repeatable and not suite.metric("overhead").higher_is_better
    assert suite.metric("parts_per_minute").higher_is_better and suite.metric("all_drafted").higher_is_better


def test_the_stub_server_answers_inside_its_context_and_is_gone_after() -> None:
    with stub_server(0.0) as url, urllib.request.urlopen(f"{url}/models", timeout=5) as reply:
        assert json.load(reply)["data"][0]["id"] == "stub-model"
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/models", timeout=2)


def test_a_missing_stub_server_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="did not start"), stub_server(0.0, tmp_path / "missing.py", ready_s=10):
        pass


def test_a_real_batch_against_the_stub_server(tmp_path: Path) -> None:
    """Three parts at concurrency 2, 0.05 s a call: 3-5 s, most of it importing the OpenAI client."""
    root = shipped_datasets()
    assert root is not None
    parts = [str(p) for p in sorted((root / "routing" / "parts").glob("*.yaml"))[:3]]
    mine = tmp_path / "datasets" / "batch"
    mine.mkdir(parents=True)
    line = {"id": "mine", "tags": ["throughput"], "input": {"concurrency": 2, "parts": parts, "latency_s": 0.05}}
    (mine / "mine.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    options = RunOptions(suites=("batch",), cases=("mine",), datasets=tmp_path / "datasets")
    done = run(make_settings(tmp_path / "home"), options).results
    suite = done["suites"]["batch"]
    assert suite["tier"] == "stochastic" and suite["errors"] == 0
    [case] = suite["cases"]
    assert case["scores"]["all_drafted"] == 1.0 and case["scores"]["parts_per_minute"] > 0
    detail = case["detail"]
    assert detail["parts"] == 3 and detail["not_drafted"] == [] and detail["requests"] == detail["calls"] > 0
    assert detail["wall_s"] >= detail["ideal_s"] > 0
    assert case["scores"]["overhead"] == pytest.approx((detail["wall_s"] - detail["ideal_s"]) / detail["ideal_s"])
