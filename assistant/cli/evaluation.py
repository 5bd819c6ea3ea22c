"""`prepro eval`: run the eval suites, report a run, compare two runs, gate a run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assistant.cli.chat import PROVIDER_OPTION
from assistant.cli.common import Format, assistant, console, err_console, progress_bar

if TYPE_CHECKING:
    from assistant.evaluation.service import RunOptions

app = typer.Typer(help="Eval suites of every stage: run, report, compare, gate.", no_args_is_help=True)

SUITE_OPTION = typer.Option(
    [],
    "--suite",
    "-s",
    help="Suite to run (repeatable): retrieval, answers, routing, design, research, organization, batch, all.",
)
TAG_OPTION = typer.Option(
    [], "--tag", "-t", help="Only cases with this tag (repeatable), long ones included; `long`: the long cases."
)
LONG_OPTION = typer.Option(False, "--long", help="Include the cases tagged long (real documents, full sets).")
SEED_OPTION = typer.Option(0, "--seed", help="Seed of the bootstrap intervals and tests.")
DATASETS_OPTION = typer.Option(None, "--datasets", help="An extra folder of case files (<suite>/*.jsonl).")
CASE_OPTION = typer.Option([], "--case", "-c", help="Only this case id (repeatable), e.g. to time an LLM on a few.")


def _options(
    suite: list[str],
    provider: str | None,
    tag: list[str],
    long: bool,
    repeats: int,
    seed: int,
    datasets: Path | None,
    case: list[str],
) -> RunOptions:
    from assistant.evaluation.service import RunOptions

    return RunOptions(tuple(suite), provider, tuple(tag), long, repeats, seed, datasets, tuple(case))


def run(
    suite: list[str] = SUITE_OPTION,
    provider: str | None = PROVIDER_OPTION,
    tag: list[str] = TAG_OPTION,
    long: bool = LONG_OPTION,
    repeats: int = typer.Option(1, "--repeats", "-n", help="Score each case N times (flip rates per case)."),
    seed: int = SEED_OPTION,
    judge: str | None = typer.Option(None, "--judge", help="LLM provider of the judge (default: lexical support)."),
    datasets: Path | None = DATASETS_OPTION,
    case: list[str] = CASE_OPTION,
    dry_run: bool = typer.Option(False, "--dry-run", help="Estimate cases, LLM calls, tokens and cost; run nothing."),
) -> None:
    """Run eval suites; results go to PREPRO_HOME/evals/<run-id>/ (results.json, metadata.json)."""
    from assistant.evaluation.service import dry_run as estimate
    from assistant.evaluation.service import run_and_save

    settings = assistant().settings
    options = _options(suite, provider, tag, long, repeats, seed, datasets, case)
    if dry_run:
        _print_estimate(estimate(settings, options, judge))
        return
    with progress_bar("eval") as show:
        folder, results = run_and_save(settings, options, judge, show)
    for name, entry in results["suites"].items():
        _print_suite(name, entry)
    err_console.print(f"wrote {folder}", highlight=False)


def _print_estimate(plan: dict[str, Any]) -> None:
    console.print(
        f"cases: {', '.join(f'{k} {v}' for k, v in plan['cases'].items())}; provider {plan['provider']}, judge {plan['judge'] or 'none (lexical support)'}"
    )
    if not plan["estimates"]:
        console.print("no LLM calls: offline drafts and lexical support cost nothing")
    for e in plan["estimates"]:
        console.print(
            f"{e['what']:<14} ~{e['calls']} calls, ~{e['prompt_tokens']:,} prompt + ~{e['completion_tokens']:,} completion tokens, ~${e['cost_usd']:.4f}"
        )


def _print_suite(name: str, entry: dict[str, Any]) -> None:
    from assistant.evaluation.service import fmt_aggregate

    failed = f", {entry['errors']} failed" if entry["errors"] else ""
    console.print(f"[bold]{name}[/bold] ({len(entry['cases'])} cases{failed})", highlight=False)
    for metric, agg in entry["aggregates"]["all"]["metrics"].items():
        console.print(f"  {metric:<22} {fmt_aggregate(agg)}", highlight=False)


def report(
    run_id: str | None = typer.Argument(None, metavar="[RUN]", help="Run id, prefix or folder (default: the latest)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Folder for report.md, report.html and PNGs."),
) -> None:
    """Write a run's report: Markdown and HTML with per-case tables, per-tag breakdown, distributions, trend."""
    from assistant.evaluation.service import write_report

    path = write_report(assistant().settings.home, run_id, out)
    err_console.print(f"wrote {path} and {path.with_suffix('.html')}", highlight=False)


