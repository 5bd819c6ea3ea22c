"""Where the eval harness finds datasets and shared benchmark data, and where it keeps runs and its index."""

from __future__ import annotations

from pathlib import Path

from assistant.resources import shipped_datasets

_PACKAGE = Path(__file__).resolve().parent.parent  # assistant/


def shared_data(name: str) -> Path:
    """A folder of the public data beside the checkout (../shared/realdocs, ../shared/benchmarks/salbp)."""
    return _PACKAGE.parent.parent / "shared" / name


def evals_home(home: Path) -> Path:
    """PREPRO_HOME/evals: one folder per run, the eval index, the user's own datasets."""
    return home / "evals"


def user_datasets(home: Path) -> Path:
    """Where a user drops their own case files: PREPRO_HOME/evals/datasets/<suite>/*.jsonl."""
    return evals_home(home) / "datasets"


def dataset_roots(home: Path, extra: Path | None = None) -> list[Path]:
    """The datasets folders a run reads, shipped first: shipped, the user's, and an extra one if given."""
    roots = [root for root in (shipped_datasets(), user_datasets(home), extra) if root is not None and root.is_dir()]
    return list(dict.fromkeys(roots))
