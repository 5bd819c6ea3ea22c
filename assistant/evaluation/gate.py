"""The eval gate: bounds from evals/gates.yaml, pinned cases, failed cases, and significant regressions against
a baseline run. It fails on what is measured to be wrong, never on noise (see evals/gates.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import ConfigError
from assistant.evaluation.compare import compare
from assistant.evaluation.metrics import value_of
from assistant.evaluation.paths import shipped_datasets
from assistant.evaluation.results import decode


class Pin(BaseModel):
    """Cases (by tag or id) that must score a metric's best value."""

    model_config = ConfigDict(extra="forbid")

    metric: str
    tag: str | None = None
    case: str | None = None


class Gates(BaseModel):
    """evals/gates.yaml."""

    model_config = ConfigDict(extra="forbid")

    alpha: float = Field(0.05, gt=0, lt=1)
    bounds: dict[str, dict[str, dict[str, float]]] = Field(default_factory=dict)
    pinned: dict[str, list[Pin]] = Field(default_factory=dict)


def default_gates_file() -> Path | None:
    """evals/gates.yaml of the checkout (beside the shipped datasets)."""
    datasets = shipped_datasets()
    path = datasets.parent / "gates.yaml" if datasets else None
    return path if path and path.is_file() else None


def load_gates(path: Path | None) -> Gates:
    """The gates file; a bad one is an error naming the file and the field."""
    path = path or default_gates_file()
    if path is None:
        raise ConfigError("no gates file: pass --gates FILE (the checkout's is evals/gates.yaml)")
    try:
        return Gates.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"gates file {path}: {str(exc).splitlines()[0]}") from exc


def _bounds(results: dict[str, Any], gates: Gates) -> tuple[list[str], list[str]]:
    failures, skipped = [], []
    for suite, groups in gates.bounds.items():
        for group, metrics in groups.items():
            for metric, bound in metrics.items():
                entry = results["suites"].get(suite, {})
                agg = entry.get("aggregates", {}).get(group, {}).get("metrics", {}).get(metric)
                if not agg or "value" not in agg:
                    skipped.append(f"{suite}/{group}/{metric}")
                    continue
                higher = entry["metrics"][metric]["higher_is_better"]
                stochastic = entry.get("tier", results.get("tier")) != "deterministic"
                low, high = agg["ci95"]
                value = (high if higher else low) if stochastic else agg["value"]
                if (value < bound - 1e-12) if higher else (value > bound + 1e-12):
                    side = "below its floor" if higher else "above its ceiling"
                    failures.append(
                        f"{suite}/{group} {metric} {agg['value']:.3f} (95% CI {low:.3f}-{high:.3f}, n={agg['n']}) {side} {bound}"
                    )
    return failures, skipped


def _pinned(results: dict[str, Any], gates: Gates) -> list[str]:
    failures = []
    for suite, pins in gates.pinned.items():
        entry = results["suites"].get(suite)
        if not entry:
            continue
        for pin in pins:
            best = 1.0 if entry["metrics"][pin.metric]["higher_is_better"] else 0.0
            for case in entry["cases"]:
                if (pin.tag and pin.tag not in case["tags"]) or (pin.case and pin.case != case["id"]):
                    continue
                value = value_of(decode(case["scores"][pin.metric]))
                if value is not None and abs(value - best) > 1e-9:
                    failures.append(f"{suite}/{case['id']}: pinned {pin.metric} is {value:.3f}, must be {best:g}")
    return failures


def check(
    results: dict[str, Any], gates: Gates, baseline: dict[str, Any] | None = None, seed: int = 0
) -> dict[str, Any]:
    """Every gate failure of a run (empty: it passes), the bounds skipped, and the comparison with the baseline."""
    failures, skipped = _bounds(results, gates)
    failures += _pinned(results, gates)
    failures += [
        f"{s}/{c['id']}: {c['error']}" for s, e in results["suites"].items() for c in e["cases"] if "error" in c
    ]
    comparison = None
    if baseline is not None:
        comparison = compare(baseline, results, seed, gates.alpha)
        for suite, entry in comparison["suites"].items():
            for metric, r in entry["metrics"].items():
                if r.get("regression"):
                    why = "exact" if entry["tier"] == "deterministic" else f"p_holm {r['p_holm']:.3f}"
                    failures.append(f"{suite} {metric} regressed {r['a']:.3f} -> {r['b']:.3f} ({why})")
    return {"failures": failures, "skipped": skipped, "comparison": comparison}
