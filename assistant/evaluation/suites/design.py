"""Design suite: the design-for-manufacture review on planted defects (own cases written with the rules, held-out
cases written blind to them) and on the shipped sample parts, which must raise no error (SH-299, deliberately
wrong, must). A planted defect is found by a warning or error of its rule on its feature (a part-level one: on no
feature, and by its message when the case gives one), never by rule id alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant.evaluation.bench import Bench
from assistant.evaluation.cases import Case, Source
from assistant.evaluation.metrics import NotApplicable, Score, ratio
from assistant.evaluation.suites.base import CaseResult, MetricSpec, Suite
from assistant.stages.design.model import DFM_RULES

CLASS_RULES = {
    "roughness-vs-tolerance": ["ra-vs-it"],
    "hardness": ["hardness-unreachable"],
    "blank": ["blank-unsuitable"],
    "envelope": ["feature-outside-envelope"],
    "deep-hole": ["deep-hole"],
    "thread-or-keyway-series": ["thread-series", "keyway-series"],
    "tolerance-vs-equipment": ["tolerance-beyond-equipment"],
    "tolerance-vs-function": ["tolerance-tighter-than-function"],
    "fit-vs-function": ["fit-contradicts-function"],
}
WRONG_SPECS = frozenset({"SH-299"})  # deliberately inconsistent: an error is expected there
SHIPPED = ("parts", "routing/parts")


def _rules(entry: dict[str, Any]) -> list[str]:
    if "rule" in entry:
        return [entry["rule"]]
    classes = [entry["class"], *([entry["also_class"]] if entry.get("also_class") else [])]
    return sorted({rule for c in classes for rule in CLASS_RULES[c]})


def _defect(entry: dict[str, Any]) -> dict[str, Any]:
    keep = {k: entry.get(k) for k in ("feature", "severity", "message")}
    return keep | {"rules": _rules(entry), "must_fire": entry.get("must_fire", True)}


def _case(pid: str, tags: tuple[str, ...], part: str, entry: dict[str, Any], folder: Path) -> Case:
    expected = {
        "clean": bool(entry.get("clean")),
        "shipped": bool(entry.get("shipped")),
        "defects": [_defect(d) for d in entry.get("defects") or []],
        "acceptable": [_defect(w) for w in entry.get("acceptable_warnings") or [] if isinstance(w, dict)],
    }
    return Case(pid, tags, part, expected, folder)


def yaml_cases(root: Path) -> tuple[list[Case], list[Path]]:
    """Own cases (design/design_cases.yaml), held-out ones (design_holdout/cases.yaml), the shipped sample parts."""
    cases: list[Case] = []
    files: list[Path] = []
    for folder, name, tag in (("design", "design_cases.yaml", "own"), ("design_holdout", "cases.yaml", "holdout")):
        path = root / folder / name
        if not path.is_file():
            continue
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = loaded["cases"] if isinstance(loaded, dict) else loaded
        for entry in entries:
            part = f"parts/{entry['part']}"
            cases.append(_case(Path(entry["part"]).stem, (tag,), part, entry, path.parent))
        files += [path, *sorted((path.parent / "parts").glob("*.yaml"))]
    for folder in SHIPPED:
        for path in sorted((root / folder).glob("*.yaml")):
            wrong = path.stem in WRONG_SPECS
            tags = ("shipped", "wrong-spec") if wrong else ("shipped",)
            entry = {"clean": not wrong, "shipped": True}
            cases.append(_case(f"shipped/{path.stem}", tags, path.name, entry, path.parent))
            files.append(path)
    return cases, files


def _matches(found: Any, defect: dict[str, Any]) -> bool:
    if found.rule not in defect["rules"] or found.feature != defect.get("feature"):
        return False
    wanted = defect.get("message")
    return defect.get("feature") is not None or not wanted or wanted.lower() in found.message.lower()


def score_review(findings: list[Any], expected: dict[str, Any], wrong_spec: bool) -> dict[str, Score]:
    """Metrics of one part's review findings (DFM rules, warning or error) against its planted defects."""
    planted = [d for d in expected.get("defects", []) if d["must_fire"]]
    silent = [d for d in expected.get("defects", []) if not d["must_fire"]]
    found = [d for d in planted if any(_matches(f, d) for f in findings)]
    accepted = [f for f in findings if any(_matches(f, d) for d in [*planted, *expected.get("acceptable", [])])]
    stray_errors = [f for f in findings if f.severity == "error" and f not in accepted]
    agree = [d for d in found if d.get("severity") in {None, *(str(f.severity) for f in findings if _matches(f, d))}]
    clean = expected.get("clean") and not wrong_spec
    return {
        "recall": ratio(len(found), len(planted), "no planted defect"),
        "precision": NotApplicable("a shipped sample part: no defects declared")
        if expected.get("shipped")
        else ratio(len(accepted), len(findings), "no review finding"),
        "false_error": float(bool(stray_errors)) if clean else NotApplicable("not a clean part"),
        "severity_agreement": ratio(len(agree), len(found), "no planted defect found"),
        "kept_silent": ratio(sum(not any(_matches(f, d) for f in findings) for d in silent), len(silent), "none"),
        "spec_error_caught": float(any(f.severity == "error" for f in findings))
        if wrong_spec
        else NotApplicable("a correct spec"),
    }


def score(bench: Bench, case: Case) -> CaseResult:
    """Draft the part's design review and score its findings."""
    source = case.path(case.input) if isinstance(case.input, str) else case.input
    draft = bench.drafter().draft("design", source, provider=bench.provider)
    findings = [f for f in draft.findings if f.rule in DFM_RULES and f.severity in {"warning", "error"}]
    scores = score_review(findings, case.expected or {}, "wrong-spec" in case.tags)
    defects = [
        {
            "rules": d["rules"],
            "feature": d.get("feature"),
            "must_fire": d["must_fire"],
            "found": any(_matches(f, d) for f in findings),
        }
        for d in (case.expected or {}).get("defects", [])
    ]
    detail = {"findings": sorted(f"{f.severity} {f.rule} {f.feature or '-'}" for f in findings), "defects": defects}
    return CaseResult(case.id, case.tags, scores, detail)


SUITE = Suite(
    name="design",
    summary="design-for-manufacture review: planted defects (own, held-out), shipped parts without error",
    metrics=(
        MetricSpec("recall", "planted defects found, over planted (pooled)"),
        MetricSpec("precision", "review findings that are a planted defect or an accepted warning (pooled)"),
        MetricSpec("false_error", "a clean part gets an error finding", higher_is_better=False),
        MetricSpec("severity_agreement", "found defects at the severity the case expects (pooled)"),
        MetricSpec("kept_silent", "boundary findings that must not fire and did not (pooled)"),
        MetricSpec("spec_error_caught", "a deliberately wrong spec carries an error finding"),
    ),
    sources=(Source("design/*.jsonl"),),
    score=score,
    yaml_cases=yaml_cases,
)
