"""Routing eval: draft every part of the dataset and score it against the hand-built reference routes.

Per part: constraint satisfaction (validators find no error), operation-kind precision and recall (multisets),
sequence agreement (longest common subsequence of kinds, and of kind+stage), validator findings, operations and
setup time per part, and "technologist review": no violation of the rules a senior technologist checks first
(route-review-rules.md). Two groups: the core parts (references.yaml, the gates apply) and the technologist-review
parts (2xx, review_references.yaml, written by a reviewer briefed as a senior technologist, independently of
the engine). A reference without operations marks a deliberately wrong specification: the draft must carry an
error finding.
Run:  .venv/bin/python -m evals.run_routing [--provider offline] [--gate] [--only HS-101,SH-102]
Prints a Markdown table and writes evals/reports/routing.json; --gate exits 1 below the thresholds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import yaml

from assistant.api import Assistant
from assistant.config import Settings
from assistant.stages.routing.model import RoutingDraft, RoutingRule
from assistant.store import llm_log
from evals.metrics import kind_precision_recall, sequence_agreement

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "evals" / "datasets" / "routing"
REPORTS = ROOT / "evals" / "reports"
GATES = {"satisfied": 0.95, "kind_precision": 0.85, "kind_recall": 0.85, "sequence": 0.80}
REVIEW_RULES = frozenset(
    {
        RoutingRule.MACHINE_PART_CLASS,
        RoutingRule.THREAD_CLASS_NOT_IT,
        RoutingRule.FEATURE_WITHIN_ENVELOPE,
        RoutingRule.NITRIDING_ROUTE,
        RoutingRule.DRILLED_ONLY,
        RoutingRule.IMPROVEMENT_BEFORE_INDUCTION,
        RoutingRule.AGEING_CASTINGS,
        RoutingRule.STRAIGHTENING,
        RoutingRule.CENTRE_HOLES_AFTER_HT,
        RoutingRule.GAUGE_MATCHES_FIT,
        RoutingRule.CASE_PROTECTION,
        RoutingRule.SPINDLE_LIMITS,
        RoutingRule.BLANK_KIND,
        RoutingRule.TUBE_BORE,
        RoutingRule.BORE_LIMITS,
        RoutingRule.POSITIONAL_ONE_SETUP,
        RoutingRule.LINE_BORING,
        RoutingRule.CENTRELESS_DATUM,
        RoutingRule.SPINDLE_POWER,
        RoutingRule.BORE_DATUM_FIRST,
        RoutingRule.TOOTH_CHAMFERING,
    }
)
MEANS = ("satisfied", "kind_precision", "kind_recall", "sequence", "sequence_with_stage", "review_clean")


def _stage_group(stage: str | None) -> str:
    return {"semi_finish": "finish"}.get(stage or "", stage or "")


def score(draft: RoutingDraft, reference: list[dict]) -> dict:
    """Metrics of one draft against its reference route."""
    kinds = [op.kind for op in draft.operations]
    ref_kinds = [step["kind"] for step in reference]
    staged = [f"{op.kind}:{_stage_group(op.stage)}" for op in draft.operations]
    ref_staged = [f"{s['kind']}:{_stage_group(s.get('stage'))}" for s in reference]
    precision, recall = kind_precision_recall(kinds, ref_kinds)
    errors = [f for f in draft.findings if f.severity == "error"]
    return {
        "part": draft.part_id,
        "operations": len(kinds),
        "reference_operations": len(ref_kinds),
        "satisfied": not errors,
        "kind_precision": precision,
        "kind_recall": recall,
        "sequence": sequence_agreement(kinds, ref_kinds),
        "sequence_with_stage": sequence_agreement(staged, ref_staged),
        "errors": len(errors),
        "warnings": sum(f.severity == "warning" for f in draft.findings),
        "error_rules": sorted({f.rule for f in errors}),
        "review_clean": not any(f.rule in REVIEW_RULES for f in draft.findings),
        "setup_min": sum(op.setup_time_min or 0.0 for op in draft.operations),
    }


def references() -> dict[str, tuple[str, list[dict]]]:
    """Reference operations of every part, with its group (core or review)."""
    core = yaml.safe_load((DATASET / "references.yaml").read_text(encoding="utf-8"))
    review = yaml.safe_load((DATASET / "review_references.yaml").read_text(encoding="utf-8"))
    return {pid: ("core", ops) for pid, ops in core.items()} | {
        pid: ("review", entry["operations"]) for pid, entry in review.items()
    }


def _means(rows: list[dict]) -> dict[str, float]:
    scored = [r for r in rows if r["reference_operations"]]
    means = {key: statistics.mean(float(r[key]) for r in scored) for key in MEANS} if scored else {}
    if scored:
        means["operations"] = statistics.mean(r["operations"] for r in scored)
        means["setup_min"] = statistics.mean(r["setup_min"] for r in scored)
        means["seconds"] = statistics.mean(r["seconds"] for r in scored)
        means["tokens"] = statistics.mean(r["tokens"] for r in scored)
    return means


def evaluate(helper: Assistant, provider: str | None = None, only: frozenset[str] = frozenset()) -> dict:
    """Score every part of the dataset (or the `only` ones); returns per-part rows and their means per group."""
    known = references()
    rows = []
    for path in sorted((DATASET / "parts").glob("*.yaml")):
        if only and path.stem not in only:
            continue
        logged = len(llm_log.calls(helper.index.store))
        started = time.perf_counter()
        draft = helper.draft("routing", path, provider=provider)
        calls = llm_log.calls(helper.index.store)[logged:]
        group, reference = known[draft.part_id]
        row = score(draft, reference) | {
            "group": group,
            "seconds": round(time.perf_counter() - started, 2),
            "llm_calls": len(calls),
            "tokens": sum(c.prompt_tokens + c.completion_tokens for c in calls),
        }
        if not reference:  # a deliberately wrong spec: caught when the draft carries an error
            row["spec_error_caught"] = not row["satisfied"]
        rows.append(row)
    groups = {g: [r for r in rows if r["group"] == g] for g in ("core", "review")}
    wrong_specs = [r for r in rows if "spec_error_caught" in r]
    return {
        "parts": len(rows),
        "means": _means(groups["core"]),
        "review_means": _means(groups["review"]),
        "wrong_specs_caught": f"{sum(r['spec_error_caught'] for r in wrong_specs)}/{len(wrong_specs)}",
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provider", default="offline")
    parser.add_argument("--gate", action="store_true", help="exit 1 when a mean falls below its threshold")
    parser.add_argument("--only", default="", help="comma-separated part ids (e.g. to time an LLM on a few parts)")
    args = parser.parse_args()
    only = frozenset(p.strip() for p in args.only.split(",") if p.strip())
    report = evaluate(Assistant(Settings()), args.provider, only)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "routing.json").write_text(json.dumps(report, indent=2))
    print("| part | ops (ref) | satisfied | kind P | kind R | sequence | seq+stage | errors | warnings |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in report["rows"]:
        print(
            f"| {r['part']} | {r['operations']} ({r['reference_operations']}) | {'yes' if r['satisfied'] else 'no'} | "
            f"{r['kind_precision']:.2f} | {r['kind_recall']:.2f} | {r['sequence']:.2f} | "
            f"{r['sequence_with_stage']:.2f} | {r['errors']} {','.join(r['error_rules'])} | {r['warnings']} |"
        )
    for title, m in (("core parts", report["means"]), ("technologist-review parts", report["review_means"])):
        if not m:
            continue
        print(
            f"\n{title}: constraint satisfaction {m['satisfied']:.3f}, kind precision {m['kind_precision']:.3f}, "
            f"kind recall {m['kind_recall']:.3f}, sequence agreement {m['sequence']:.3f} (with stages "
            f"{m['sequence_with_stage']:.3f}), technologist review {m['review_clean']:.3f}, "
            f"{m['operations']:.1f} operations and {m['setup_min']:.0f} min setup per part; "
            f"{m['seconds']:.2f} s and {m['tokens']:.0f} LLM tokens per draft"
        )
    print(f"deliberately wrong specifications caught: {report['wrong_specs_caught']}")
    m = report["means"]
    failed = [k for k, floor in GATES.items() if m[k] < floor]
    if args.gate and failed:
        print(f"gate failed: {', '.join(f'{k} {m[k]:.3f} < {GATES[k]}' for k in failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
