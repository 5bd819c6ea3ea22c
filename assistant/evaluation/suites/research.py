"""Research suite: research briefs drafted for product requests (own, and held-out ones written blind to the
stage), each scored against its checklist of what any correct brief must contain."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.engineering.requests import quantity_keys
from assistant.evaluation.bench import Bench
from assistant.evaluation.cases import Case, Source
from assistant.evaluation.metrics import Score, ratio
from assistant.evaluation.suites.base import CaseResult, MetricSpec, Suite


def _cited(brief: Any) -> set[str]:
    docs = {r.doc for r in [*brief.standards, *brief.analogues]}
    return docs | {s.doc for r in brief.requirements for s in r.sources}


def _within(wanted: tuple[str, float, float, str], covered: set[tuple[str, float, float, str]]) -> bool:
    """The quantity, or a range of the same kind that ends at it (`60 °C` in `-40 to +60 °C`)."""
    kind, low, high, _ = wanted
    return wanted in covered or (low == high and any(k == kind and low in (a, b) for k, a, b, _ in covered))


def _has_quantity(brief: Any, text: str) -> bool:
    wanted = quantity_keys(text)
    covered = set().union(*(quantity_keys(r.text) for r in brief.requirements))
    if wanted:
        return all(_within(key, covered) for key in wanted)
    return any(text.casefold() in r.text.casefold() for r in brief.requirements)


def _mentions(items: list[str], text: str) -> bool:
    return any(re.search(re.escape(text), item, re.I) for item in items)


CHECKS: dict[str, Callable[[Any, Any], bool]] = {
    "quantities": _has_quantity,
    "standards": lambda brief, doc: doc in _cited(brief),
    "materials": lambda brief, grade: grade in {m.grade for m in brief.materials},
    "not_materials": lambda brief, grade: grade not in {m.grade for m in brief.materials},
    "production": lambda brief, kind: brief.production.type == kind,
    "findings": lambda brief, rule: rule in {f.rule for f in brief.findings},
    "questions": lambda brief, words: _mentions(brief.open_questions, words),
    "risks": lambda brief, words: _mentions(brief.risks, words),
}
GROUPS = {"quantities": ("quantities",), "documents": ("standards",), "materials": ("materials", "not_materials")}


def checklist(brief: Any, expect: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(kind, item, met) for every checklist item of the request."""
    items = []
    for key, values in expect.items():
        if key not in CHECKS:
            raise KeyError(f"unknown checklist key {key!r} (known: {', '.join(CHECKS)})")
        for value in values if isinstance(values, list) else [values]:
            items.append((key, str(value), CHECKS[key](brief, value)))
    return items


def yaml_cases(root: Path) -> tuple[list[Case], list[Path]]:
    """Own requests (research/requests.yaml) and held-out ones (research_holdout/requests.yaml)."""
    cases, files = [], []
    for folder, tag in (("research", "own"), ("research_holdout", "holdout")):
        path = root / folder / "requests.yaml"
        if not path.is_file():
            continue
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["requests"]:
            request = {k: v for k, v in entry.items() if k != "expect"}
            cases.append(Case(entry["id"], (tag,), request, entry["expect"], path.parent))
        files.append(path)
    return cases, files


def score(bench: Bench, case: Case) -> CaseResult:
    """Draft the brief and score it on its checklist."""
    brief = bench.indexed().draft("research", case.input, provider=bench.provider)
    items = checklist(brief, case.expected)
    scores: dict[str, Score] = {"coverage": ratio(sum(met for *_, met in items), len(items), "empty checklist")}
    for name, keys in GROUPS.items():
        chosen = [met for key, _, met in items if key in keys]
        scores[name] = ratio(sum(chosen), len(chosen), f"no {name} item")
    missed = [f"{key}: {item}" for key, item, met in items if not met]
    return CaseResult(case.id, case.tags, scores, {"items": len(items), "missed": missed})


SUITE = Suite(
    name="research",
    summary="research briefs against their checklists (own requests and held-out ones)",
    metrics=(
        MetricSpec("coverage", "checklist items the brief meets, over all items (pooled)"),
        MetricSpec("quantities", "quantities of the request among the requirements (pooled)"),
        MetricSpec("documents", "documents the brief must cite that it cites (pooled)"),
        MetricSpec("materials", "grades proposed and grades kept out as expected (pooled)"),
    ),
    sources=(Source("research/*.jsonl"),),
    score=score,
    yaml_cases=yaml_cases,
)
