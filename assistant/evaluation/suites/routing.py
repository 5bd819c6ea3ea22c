"""Routing suite: route cards drafted for the core parts (hand-built reference routes) and the technologist-review
parts (references written by a reviewer briefed as a senior technologist, independently of the engine), scored on
constraint satisfaction, operation kinds, sequence, and the review rules a senior technologist checks first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant.evaluation.bench import Bench
from assistant.evaluation.cases import Case, Source
from assistant.evaluation.metrics import NotApplicable, Score, lcs_agreement, multiset_precision_recall
from assistant.evaluation.suites.base import CaseResult, MetricSpec, Suite
from assistant.stages.routing.model import RoutingRule

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
WRONG_SPEC = "wrong-spec"


def _stage_group(stage: str | None) -> str:
    return {"semi_finish": "finish"}.get(stage or "", stage or "")


def yaml_cases(root: Path) -> tuple[list[Case], list[Path]]:
    """The core (references.yaml) and review (review_references.yaml) parts, each with its reference route."""
    folder = root / "routing"
    files = [folder / "references.yaml", folder / "review_references.yaml"]
    if not all(f.is_file() for f in files):
        return [], []
    core = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    review = yaml.safe_load(files[1].read_text(encoding="utf-8"))
    routes = {pid: ("core", ops) for pid, ops in core.items()}
    routes |= {pid: ("review", entry["operations"]) for pid, entry in review.items()}
    cases = []
    for pid, (group, ops) in sorted(routes.items()):
        tags = (group,) if ops else (group, WRONG_SPEC)
        steps = [{"kind": s["kind"], "stage": s.get("stage")} for s in ops]
        cases.append(Case(pid, tags, f"parts/{pid}.yaml", {"operations": steps}, folder))
    return cases, [*files, *sorted((folder / "parts").glob("*.yaml"))]


def score_draft(draft: Any, reference: list[dict[str, Any]], wrong_spec: bool) -> dict[str, Score]:
    """Metrics of one route card against its reference route (a wrong spec is scored on being caught)."""
    errors = [f for f in draft.findings if f.severity == "error"]
    if wrong_spec:
        why = NotApplicable("deliberately wrong spec: no reference route")
        names = ("satisfied", "kind_precision", "kind_recall", "sequence", "sequence_with_stage", "review_clean")
        return {**dict.fromkeys(names, why), "spec_error_caught": float(bool(errors))}
    kinds = [op.kind for op in draft.operations]
    ref_kinds = [step["kind"] for step in reference]
    staged = [f"{op.kind}:{_stage_group(op.stage)}" for op in draft.operations]
    ref_staged = [f"{s['kind']}:{_stage_group(s.get('stage'))}" for s in reference]
    precision, recall = multiset_precision_recall(kinds, ref_kinds)
    return {
        "satisfied": float(not errors),
        "kind_precision": precision,
        "kind_recall": recall,
        "sequence": lcs_agreement(kinds, ref_kinds),
        "sequence_with_stage": lcs_agreement(staged, ref_staged),
        "review_clean": float(not any(f.rule in REVIEW_RULES for f in draft.findings)),
        "spec_error_caught": NotApplicable("a correct spec"),
    }


def score(bench: Bench, case: Case) -> CaseResult:
    """Draft the part's route card and score it."""
    source = case.path(case.input) if isinstance(case.input, str) else case.input
    draft = bench.drafter().draft("routing", source, provider=bench.provider)
    reference = (case.expected or {}).get("operations") or []
    scores = score_draft(draft, reference, WRONG_SPEC in case.tags or not reference)
    detail = {
        "operations": len(draft.operations),
        "reference_operations": len(reference),
        "error_rules": sorted({str(f.rule) for f in draft.findings if f.severity == "error"}),
        "setup_min": round(sum(op.setup_time_min or 0.0 for op in draft.operations), 3),
    }
    return CaseResult(case.id, case.tags, scores, detail)


SUITE = Suite(
    name="routing",
    summary="route cards against reference routes (core) and a senior technologist's routes (review)",
    metrics=(
        MetricSpec("satisfied", "the validators find no error in the draft"),
        MetricSpec("kind_precision", "operation kinds of the draft that the reference has (multiset)"),
        MetricSpec("kind_recall", "operation kinds of the reference that the draft has (multiset)"),
        MetricSpec("sequence", "longest common subsequence of kinds over the longer route"),
        MetricSpec("sequence_with_stage", "the same over kind:stage"),
        MetricSpec("review_clean", "no finding of the senior technologist's review rules"),
        MetricSpec("spec_error_caught", "a deliberately wrong spec carries an error finding"),
    ),
    sources=(Source("routing/*.jsonl"),),
    score=score,
    yaml_cases=yaml_cases,
)
