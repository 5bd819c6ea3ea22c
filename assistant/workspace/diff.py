"""A readable difference between two versions of a draft: a unified diff of the pretty JSON, and a summary of
the changed fields per row (an operation by its number, a section by its name, a list item by position)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

KEY_FIELDS = ("number", "id", "code", "name")  # how list items are told apart: the first unique field they all have
SHORT = 60  # characters of a value shown in a summary line


def pretty(value: Any) -> str:
    """The JSON of a value as the diff shows it (two-space indent, key order kept, non-ASCII as is)."""
    return json.dumps(value, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class Change:
    """One change: in a row (`operations 010`, `blank`), a field (`equipment.model`; empty for the whole row)."""

    row: str
    field: str
    kind: str  # changed | added | removed
    before: Any = None
    after: Any = None

    def describe(self) -> str:
        """The change in words: `piece_time_min 1.46 → 2.0`, `tools +"Nozzle"`, `added`, `removed`."""
        if self.kind == "changed" and isinstance(self.before, list) and isinstance(self.after, list):
            gone = [f"-{_short(x)}" for x in self.before if x not in self.after]
            new = [f"+{_short(x)}" for x in self.after if x not in self.before]
            return f"{self.field} {' '.join(gone + new) or 'reordered'}".lstrip()
        if self.kind == "changed":
            return f"{self.field} {_short(self.before)} → {_short(self.after)}".lstrip()
        if not self.field:
            return self.kind
        if self.kind == "added":
            return f"{self.field} added: {_short(self.after)}"
        if self.kind == "removed":
            return f"{self.field} removed (was {_short(self.before)})"
        return self.kind


@dataclass(frozen=True)
class Diff:
    """What changed from one version to another."""

    stage: str
    subject: str
    from_version: int
    to_version: int  # 0: an edit that was not saved (a refused save, compared with the saved version)
    text: str  # unified diff of the pretty JSON
    changes: list[Change] = field(default_factory=list)

    def summary(self) -> list[str]:
        """One line per changed row: `operations 010: piece_time_min 1.46 → 2.0; tools changed`."""
        by_row: dict[str, list[str]] = {}
        for change in self.changes:
            by_row.setdefault(change.row, []).append(change.describe())
        return [f"{row}: {'; '.join(parts)}" for row, parts in by_row.items()]


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def _key_field(items: list[Any]) -> str | None:
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in KEY_FIELDS:
        values = [i.get(key) for i in items]
        if all(isinstance(v, str | int) for v in values) and len(set(values)) == len(values):
            return key
    return None


def _labelled(items: list[Any]) -> Iterator[tuple[str, Any]]:
    key = _key_field(items)
    for n, item in enumerate(items, start=1):
        yield (str(item[key]) if key else f"#{n}"), item


def _leaves(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, value) of every scalar, and of every list of scalars as one value (an empty list has none)."""
    if value == []:
        return
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    elif isinstance(value, list) and any(isinstance(i, dict | list) for i in value):
        for label, item in _labelled(value):
            yield from _leaves(item, (*path, label))
    else:
        yield path, value


def _split(path: tuple[str, ...], value: Any) -> tuple[str, str]:
    """Row and field of a leaf: a top-level list item is a row (`operations 010`), else the top-level key."""
    top = value.get(path[0]) if isinstance(value, dict) and path else None
    depth = 2 if isinstance(top, list) and len(path) > 1 else 1
    return " ".join(path[:depth]) or "(draft)", ".".join(path[depth:])


def changes(before: Any, after: Any) -> list[Change]:
    """The changed fields, row by row; a row only one side has is one `added` or `removed` change."""
    old, new = dict(_leaves(before)), dict(_leaves(after))
    old_rows = {_split(path, before)[0] for path in old}
    new_rows = {_split(path, after)[0] for path in new}
    found: list[Change] = []
    whole: set[str] = set()
    for path in dict.fromkeys([*old, *new]):
        row, name = _split(path, after if path in new else before)
        if (row in old_rows) != (row in new_rows):
            if row not in whole:
                whole.add(row)
                found.append(Change(row, "", "added" if row in new_rows else "removed"))
        elif path not in old:
            found.append(Change(row, name, "added", after=new[path]))
        elif path not in new:
            found.append(Change(row, name, "removed", before=old[path]))
        elif old[path] != new[path]:
            found.append(Change(row, name, "changed", old[path], new[path]))
    return found


def diff(stage: str, subject: str, versions: tuple[int, int], before: Any, after: Any) -> Diff:
    """The difference between two versions' JSON values."""
    first, second = versions
    label = f"{stage}/{subject}"
    lines = difflib.unified_diff(
        pretty(before).splitlines(), pretty(after).splitlines(), f"{label} v{first}", f"{label} v{second}", lineterm=""
    )
    return Diff(stage, subject, first, second, "\n".join(lines), changes(before, after))
