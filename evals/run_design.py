"""Design eval: draft every case of the design dataset and score the design-for-manufacture review.

Each case (evals/datasets/design/design_cases.yaml) is a part spec: a clean part, which must raise no error, or a
clean part with planted defects, each `{feature, rule, severity, must_fire}`. A planted defect is found when the
draft carries a warning or error of that rule on that feature; a part-level defect (feature null) is found by rule
and, when the case gives one, by a `message` substring of the finding. Matching is never by rule id alone.

Figures: recall per rule (planted defects found), severity agreement of the found ones, false-error rate (clean
parts with an error), precision (review findings of warning or error severity that match a planted defect, over
all of them on the dataset), and the shipped sample parts (evals/datasets/parts, routing parts) with an error.
Run:  .venv/bin/python -m evals.run_design [--provider offline] [--gate]
Prints a Markdown table and writes evals/reports/design.json; --gate exits 1 below the thresholds.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from assistant.api import Assistant
from assistant.config import Settings
from assistant.stages.design.model import DFM_RULES, DesignDraft
from assistant.stages.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "evals" / "datasets" / "design"
SHIPPED = (ROOT / "evals" / "datasets" / "parts", ROOT / "evals" / "datasets" / "routing" / "parts")
WRONG_SPECS = frozenset({"SH-299"})  # deliberately inconsistent: an error is expected there
REPORTS = ROOT / "evals" / "reports"
GATES = {"recall": 0.95, "precision": 0.90, "false_error_rate_max": 0.0}


def _review(draft: DesignDraft) -> list[Finding]:
    """The draft's review findings that count: DFM rules, warning or error."""
    return [f for f in draft.findings if f.rule in DFM_RULES and f.severity in {"warning", "error"}]


def matches(found: Finding, defect: dict[str, Any]) -> bool:
    """A finding is the planted defect: same rule and feature; a part-level one also by its message substring."""
    if found.rule != defect["rule"] or found.feature != defect.get("feature"):
        return False
    wanted = defect.get("message")
    return defect.get("feature") is not None or not wanted or wanted.lower() in found.message.lower()


def score_case(draft: DesignDraft, case: dict[str, Any]) -> dict[str, Any]:
    """Which planted defects fired (and at which severity), what else fired, and the errors."""
    findings = _review(draft)
    defects = [
        {
            **d,
            "found": any(matches(f, d) for f in findings),
            "severity_found": next((str(f.severity) for f in findings if matches(f, d)), None),
        }
        for d in case.get("defects", [])
    ]
    expected = [d for d in defects if d.get("must_fire", True)]
    matched = [f for f in findings if any(matches(f, d) for d in expected)]
    return {
        "part": draft.part_id,
        "clean": bool(case.get("clean")),
        "defects": defects,
        "findings": len(findings),
        "matched": len(matched),
        "unexpected": [f"{f.severity} {f.rule} {f.feature or '-'}" for f in findings if f not in matched],
        "errors": sorted({f.rule for f in findings if f.severity == "error"}),
    }


