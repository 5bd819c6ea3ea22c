"""Locate the data that ships with prepro: prompts, the knowledge corpus and catalogues, and the datasets."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """Folder of shipped data: inside the installed package, or at the top of a source checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"prepro's '{name}' folder is missing from the installation; reinstall prepro")


def knowledge_dir() -> Path:
    """The shipped knowledge base (corpus/ and catalog/)."""
    return shipped("knowledge")


def catalog_dir() -> Path:
    """The shipped machine-readable catalogues."""
    return knowledge_dir() / "catalog"


def prompts_dir() -> Path:
    """The shipped prompt templates."""
    return shipped("prompts")


def shipped_datasets() -> Path | None:
    """The shipped datasets (sample inputs, eval cases): a checkout's evals/datasets, or the installed copy
    (assistant/evaldata/datasets); None when neither is there."""
    for candidate in (_PACKAGE.parent / "evals" / "datasets", _PACKAGE / "evaldata" / "datasets"):
        if candidate.is_dir():
            return candidate
    return None
