"""What the thin eval scripts share: run one suite of `prepro eval` and print its cases and per-tag aggregates."""

from __future__ import annotations

from typing import Any

from assistant.config import Settings
from assistant.evaluation.runner import RunOptions, run


def run_suite(
    name: str,
    provider: str = "offline",
    tags: tuple[str, ...] = (),
    cases: tuple[str, ...] = (),
    settings: Settings | None = None,
) -> dict[str, Any]:
    """The suite's results (cases, aggregates) on the offline tier or the provider given."""
    options = RunOptions(suites=(name,), provider=provider, tags=tags, cases=cases)
    return run(settings or Settings(), options).results["suites"][name]


def value(score: Any) -> str:
    """A case's score as text: 0.83, or n/a."""
    if isinstance(score, dict):
        return "n/a" if "not_applicable" in score else f"{score['num'] / score['den']:.2f}"
    return f"{float(score):.2f}"


def print_suite(suite: dict[str, Any], detail: tuple[str, ...] = ()) -> None:
    """A Markdown table of the cases (scores, then the detail keys asked for), then each tag's aggregates."""
    names = list(suite["metrics"])
    print("| case | tags | " + " | ".join([*names, *detail]) + " |")
    print("|---|---|" + "---|" * (len(names) + len(detail)))
    for c in suite["cases"]:
        extra = [str(c.get("detail", {}).get(k, "")) for k in detail]
        print(
            f"| {c['id']} | {', '.join(c['tags'])} | "
            + " | ".join([*(value(c["scores"][m]) for m in names), *extra])
            + " |"
        )
    for group, entry in suite["aggregates"].items():
        shown = ", ".join(f"{m} {a['value']:.3f} (n={a['n']})" for m, a in entry["metrics"].items() if "value" in a)
        print(f"\n{group} ({entry['cases']} cases): {shown}")