def compare(
    run_a: str = typer.Argument(..., help="The earlier run (id, prefix, folder, latest, previous)."),
    run_b: str = typer.Argument(..., help="The later run."),
    seed: int = SEED_OPTION,
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
) -> None:
    """Per-metric delta with a paired bootstrap interval and a Holm-corrected sign-flip p-value; regressed cases."""
    from assistant.evaluation.service import compare_runs

    result = compare_runs(assistant().settings.home, run_a, run_b, seed)
    if format == Format.json:
        typer.echo(json.dumps(result, indent=1, sort_keys=True))
        return
    console.print(f"{result['b']} against {result['a']} ({result['tier']} tier)", highlight=False)
    for warning in result["warnings"]:
        err_console.print(f"[yellow]warning[/yellow] {warning}", highlight=False)
    unchanged = 0
    for suite, entry in result["suites"].items():
        for metric, r in entry["metrics"].items():
            if "delta" not in r or (abs(r["delta"]) < 1e-12 and not r["changed"]):
                unchanged += 1
                continue
            flag = " [red]regression[/red]" if r.get("regression") else ""
            console.print(
                f"{suite}/{metric}: {r['a']:.3f} -> {r['b']:.3f}, delta {r['delta']:+.3f} "
                f"[{r['ci95'][0]:+.3f}, {r['ci95'][1]:+.3f}], p {r['p']:.3f}, Holm {r['p_holm']:.3f}, "
                f"n={r['n_paired']}, {len(r['changed'])} cases changed{flag}",
                highlight=False,
                soft_wrap=True,
            )
    console.print(f"{unchanged} metrics unchanged on every case", highlight=False)
    for line in result["regressed_cases"]:
        console.print(f"  worse: {line}", highlight=False, soft_wrap=True)


def gate(
    baseline: str | None = typer.Option(None, "--baseline", "-b", help="A run to compare against."),
    run_id: str | None = typer.Option(None, "--run", help="Gate this existing run instead of running the suites."),
    gates: Path | None = typer.Option(None, "--gates", help="Gates file (default: evals/gates.yaml)."),
    suite: list[str] = SUITE_OPTION,
    provider: str | None = PROVIDER_OPTION,
    tag: list[str] = TAG_OPTION,
    long: bool = LONG_OPTION,
    seed: int = SEED_OPTION,
) -> None:
    """Run the suites offline and exit 1 when a gate fails (bound, pinned case, failed case, regression)."""
    from assistant.evaluation.service import gate as check_gates

    options = _options(suite, provider or "offline", tag, long, 1, seed, None, [])
    with progress_bar("eval") as show:
        verdict = check_gates(assistant().settings, options, run_id, baseline, gates, show)
    for name in verdict["skipped"]:
        err_console.print(f"skipped bound {name} (not in this run)", highlight=False)
    for line in verdict.get("regressed_cases", []):
        console.print(f"  worse: {line}", highlight=False, soft_wrap=True)
    if verdict["failures"]:
        for failure in verdict["failures"]:
            err_console.print(f"[red]gate failed[/red] {failure}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(f"gate passed: run {verdict['run']}", highlight=False)


def register(root: typer.Typer) -> None:
    """Add `prepro eval` to the root app."""
    for command in (run, report, compare, gate):
        app.command()(command)
    root.add_typer(app, name="eval")
