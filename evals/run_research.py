"""Research eval: draft a brief for every request of the dataset and score it against its checklist.

Each request (evals/datasets/research/requests.yaml) lists what a correct brief must contain: its quantities as
requirements, documents cited, grades proposed and not proposed, the production type, findings, risks and open
questions. A brief's coverage is the share of its checklist items it meets; the report gives it per request and
over all items. Retrieval runs on the configured knowledge base when it has documents, else on the shipped corpus
indexed into a temporary home (about a minute on first use).
Run:  .venv/bin/python -m evals.run_research [--provider offline] [--only RQ-01,RQ-02] [--fresh]
Prints a Markdown table and writes evals/reports/research.json.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.api import Assistant
from assistant.config import Settings
from assistant.engineering.requests import quantity_keys
from assistant.resources import knowledge_dir
from assistant.stages.research.model import ResearchBrief

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "evals" / "datasets" / "research" / "requests.yaml"
HOLDOUT = ROOT / "evals" / "datasets" / "research_holdout" / "requests.yaml"  # written blind to the stage
REPORTS = ROOT / "evals" / "reports"


def _cited(brief: ResearchBrief) -> set[str]:
    docs = {r.doc for r in [*brief.standards, *brief.analogues]}
    return docs | {s.doc for r in brief.requirements for s in r.sources}


def _within(wanted: tuple[str, float, float, str], covered: set[tuple[str, float, float, str]]) -> bool:
    """The quantity, or a range of the same kind that ends at it (`60 °C` in `-40 to +60 °C`)."""
    kind, low, high, _ = wanted
    return wanted in covered or (low == high and any(k == kind and low in (a, b) for k, a, b, _ in covered))


def _has_quantity(brief: ResearchBrief, text: str) -> bool:
    wanted = quantity_keys(text)
    covered = set().union(*(quantity_keys(r.text) for r in brief.requirements))
    if wanted:
        return all(_within(key, covered) for key in wanted)
    return any(text.casefold() in r.text.casefold() for r in brief.requirements)


def _mentions(items: list[str], text: str) -> bool:
    return any(re.search(re.escape(text), item, re.I) for item in items)


Check = Callable[[ResearchBrief, Any], bool]
CHECKS: dict[str, Check] = {
    "quantities": _has_quantity,
    "standards": lambda brief, doc: doc in _cited(brief),
    "materials": lambda brief, grade: grade in {m.grade for m in brief.materials},
    "not_materials": lambda brief, grade: grade not in {m.grade for m in brief.materials},
    "production": lambda brief, kind: brief.production.type == kind,
    "findings": lambda brief, rule: rule in {f.rule for f in brief.findings},
    "questions": lambda brief, words: _mentions(brief.open_questions, words),
    "risks": lambda brief, words: _mentions(brief.risks, words),
}


def score(brief: ResearchBrief, expect: dict[str, Any]) -> dict[str, Any]:
    """Checklist items met and missed by one brief."""
    met, missed = [], []
    for key, values in expect.items():
        for value in values if isinstance(values, list) else [values]:
            (met if CHECKS[key](brief, value) else missed).append(f"{key}: {value}")
    total = len(met) + len(missed)
    return {"met": len(met), "items": total, "coverage": len(met) / total if total else 1.0, "missed": missed}


EVAL_HOME = Path(tempfile.gettempdir()) / "prepro-research-eval"


def _helper(fresh: bool) -> Assistant:
    """The configured assistant when its knowledge base has documents, else one on the shipped corpus.

    The shipped corpus is indexed into a home kept in the temporary folder, so that a second run re-indexes only
    the documents that changed; `fresh` starts it again.
    """
    helper = Assistant(Settings())
    if not fresh and helper.sources():
        return helper
    if fresh and EVAL_HOME.exists():
        shutil.rmtree(EVAL_HOME)
    helper = Assistant(Settings(home=EVAL_HOME))
    helper.ingest([knowledge_dir() / "corpus"])
    return helper


def evaluate(
    helper: Assistant, provider: str | None = None, only: frozenset[str] = frozenset(), dataset: Path = DATASET
) -> dict[str, Any]:
    """Draft and score every request of the dataset (or the `only` ones); rows and the overall coverage."""
    entries = yaml.safe_load(dataset.read_text(encoding="utf-8"))["requests"]
    rows = []
    for entry in entries:
        if only and entry["id"] not in only:
            continue
        request = {k: v for k, v in entry.items() if k != "expect"}
        started = time.perf_counter()
        brief = helper.draft("research", request, provider=provider)
        row = {"id": entry["id"], **score(brief, entry["expect"])}
        row["seconds"] = round(time.perf_counter() - started, 2)
        row["errors"] = sorted({f.rule for f in brief.findings if f.severity == "error"})
        row["provider"] = brief.provider
        rows.append(row)
    met, items = sum(r["met"] for r in rows), sum(r["items"] for r in rows)
    return {"requests": len(rows), "met": met, "items": items, "coverage": met / items if items else 1.0, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provider", default="offline")
    parser.add_argument("--only", default="", help="comma-separated request ids (e.g. to time an LLM on a few)")
    parser.add_argument("--fresh", action="store_true", help="index the shipped corpus again into the eval home")
    parser.add_argument("--holdout", action="store_true", help="score the held-out requests written blind to the stage")
    args = parser.parse_args()
    only = frozenset(p.strip() for p in args.only.split(",") if p.strip())
    report = evaluate(_helper(args.fresh), args.provider, only, HOLDOUT if args.holdout else DATASET)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "research.json").write_text(json.dumps(report, indent=2))
    print("| request | coverage | met / items | seconds | error findings | missed |")
    print("|---|---|---|---|---|---|")
    for r in report["rows"]:
        print(
            f"| {r['id']} | {r['coverage']:.2f} | {r['met']}/{r['items']} | {r['seconds']:.2f} | "
            f"{', '.join(r['errors']) or '-'} | {'; '.join(r['missed']) or '-'} |"
        )
    print(
        f"\n{report['requests']} requests ({args.provider}): checklist coverage {report['coverage']:.3f} "
        f"({report['met']}/{report['items']} items)"
    )


if __name__ == "__main__":
    main()
