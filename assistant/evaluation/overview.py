"""A read-only view of the saved eval runs for the UI: per suite, its latest run's aggregates, the trend of its
metrics over every run that ran it, and the cases that got worse against the previous run of that suite.

Runs are read as `prepro eval run` wrote them (runs.py); a folder that cannot be read is skipped with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.evaluation import runs
from assistant.evaluation.compare import compare
from assistant.evaluation.paths import evals_home
from assistant.evaluation.results import ALL, decode


@dataclass(frozen=True)
class MetricSummary:
    """One metric's aggregate over all cases of a run: mean, 95 % bootstrap interval, cases it applies to."""

    name: str
    mean: float | None  # None: no case applied
    low: float | None
    high: float | None
    n: int
    not_applicable: int
    higher_is_better: bool
    description: str


@dataclass(frozen=True)
class TrendPoint:
    """A suite's metric means in one run (None where no case applied)."""

    run_id: str
    means: dict[str, float | None]


@dataclass(frozen=True)
class CaseRegression:
    """A case whose metric got worse in the latest run than in the baseline run."""

    case: str
    metric: str
    before: float
    after: float


@dataclass(frozen=True)
class SuiteOverview:
    """A suite's latest run, its trend over runs (oldest first) and its regressions against `baseline`."""

    name: str
    summary: str
    run_id: str
    started_at: str | None
    provider: str | None
    model: str | None
    commit: str | None
    tier: str
    cases: int
    errors: int
    metrics: list[MetricSummary]
    trend: list[TrendPoint]
    baseline: str | None  # the previous run of this suite; None when the latest is its first
    regressions: list[CaseRegression] = field(default_factory=list)
    regressed_metrics: list[str] = field(default_factory=list)  # worse overall (significant, or deterministic)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SkippedRun:
    """A run folder that could not be read, and why."""

    run_id: str
    reason: str


@dataclass(frozen=True)
class EvalOverview:
    """Every suite's view (by name), the readable run ids (oldest first) and the skipped folders."""

    folder: Path
    suites: list[SuiteOverview]
    runs: list[str]
    skipped: list[SkippedRun]


@dataclass(frozen=True)
class _Run:
    run_id: str
    results: dict[str, Any]
    meta: dict[str, Any]


def _metric(name: str, spec: dict[str, Any], agg: dict[str, Any]) -> MetricSummary:
    low, high = agg["ci95"] if "value" in agg else (None, None)
    return MetricSummary(
        name=name,
        mean=float(agg["value"]) if "value" in agg else None,
        low=None if low is None else float(low),
        high=None if high is None else float(high),
        n=int(agg["n"]),
        not_applicable=sum(int(v) for v in agg.get("not_applicable", {}).values()),
        higher_is_better=bool(spec["higher_is_better"]),
        description=str(spec.get("description", "")),
    )


def metrics_of(suite: dict[str, Any]) -> list[MetricSummary]:
    """A saved suite's metrics over all its cases (by name: results.json sorts its keys)."""
    aggs = suite["aggregates"][ALL]["metrics"]
    return [_metric(name, spec, aggs.get(name, {"n": 0})) for name, spec in suite["metrics"].items()]


def _check(results: dict[str, Any]) -> None:
    """Raise (KeyError, TypeError, ValueError) when a run's results lack what the overview and compare read."""
    if not isinstance(results.get("suites"), dict):
        raise ValueError("results.json has no suites")
    for suite in results["suites"].values():
        metrics_of(suite)
        for case in suite["cases"]:
            str(case["id"])
            for value in case["scores"].values():
                decode(value)


def read_runs(home: Path) -> tuple[list[_Run], list[SkippedRun]]:
    """The readable runs under PREPRO_HOME/evals (oldest first), and the folders skipped with the reason."""
    found, skipped = [], []
    for folder in runs.list_runs(home):
        try:
            results, meta = runs.load(folder)
            if not isinstance(meta, dict):
                raise ValueError("metadata.json is not an object")
            _check(results)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            skipped.append(SkippedRun(folder.name, f"{type(exc).__name__}: {exc}"))
            continue
        found.append(_Run(folder.name, results, meta))
    return found, skipped


def _trend(history: list[_Run], name: str) -> list[TrendPoint]:
    return [
        TrendPoint(run.run_id, {m.name: m.mean for m in metrics_of(run.results["suites"][name])}) for run in history
    ]


def _suite(name: str, history: list[_Run], comparisons: dict[tuple[str, str], dict[str, Any]]) -> SuiteOverview:
    """The view of one suite from the runs that ran it (oldest first)."""
    latest = history[-1]
    suite = latest.results["suites"][name]
    meta = latest.meta
    commit = meta.get("git_commit")
    base = history[-2] if len(history) > 1 else None
    regressions: list[CaseRegression] = []
    regressed: list[str] = []
    warnings: list[str] = []
    if base is not None:
        key = (base.run_id, latest.run_id)
        if key not in comparisons:  # the whole runs, so the Holm family is that of `prepro eval compare`
            comparisons[key] = compare(base.results, latest.results)
        done = comparisons[key]
        entry = done["suites"][name]
        for metric, result in entry["metrics"].items():
            regressions += [
                CaseRegression(str(c["id"]), metric, float(c["a"]), float(c["b"]))
                for c in result.get("changed", [])
                if c["worse"]
            ]
            if result.get("regression"):
                regressed.append(metric)
        warnings = [w for w in done["warnings"] if w.startswith(f"{name}:") or w.startswith("the runs differ")]
    return SuiteOverview(
        name=name,
        summary=str(suite.get("summary", "")),
        run_id=latest.run_id,
        started_at=meta.get("started_at"),
        provider=meta.get("provider", latest.results.get("provider")),
        model=meta.get("model"),
        commit=(str(commit)[:12] + (" (modified)" if meta.get("git_dirty") else "")) if commit else None,
        tier=str(suite.get("tier", latest.results.get("tier", "stochastic"))),
        cases=len(suite["cases"]),
        errors=int(suite.get("errors", 0)),
        metrics=metrics_of(suite),
        trend=_trend(history, name),
        baseline=base.run_id if base else None,
        regressions=regressions,
        regressed_metrics=regressed,
        warnings=warnings,
    )


def overview(home: Path) -> EvalOverview:
    """The view of every suite saved under PREPRO_HOME/evals (suites by name); no run gives an empty view."""
    found, skipped = read_runs(home)
    names = sorted({name for run in found for name in run.results["suites"]})
    comparisons: dict[tuple[str, str], dict[str, Any]] = {}
    suites = [_suite(name, [r for r in found if name in r.results["suites"]], comparisons) for name in names]
    return EvalOverview(evals_home(home), suites, [r.run_id for r in found], skipped)
