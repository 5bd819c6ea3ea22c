"""Design review on the held-out cases (evals/datasets/design_holdout/), written blind to the reviewer.

The cases name a class of defect, not a rule id; each class maps to the review rules that raise it. A planted
defect is found when a warning or error of one of its rules (or of its `also_class`) sits on its feature (a
part-level defect: on no feature). Clean parts must raise no error; `acceptable_warnings` on them are not counted.
Run:  .venv/bin/python -m evals.run_design_holdout [--provider offline]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from typing import Any

import yaml

from assistant.api import Assistant
from assistant.config import Settings
from assistant.stages.design.model import DFM_RULES, DesignDraft
from assistant.stages.findings import Finding
from evals.run_design import REPORTS, ROOT

DATASET = ROOT / "evals" / "datasets" / "design_holdout"
CLASS_RULES = {
    "roughness-vs-tolerance": {"ra-vs-it"},
    "hardness": {"hardness-unreachable"},
    "blank": {"blank-unsuitable"},
    "envelope": {"feature-outside-envelope"},
    "deep-hole": {"deep-hole"},
    "thread-or-keyway-series": {"thread-series", "keyway-series"},
    "tolerance-vs-equipment": {"tolerance-beyond-equipment"},
    "tolerance-vs-function": {"tolerance-tighter-than-function"},
    "fit-vs-function": {"fit-contradicts-function"},
}


def _rules(defect: dict[str, Any]) -> set[str]:
    classes = [defect["class"], *([defect["also_class"]] if defect.get("also_class") else [])]
    return set().union(*(CLASS_RULES[c] for c in classes))


def _hits(found: Finding, defect: dict[str, Any]) -> bool:
    return found.rule in _rules(defect) and found.feature == defect.get("feature")


def score(draft: DesignDraft, case: dict[str, Any]) -> dict[str, Any]:
    """Planted defects found, findings that match none, errors on a clean part."""
    findings = [f for f in draft.findings if f.rule in DFM_RULES and f.severity in {"warning", "error"}]
    defects = [{**d, "found": next((f for f in findings if _hits(f, d)), None)} for d in case.get("defects") or []]
    allowed = {(w.get("feature"), w.get("rule")) for w in case.get("acceptable_warnings") or [] if isinstance(w, dict)}
    stray = [f for f in findings if not any(_hits(f, d) for d in defects) and (f.feature, f.rule) not in allowed]
    return {
        "part": draft.part_id,
        "clean": bool(case.get("clean")),
        "defects": [
            {
                "class": d["class"],
                "feature": d.get("feature"),
                "severity": d.get("severity"),
                "found": d["found"] is not None,
                "severity_found": str(d["found"].severity) if d["found"] else None,
            }
            for d in defects
        ],
        "stray": [f"{f.severity} {f.rule} {f.feature or '-'}: {f.message[:90]}" for f in stray],
        "clean_error": bool(case.get("clean")) and any(f.severity == "error" for f in stray),
        "findings": len(findings),
        "matched": len(findings) - len(stray),
    }


def evaluate(helper: Assistant, provider: str | None) -> dict[str, Any]:
    """Every held-out case scored; recall per class, precision, false-error rate on clean parts."""
    cases = yaml.safe_load((DATASET / "cases.yaml").read_text(encoding="utf-8"))
    rows = [score(helper.draft("design", DATASET / "parts" / c["part"], provider=provider), c) for c in cases]
    per_class: dict[str, dict[str, int]] = defaultdict(lambda: {"planted": 0, "found": 0, "severity_ok": 0})
    for row in rows:
        for d in row["defects"]:
            entry = per_class[d["class"]]
            entry["planted"] += 1
            entry["found"] += d["found"]
            entry["severity_ok"] += d["found"] and d["severity"] == d["severity_found"]
    planted = [d for r in rows for d in r["defects"]]
    clean = [r for r in rows if r["clean"]]
    findings = sum(r["findings"] for r in rows)
    return {
        "cases": len(rows),
        "recall": sum(d["found"] for d in planted) / len(planted),
        "precision": sum(r["matched"] for r in rows) / findings if findings else 1.0,
        "false_error_rate": sum(r["clean_error"] for r in clean) / len(clean) if clean else 0.0,
        "classes": dict(sorted(per_class.items())),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provider", default="offline")
    args = parser.parse_args()
    report = evaluate(Assistant(Settings()), args.provider)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "design_holdout.json").write_text(json.dumps(report, indent=2))
    print("| part | clean | found | stray findings |")
    print("|---|---|---|---|")
    for r in report["rows"]:
        found = f"{sum(d['found'] for d in r['defects'])}/{len(r['defects'])}" if r["defects"] else "-"
        print(f"| {r['part']} | {'yes' if r['clean'] else 'no'} | {found} | {'; '.join(r['stray']) or '-'} |")
    print("\n| class | planted | found | recall | severity as expected |")
    print("|---|---|---|---|---|")
    for name, e in report["classes"].items():
        print(
            f"| {name} | {e['planted']} | {e['found']} | {e['found'] / e['planted']:.2f} | {e['severity_ok']}/{e['found']} |"
        )
    print(
        f"\n{report['cases']} held-out cases: recall {report['recall']:.3f}, precision {report['precision']:.3f}, "
        f"false-error rate on clean parts {report['false_error_rate']:.3f}"
    )


if __name__ == "__main__":
    main()
