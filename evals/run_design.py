"""Design eval: the `design` suite of `prepro eval` (assistant/evaluation/suites/design.py) on the own cases and
the shipped sample parts, with the figures per review rule.

Run:  .venv/bin/python -m evals.run_design [--provider offline]
`evaluate` keeps the report the regression test reads (tests/test_design_eval.py).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from typing import Any

from assistant.api import Assistant
from evals.suite_table import print_suite, run_suite

GATES = {"recall": 0.95, "precision": 0.90, "false_error_rate_max": 0.0}


def _pooled(metric: dict[str, Any]) -> float:
    return float(metric.get("value", 1.0 if metric["n"] == 0 else 0.0))


def evaluate(helper: Assistant, provider: str | None = None) -> dict[str, Any]:
    """The own cases' recall, precision and false-error rate, the planted defects per rule, the shipped parts."""
    suite = run_suite("design", provider or "offline", tags=("own", "shipped"), settings=helper.settings)
    own = [c for c in suite["cases"] if "own" in c["tags"]]
    shipped = [c for c in suite["cases"] if "shipped" in c["tags"]]
    rules: dict[str, dict[str, int]] = defaultdict(lambda: {"planted": 0, "found": 0})
    for case in own:
        for d in case["detail"]["defects"]:
            if d["must_fire"]:
                rules[d["rules"][0]]["planted"] += 1
                rules[d["rules"][0]]["found"] += d["found"]
    metrics = suite["aggregates"]["own"]["metrics"]
    return {
        "cases": len(own),
        "recall": _pooled(metrics["recall"]),
        "precision": _pooled(metrics["precision"]),
        "false_error_rate": _pooled(metrics["false_error"]),
        "must_not_fire_kept": _pooled(metrics["kept_silent"]) == 1.0,
        "rules": dict(sorted(rules.items())),
        "shipped_with_error": [
            c["id"] for c in shipped if "wrong-spec" not in c["tags"] and c["scores"]["false_error"] != 0.0
        ],
        "wrong_specs_caught": [c["id"].split("/")[-1] for c in shipped if c["scores"]["spec_error_caught"] == 1.0],
        "rows": suite["cases"],
        "suite": suite,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provider", default="offline")
    args = parser.parse_args()
    report = evaluate(Assistant(), args.provider)
    print_suite(report["suite"], ("findings",))
    print("\n| rule | planted | found |\n|---|---|---|")
    for rule, e in report["rules"].items():
        print(f"| {rule} | {e['planted']} | {e['found']} |")
    print(
        f"\nshipped parts with an error: {', '.join(report['shipped_with_error']) or 'none'}; caught: {report['wrong_specs_caught']}"
    )


if __name__ == "__main__":
    main()
