"""Research eval: the `research` suite of `prepro eval` (assistant/evaluation/suites/research.py), each request's
brief scored against its checklist; retrieval runs on the shipped corpus indexed under PREPRO_HOME/evals.

Run:  .venv/bin/python -m evals.run_research [--provider offline] [--only RQ-01,RQ-02] [--holdout]
"""

from __future__ import annotations

import argparse

from evals.suite_table import print_suite, run_suite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provider", default="offline")
    parser.add_argument("--only", default="", help="comma-separated request ids (e.g. to time an LLM on a few)")
    parser.add_argument("--holdout", action="store_true", help="score the held-out requests written blind to the stage")
    args = parser.parse_args()
    only = tuple(p.strip() for p in args.only.split(",") if p.strip())
    tags = ("holdout",) if args.holdout else ("own",)
    print_suite(run_suite("research", args.provider, tags=tags, cases=only), ("items", "missed"))


if __name__ == "__main__":
    main()
