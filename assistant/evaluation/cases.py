"""Eval cases: one format (JSONL lines with id, tags, input, expected), read from the shipped datasets and from
files a user drops next to them; a dataset's hash says whether two runs scored the same cases.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import ConfigError

LONG = "long"  # cases tagged so are left out of a default run


class _CaseLine(BaseModel):
    """One JSONL line as written; `note` is free text for the reader (why a case expects what it does)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    input: Any
    expected: Any = None
    note: str | None = None


@dataclass(frozen=True)
class Case:
    """One case: its id, tags, the stage's input, what is expected, and the folder its relative paths start from."""

    id: str
    tags: tuple[str, ...]
    input: Any
    expected: Any
    base: Path

    def path(self, value: str) -> Path:
        """A path the case gives, relative to its dataset file's folder."""
        return (self.base / value).resolve()


@dataclass(frozen=True)
class Source:
    """Files of a suite's dataset (a glob under a datasets folder), tags every case of them gets, and which cases
    a default run takes: all, or every `default_every`-th (the others are tagged long)."""

    pattern: str
    tags: tuple[str, ...] = ()
    default_every: int = 1


def read_jsonl(path: Path, extra_tags: Sequence[str] = (), default_every: int = 1) -> list[Case]:
    """The cases of one JSONL file; a bad line is an error naming the file, line and field."""
    cases = []
    lines = [(n, line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
    for position, (number, line) in enumerate(lines):
        try:
            row = _CaseLine.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise ConfigError(f"{path}:{number}: not an eval case (id, tags, input, expected): {_first(exc)}") from exc
        tags = [*row.tags, *extra_tags] + ([LONG] if position % default_every else [])
        cases.append(Case(row.id, tuple(dict.fromkeys(tags)), row.input, row.expected, path.parent))
    return cases


def _first(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        return f"{'.'.join(str(p) for p in error['loc']) or 'line'}: {error['msg']}"
    return str(exc)


def source_files(roots: Sequence[Path], sources: Iterable[Source]) -> list[tuple[Path, Source]]:
    """Every file of the sources under every root (shipped datasets first, then the user's), in a fixed order."""
    found = []
    for root in roots:
        for source in sources:
            found += [(path, source) for path in sorted(root.glob(source.pattern)) if path.is_file()]
    return found


def unique(cases: Sequence[Case], where: str) -> list[Case]:
    """The cases sorted by id; two cases with one id are an error naming it."""
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise ConfigError(f"{where}: two cases have the id {case.id!r}; ids must be unique within a suite")
        seen.add(case.id)
    return sorted(cases, key=lambda c: c.id)


def select(cases: Sequence[Case], tags: Sequence[str], long: bool, ids: Sequence[str] = ()) -> list[Case]:
    """Cases with any of `tags` and among `ids` (each filter when given); without either filter, the cases tagged
    long only when `long` (a tag or an id asked for selects its long cases too)."""
    chosen = [c for c in cases if (not tags or set(tags) & set(c.tags)) and (not ids or c.id in ids)]
    return [c for c in chosen if long or tags or ids or LONG not in c.tags]


def files_hash(paths: Iterable[Path]) -> str:
    """SHA-256 over the files' names and bytes, in sorted order (the dataset or corpus a run used)."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
