"""Run suites: load and select their cases, score each (with repeats), aggregate, and gather the metadata."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError, PreproError
from assistant.evaluation.bench import Bench
from assistant.evaluation.cases import Case, files_hash, read_jsonl, select, source_files, unique
from assistant.evaluation.judge import prompt_version
from assistant.evaluation.metrics import NotApplicable, flip_rate, value_of
from assistant.evaluation.paths import dataset_roots
from assistant.evaluation.results import FORMAT, aggregates, combine_repeats, encode
from assistant.evaluation.suites import Suite, get_suites
from assistant.evaluation.usage import Usage, usage_since

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.evaluation.judge import Judge

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class RunOptions:
    """What `prepro eval run` was asked for."""

    suites: tuple[str, ...] = ()
    provider: str | None = None
    tags: tuple[str, ...] = ()
    long: bool = False
    repeats: int = 1
    seed: int = 0
    datasets: Path | None = None
    cases: tuple[str, ...] = ()  # only these case ids (to time an LLM on a few)


@dataclass
class Run:
    """A finished run: the canonical results and the metadata."""

    results: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)


def suite_cases(suite: Suite, roots: Sequence[Path]) -> tuple[list[Case], list[Path]]:
    """Every case of a suite under the dataset roots (JSONL files and its commented YAML datasets), and the files."""
    cases: list[Case] = []
    files: list[Path] = []
    for path, source in source_files(roots, suite.sources):
        cases += read_jsonl(path, source.tags, source.default_every)
        files.append(path)
    for root in roots:
        if suite.yaml_cases:
            found, read = suite.yaml_cases(root)
            cases += found
            files += read
    return unique(cases, f"suite {suite.name}"), files


def _score_case(suite: Suite, bench: Bench, case: Case, repeats: int) -> dict[str, Any]:
    runs, detail, error = [], {}, None
    for repeat in range(repeats):
        if bench.judge:
            bench.judge.sample = repeat
        try:
            result = suite.score(bench, case)
        except (PreproError, ValueError, KeyError, OSError) as exc:  # a bad case is reported in the results
            error = f"{type(exc).__name__}: {exc}"
            break
        runs.append(result.scores)
        detail = result.detail
    names = [m.name for m in suite.metrics]
    if error:
        failed = NotApplicable(f"case failed: {error[:200]}")
        return {"id": case.id, "tags": list(case.tags), "scores": {m: encode(failed) for m in names}, "error": error}
    scores = {m: combine_repeats([r.get(m, NotApplicable("not scored")) for r in runs]) for m in names}
    row: dict[str, Any] = {"id": case.id, "tags": list(case.tags), "scores": {m: encode(s) for m, s in scores.items()}}
    row["detail"] = detail
    if repeats > 1:
        row["repeats"] = [{m: encode(r[m]) for m in names if m in r} for r in runs]
        values = {m: [v for r in runs if m in r and (v := value_of(r[m])) is not None] for m in names}
        row["flip_rate"] = {m: flip_rate(v) for m, v in values.items() if v}
    return row


def run_suite(
    suite: Suite, cases: Sequence[Case], bench: Bench, options: RunOptions, tick: Callable[[str], None]
) -> dict[str, Any]:
    """Score every case of one suite and aggregate."""
    rows = []
    for case in cases:
        tick(f"{suite.name} {case.id}")
        rows.append(_score_case(suite, bench, case, options.repeats))
    metrics = [m.name for m in suite.metrics]
    return {
        "summary": suite.summary,
        "metrics": {
            m.name: {"description": m.description, "higher_is_better": m.higher_is_better} for m in suite.metrics
        },
        "cases": rows,
        "errors": sum("error" in r for r in rows),
        "aggregates": aggregates(suite.name, metrics, rows, options.seed),
    }


def run(settings: Settings, options: RunOptions, progress: Progress | None = None, judge: Judge | None = None) -> Run:
    """Run the suites asked for; the canonical results and the metadata (times, hashes, tokens, cost)."""
    suites = get_suites(list(options.suites) or None)
    roots = dataset_roots(settings.home, options.datasets)
    chosen = {s.name: suite_cases(s, roots) for s in suites}
    picked = {name: select(cases, options.tags, options.long, options.cases) for name, (cases, _) in chosen.items()}
    total, done = sum(len(c) for c in picked.values()) * options.repeats, 0
    if not total:
        asked = ", ".join([*(f"tag {t}" for t in options.tags), *(f"case {c}" for c in options.cases)]) or "no filter"
        raise ConfigError(f"no eval case selected ({asked}) in the suites {', '.join(s.name for s in suites)}")

    def show(label: str) -> None:
        if progress:
            progress(done, total, label)

    def tick(label: str) -> None:
        nonlocal done
        show(label)
        done += options.repeats

    bench = Bench(settings, options.provider, judge, options.seed, status=show)
    results: dict[str, Any] = {"format": FORMAT, "seed": options.seed, "repeats": options.repeats, "suites": {}}
    timings: dict[str, float] = {}
    usage: dict[str, Usage] = {}
    for suite in [s for s in suites if picked[s.name]]:  # a suite with no case selected is left out
        started, before = time.perf_counter(), bench.call_counts()
        results["suites"][suite.name] = run_suite(suite, picked[suite.name], bench, options, tick)
        results["suites"][suite.name]["dataset_hash"] = files_hash(chosen[suite.name][1])
        repeatable = suite.repeatable and bench.tier() == "deterministic"
        results["suites"][suite.name]["tier"] = "deterministic" if repeatable else "stochastic"
        timings[suite.name] = time.perf_counter() - started
        usage[suite.name] = usage_since(bench, before)
    if progress:
        progress(total, total, "done")
    results |= {"provider": bench.provider_name(), "support": bench.support_name(), "tier": bench.tier()}
    results["selection"] = {"tags": sorted(options.tags), "long": options.long}
    metadata: dict[str, Any] = {"durations_s": timings, "usage": {k: v.as_dict() for k, v in usage.items()}}
    metadata["ingests"] = bench.ingests
    if judge:
        results["judge"] = {
            "model": judge.label,
            "prompt_version": prompt_version(),
            "failures": judge.stats["failures"],
        }
        metadata["judge"] = {"model": judge.label, **judge.stats}
    return Run(results, metadata)
