"""Routing eval: the `routing` suite of `prepro eval` (assistant/evaluation/suites/routing.py).

Run:  .venv/bin/python -m evals.run_routing [--provider offline] [--only HS-101,SH-102]
Same as `prepro eval run --suite routing [--case ...]`; prints per-part rows and the aggregates per group (core,
review).
"""

from __future__ import annotations

import argparse

from assistant.evaluation.suites.routing import REVIEW_RULES
from evals.suite_table import print_suite, run_suite

__all__ = ["REVIEW_RULES", "main"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provider", default="offline")
    parser.add_argument("--only", default="", help="comma-separated part ids (e.g. to time an LLM on a few parts)")
    args = parser.parse_args()
    only = tuple(p.strip() for p in args.only.split(",") if p.strip())
    print_suite(run_suite("routing", args.provider, cases=only), ("operations", "reference_operations", "error_rules"))


if __name__ == "__main__":
    main()
