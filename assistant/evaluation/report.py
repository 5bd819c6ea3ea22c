"""The report of a run: a summary of every suite's aggregates with their intervals, a breakdown per tag, the
per-case table, the distribution of case values and the trend over earlier runs (PNG), in Markdown and HTML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.evaluation import plots
from assistant.evaluation.metrics import value_of
from assistant.evaluation.render import Block, Heading, Image, Para, Table, html_page, markdown
from assistant.evaluation.results import ALL, decode

CASE_ROWS = 400  # per suite; beyond, the case table lists only the cases that are not at the best value


@dataclass
class Report:
    """The report's Markdown and HTML, and the PNG files they show."""

    markdown: str
    html: str
    images: dict[str, bytes] = field(default_factory=dict)


def fmt_aggregate(agg: dict[str, Any]) -> str:
    """`0.983 [0.957, 1.000] n=116` (with `, 3 n/a` when some cases did not apply), or `n/a` with no case."""
    skipped = sum(agg.get("not_applicable", {}).values())
    tail = f", {skipped} n/a" if skipped else ""
    if "value" not in agg:
        return f"n/a (n=0{tail})"
    low, high = agg["ci95"]
    return f"{agg['value']:.3f} [{low:.3f}, {high:.3f}] n={agg['n']}{tail}"


def _header(run_id: str, results: dict[str, Any], meta: dict[str, Any]) -> list[Block]:
    totals = meta.get("totals", {})
    lines = [
        f"provider {results.get('provider')}, model {meta.get('model', '?')}, support test {results.get('support')}, "
        f"tier {results.get('tier')}, repeats {results.get('repeats')}, seed {results.get('seed')}",
        f"commit {str(meta.get('git_commit'))[:12]}{' (modified)' if meta.get('git_dirty') else ''}, "
        f"started {meta.get('started_at', '?')}, {sum(meta.get('durations_s', {}).values()):.0f} s; "
        f"LLM calls {totals.get('calls', 0)} ({totals.get('cached_calls', 0)} cached), "
        f"tokens {totals.get('prompt_tokens', 0)} + {totals.get('completion_tokens', 0)}, cost ${totals.get('cost_usd', 0):.4f}",
        "Aggregates: value [95 % seeded bootstrap interval over cases] n = cases the metric applies to.",
    ]
    if "judge" in results:
        lines.append(
            f"Judge {results['judge']['model']}: {results['judge']['failures']} verdicts failed to parse twice (counted as no support)."
        )
    return [Heading(1, f"Eval run {run_id}"), *(Para(line) for line in lines)]


def _summary(results: dict[str, Any]) -> Table:
    rows = []
    for name, suite in results["suites"].items():
        for metric, agg in suite["aggregates"][ALL]["metrics"].items():
            better = "higher" if suite["metrics"][metric]["higher_is_better"] else "lower"
            rows.append([name, metric, fmt_aggregate(agg), better])
    return Table(["suite", "metric", "all cases", "better"], rows)


def _cell(score: Any) -> str:
    value = value_of(decode(score))
    return "n/a" if value is None else f"{value:.3f}"


def _suite_blocks(name: str, suite: dict[str, Any], images: dict[str, bytes]) -> list[Block]:
    metrics = list(suite["metrics"])
    blocks: list[Block] = [
        Heading(2, f"{name}: {suite['summary']}"),
        Para(f"dataset {suite['dataset_hash'][:12]}, {len(suite['cases'])} cases, {suite['errors']} failed"),
    ]
    groups = suite["aggregates"]
    blocks.append(
        Table(
            ["tag", "cases", *metrics],
            [[g, str(groups[g]["cases"]), *(fmt_aggregate(groups[g]["metrics"][m]) for m in metrics)] for g in groups],
        )
    )
    values = {m: [v for c in suite["cases"] if (v := value_of(decode(c["scores"][m]))) is not None] for m in metrics}
    if any(values.values()):
        images[f"{name}-distribution.png"] = plots.distributions(name, values)
        blocks.append(Image(f"{name}-distribution.png", f"{name} distributions"))
    cases = suite["cases"]
    if len(cases) > CASE_ROWS:
        cases = [c for c in cases if "error" in c or any(_off_best(c, m, suite) for m in metrics)]
        blocks.append(Para(f"{len(cases)} cases not at the best value on some metric (of {len(suite['cases'])})."))
    rows = [
        [c["id"], ", ".join(c["tags"]), *(_cell(c["scores"][m]) for m in metrics), c.get("error", "")] for c in cases
    ]
    blocks.append(Table(["case", "tags", *metrics, "error"], rows))
    return blocks


def _off_best(case: dict[str, Any], metric: str, suite: dict[str, Any]) -> bool:
    value = value_of(decode(case["scores"][metric]))
    best = 1.0 if suite["metrics"][metric]["higher_is_better"] else 0.0
    return value is not None and abs(value - best) > 1e-9


def _trend(history: Sequence[tuple[str, dict[str, Any]]], images: dict[str, bytes]) -> list[Block]:
    """Per suite of the last run: its aggregates over the runs that ran it (two at least)."""
    blocks: list[Block] = [Heading(2, "Trend over runs")]
    for name, suite in history[-1][1]["suites"].items():
        runs = [(run_id, r) for run_id, r in history if name in r["suites"]]
        if len(runs) < 2:
            blocks.append(Para(f"{name}: one run so far; the trend appears from the second run on."))
            continue
        series = {m: [_point(r, name, m) for _, r in runs] for m in suite["metrics"]}
        if not any(p is not None for points in series.values() for p in points):
            continue
        images[f"{name}-trend.png"] = plots.trend(name, [run_id for run_id, _ in runs], series)
        blocks.append(Image(f"{name}-trend.png", f"{name} trend"))
    return blocks


def _point(results: dict[str, Any], suite: str, metric: str) -> tuple[float, float, float] | None:
    agg = results["suites"].get(suite, {}).get("aggregates", {}).get(ALL, {}).get("metrics", {}).get(metric, {})
    return (agg["value"], *agg["ci95"]) if "value" in agg else None


def build(
    run_id: str, results: dict[str, Any], meta: dict[str, Any], history: Sequence[tuple[str, dict[str, Any]]]
) -> Report:
    """The report of one run; `history` is every run up to it (oldest first) for the trend."""
    images: dict[str, bytes] = {}
    blocks = [*_header(run_id, results, meta), Heading(2, "Summary"), _summary(results)]
    for name, suite in results["suites"].items():
        blocks += _suite_blocks(name, suite, images)
    blocks += _trend(history, images)
    return Report(markdown(blocks), html_page(f"Eval run {run_id}", blocks), images)