def _per_rule(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = defaultdict(lambda: {"planted": 0, "found": 0, "severity_ok": 0, "silent": 0})
    for row in rows:
        for d in row["defects"]:
            entry = rules[d["rule"]]
            if not d.get("must_fire", True):
                entry["silent"] += 0 if d["found"] else 1
                continue
            entry["planted"] += 1
            entry["found"] += d["found"]
            entry["severity_ok"] += d["found"] and d.get("severity") in {None, d["severity_found"]}
    for entry in rules.values():
        entry["recall"] = entry["found"] / entry["planted"] if entry["planted"] else None
    return dict(sorted(rules.items()))


def shipped(helper: Assistant, provider: str | None) -> list[dict[str, Any]]:
    """The sample parts that ship with prepro, and which of them the review gives an error."""
    rows = []
    for folder in SHIPPED:
        for path in sorted(folder.glob("*.yaml")):
            draft = helper.draft("design", path, provider=provider)
            found = _review(draft)
            errors = sorted({f"{f.rule} {f.feature or '-'}" for f in found if f.severity == "error"})
            warnings = sorted({f"{f.rule} {f.feature or '-'}" for f in found if f.severity == "warning"})
            rows.append(
                {
                    "part": draft.part_id,
                    "wrong_spec": draft.part_id in WRONG_SPECS,
                    "errors": errors,
                    "warnings": warnings,
                }
            )
    return rows


def evaluate(helper: Assistant, provider: str | None = None) -> dict[str, Any]:
    """Score every case; returns the rows, per-rule figures and the totals."""
    cases = yaml.safe_load((DATASET / "design_cases.yaml").read_text(encoding="utf-8"))["cases"]
    rows = [
        score_case(helper.draft("design", DATASET / "parts" / case["part"], provider=provider), case) for case in cases
    ]
    planted = [d for r in rows for d in r["defects"] if d.get("must_fire", True)]
    clean = [r for r in rows if r["clean"]]
    findings = sum(r["findings"] for r in rows)
    samples = shipped(helper, provider)
    return {
        "cases": len(rows),
        "recall": sum(d["found"] for d in planted) / len(planted) if planted else 1.0,
        "precision": sum(r["matched"] for r in rows) / findings if findings else 1.0,
        "false_error_rate": sum(bool(r["errors"]) for r in clean) / len(clean) if clean else 0.0,
        "must_not_fire_kept": all(not d["found"] for r in rows for d in r["defects"] if not d.get("must_fire", True)),
        "rules": _per_rule(rows),
        "shipped_parts": len(samples),
        "shipped_with_error": [s for s in samples if s["errors"] and not s["wrong_spec"]],
        "shipped_warnings": sum(len(s["warnings"]) for s in samples),
        "wrong_specs_caught": [s["part"] for s in samples if s["wrong_spec"] and s["errors"]],
        "rows": rows,
    }


def _print(report: dict[str, Any]) -> None:
    print("| part | clean | planted found | findings (matched) | errors | unexpected |")
    print("|---|---|---|---|---|---|")
    for r in report["rows"]:
        planted = [d for d in r["defects"] if d.get("must_fire", True)]
        found = f"{sum(d['found'] for d in planted)}/{len(planted)}" if planted else "-"
        print(
            f"| {r['part']} | {'yes' if r['clean'] else 'no'} | {found} | {r['findings']} ({r['matched']}) | "
            f"{', '.join(r['errors']) or '-'} | {'; '.join(r['unexpected']) or '-'} |"
        )
    print("\n| rule | planted | found | recall | severity as expected |")
    print("|---|---|---|---|---|")
    for rule, e in report["rules"].items():
        recall = f"{e['recall']:.2f}" if e["recall"] is not None else "-"
        print(f"| {rule} | {e['planted']} | {e['found']} | {recall} | {e['severity_ok']}/{e['found']} |")
    print(
        f"\n{report['cases']} cases: recall {report['recall']:.3f}, precision {report['precision']:.3f}, "
        f"false-error rate on clean parts {report['false_error_rate']:.3f}, findings that must not fire kept "
        f"silent: {'yes' if report['must_not_fire_kept'] else 'no'}"
    )
    flagged = ", ".join(f"{s['part']} ({'; '.join(s['errors'])})" for s in report["shipped_with_error"]) or "none"
    print(
        f"shipped sample parts: {report['shipped_parts']}, with an error: {flagged}; warnings on them: "
        f"{report['shipped_warnings']}; deliberately wrong specifications caught: "
        f"{', '.join(report['wrong_specs_caught']) or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provider", default="offline")
    parser.add_argument("--gate", action="store_true", help="exit 1 when a figure falls below its threshold")
    args = parser.parse_args()
    report = evaluate(Assistant(Settings()), args.provider)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "design.json").write_text(json.dumps(report, indent=2))
    _print(report)
    failed = [
        name
        for name, bad in (
            ("recall", report["recall"] < GATES["recall"]),
            ("precision", report["precision"] < GATES["precision"]),
            ("false_error_rate", report["false_error_rate"] > GATES["false_error_rate_max"]),
            ("shipped", bool(report["shipped_with_error"])),
        )
        if bad
    ]
    if args.gate and failed:
        print(f"gate failed: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
