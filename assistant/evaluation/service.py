"""What `prepro eval` calls: one function per command, from settings and names to files and plain values."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError
from assistant.evaluation import runs
from assistant.evaluation.compare import compare, regressed_cases
from assistant.evaluation.estimate import estimate
from assistant.evaluation.gate import check, load_gates
from assistant.evaluation.paths import dataset_roots, evals_home
from assistant.evaluation.report import build, fmt_aggregate
from assistant.evaluation.runner import Progress, RunOptions, run, suite_cases
from assistant.evaluation.suites import get_suites

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.evaluation.judge import Judge

__all__ = ["RunOptions", "compare_runs", "dry_run", "fmt_aggregate", "gate", "run_and_save", "write_report"]


def make_judge(settings: Settings, provider: str | None) -> Judge | None:
    """The judge on an LLM provider (None: no judge, support is lexical); `offline` cannot judge."""
    if provider is None:
        return None
    from assistant.api import Assistant
    from assistant.evaluation.judge import Judge
    from assistant.llm.client import LLM

    helper = Assistant(settings.model_copy(update={"home": evals_home(settings.home) / "judge", "database_url": None}))
    model = helper.model(provider)
    if not isinstance(model, LLM):
        raise ConfigError(
            f"the judge needs an LLM provider, not {provider!r} (choose local, openai or openai-compatible)"
        )
    return Judge(model, helper.index.store)


def run_and_save(
    settings: Settings, options: RunOptions, judge_provider: str | None, progress: Progress | None
) -> tuple[Path, dict[str, Any]]:
    """Run the suites and write the run's folder; its path and the results."""
    if options.repeats < 1:
        raise ConfigError(f"--repeats must be at least 1 (got {options.repeats})")
    started = datetime.now(UTC)
    judge = make_judge(settings, judge_provider)
    done = run(settings, options, progress, judge)
    model = (
        done.results["provider"]
        if done.results["provider"] == "offline"
        else _model_label(settings, done.results["provider"])
    )
    done.metadata = runs.provenance(done, started, model)
    return runs.save(settings.home, done, started), done.results


def _model_label(settings: Settings, provider: str) -> str:
    from assistant.llm.providers import DEFAULT_OPENAI_MODEL

    names = {"openai": settings.llm_model or DEFAULT_OPENAI_MODEL, "local": "bundled SmolLM2-135M"}
    return f"{provider}:{names.get(provider, settings.llm_model or 'default')}"


def dry_run(settings: Settings, options: RunOptions, judge_provider: str | None) -> dict[str, Any]:
    """Cases a run would score per suite, and the calls, tokens and cost it would spend (nothing is run)."""
    from assistant.evaluation.cases import select
    from assistant.llm.providers import DEFAULT_OPENAI_MODEL, PRICES, provider_name

    roots = dataset_roots(settings.home, options.datasets)
    cases = {
        s.name: len(select(suite_cases(s, roots)[0], options.tags, options.long, options.cases))
        for s in get_suites(list(options.suites) or None)
    }
    provider = provider_name(settings, options.provider)
    rows = estimate(cases, options.repeats, provider != "offline", judge_provider is not None)
    model = settings.llm_model or DEFAULT_OPENAI_MODEL
    price = PRICES.get(model, (0.0, 0.0)) if "openai" in {provider, judge_provider} else (0.0, 0.0)
    return {
        "cases": cases,
        "provider": provider,
        "judge": judge_provider,
        "estimates": [
            {
                "what": r.what,
                "calls": r.calls,
                "prompt_tokens": r.prompt_tokens,
                "completion_tokens": r.completion_tokens,
                "cost_usd": r.cost(price),
            }
            for r in rows
        ],
        "price_per_million": price,
    }


def write_report(home: Path, name: str | None, out: Path | None) -> Path:
    """Write report.md, report.html and the PNGs of a run (into its folder unless `out`); the Markdown's path."""
    folder = runs.resolve(home, name)
    results, meta = runs.load(folder)
    history = [(p.name, runs.load(p)[0]) for p in runs.list_runs(home) if p.name <= folder.name]
    report = build(folder.name, results, meta, history or [(folder.name, results)])
    target = out or folder
    target.mkdir(parents=True, exist_ok=True)
    for image, data in report.images.items():
        (target / image).write_bytes(data)
    (target / "report.html").write_text(report.html, encoding="utf-8")
    (target / "report.md").write_text(report.markdown, encoding="utf-8")
    return target / "report.md"


def compare_runs(home: Path, a: str, b: str, seed: int = 0) -> dict[str, Any]:
    """Run b against run a (see compare.compare), with their ids and the regressed cases."""
    fa, fb = runs.resolve(home, a), runs.resolve(home, b)
    result = compare(runs.load(fa)[0], runs.load(fb)[0], seed)
    return result | {"a": fa.name, "b": fb.name, "regressed_cases": regressed_cases(result)}


def gate(
    settings: Settings,
    options: RunOptions,
    existing: str | None,
    baseline: str | None,
    gates_file: Path | None,
    progress: Progress | None,
) -> dict[str, Any]:
    """Check a run (an existing one, or a new run of `options`) against the gates and an optional baseline."""
    gates = load_gates(gates_file)
    if existing:
        folder = runs.resolve(settings.home, existing)
        results = runs.load(folder)[0]
    else:
        folder, results = run_and_save(settings, options, None, progress)
    base = runs.load(runs.resolve(settings.home, baseline))[0] if baseline else None
    verdict = check(results, gates, base, options.seed)
    if verdict["comparison"]:
        verdict["regressed_cases"] = regressed_cases(verdict["comparison"])
    return verdict | {"run": folder.name}
