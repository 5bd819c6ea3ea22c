"""Stage inputs from files: the sample inputs prepro ships (evals/datasets) and files a person uploads,
read by the stage's own reader (a part spec from YAML, JSON or CSV; a plan from YAML or JSON)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.resources import shipped_datasets
from assistant.stages.registry import get_stage

SAMPLES: dict[str, tuple[str, ...]] = {  # globs under the shipped datasets, one input per file
    "routing": ("parts/*.yaml", "routing/parts/*.yaml"),
    "design": ("parts/*.yaml", "design/parts/*.yaml"),
    "organization": ("organization/*.yaml",),
    "research": (),
}


def samples(stage: str) -> dict[str, Path]:
    """The sample inputs of a stage by name (`SH-001`), first of each name kept (none without shipped datasets)."""
    get_stage(stage)
    found: dict[str, Path] = {}
    root = shipped_datasets()
    if root is None:
        return found
    for pattern in SAMPLES.get(stage, ()):
        for path in sorted(root.glob(pattern)):
            found.setdefault(path.stem, path)
    return found


def read_one(stage: str, path: Path) -> Any:
    """The one raw input a file holds (relative paths in a plan resolved against the file's folder)."""
    records = get_stage(stage).read_inputs(path)
    if len(records) != 1:
        raise InputError(f"{path.name}: holds {len(records)} inputs; give a file with one (or use `prepro batch`)")
    return records[0][1]


def read_upload(stage: str, name: str, data: bytes) -> Any:
    """The one raw input of an uploaded file, read like a file of that name."""
    with tempfile.TemporaryDirectory(prefix="prepro-upload-") as folder:
        path = Path(folder) / (Path(name).name or "input")
        path.write_bytes(data)
        return read_one(stage, path)
