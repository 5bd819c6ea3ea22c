"""Design review on the held-out cases (evals/datasets/design_holdout/), written blind to the reviewer: the
`design` suite of `prepro eval`, tag `holdout` (assistant/evaluation/suites/design.py).

Run:  .venv/bin/python -m evals.run_design_holdout [--provider offline]
"""

from __future__ import annotations

import argparse

from evals.suite_table import print_suite, run_suite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--provider", default="offline")
    args = parser.parse_args()
    print_suite(run_suite("design", args.provider, tags=("holdout",)), ("findings",))


if __name__ == "__main__":
    main()
