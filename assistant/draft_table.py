"""A stored draft as an editable table of its rows (routing operations, organization stations, design findings,
research requirements), the findings that concern each row, and a person's table edits put back into the draft.

One `TableSpec` per stage says which list of the draft's JSON the rows are, how findings name a row, and the
columns: a header people read, the dotted path of the field, and how the cell is written (lists as `a; b`).
Rows carry their position in the draft (column `ROW`, hidden in the UI), so a row the reviewer added (no
position) is told from an edited one, and a row left out of the table is removed from the draft.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.errors import InputError
from assistant.stages.findings import Finding, Severity, merge_findings

ROW = "#"  # the row's position in the draft's list (None for an added row)
FINDINGS = "Findings"  # the read-only column of the findings that concern the row
LIST_SEPARATOR = "; "
MARK = {Severity.ERROR: "⛔", Severity.WARNING: "⚠", Severity.INFO: "ℹ"}


@dataclass(frozen=True)
class Column:
    """One column: its header, the field's dotted path in a row, how it is written, and whether it is edited."""

    header: str
    path: str
    kind: str = "text"  # text | number | integer | list
    editable: bool = True


@dataclass(frozen=True)
class TableSpec:
    """Which list of a stage's draft is the table, its columns, and the names findings give a row."""

    rows: str
    columns: tuple[Column, ...]
    names: Callable[[Mapping[str, Any]], set[str]]  # what a finding's `operation` or `feature` says for this row


def _routing_names(row: Mapping[str, Any]) -> set[str]:
    return {str(row.get("number", "")), *(str(f) for f in row.get("features") or [])} - {""}


def _station_names(row: Mapping[str, Any]) -> set[str]:
    return {f"station {row.get('n')}", *(str(op) for op in row.get("operations") or [])}


def _feature_names(row: Mapping[str, Any]) -> set[str]:
    return {str(row["feature"])} if row.get("feature") else set()


def _no_names(_row: Mapping[str, Any]) -> set[str]:
    return set()


TABLES: dict[str, TableSpec] = {
    "routing": TableSpec(
        "operations",
        (
            Column("No", "number"),
            Column("Operation", "name"),
            Column("Kind", "kind"),
            Column("Machining stage", "stage"),
            Column("Features", "features", "list"),
            Column("Machine", "equipment.model"),
            Column("Machine type", "equipment.type"),
            Column("Fixtures", "fixtures", "list"),
            Column("Tools", "tools", "list"),
            Column("Measuring", "measuring", "list"),
            Column("Setup time, min", "setup_time_min", "number"),
            Column("Piece time, min", "piece_time_min", "number"),
            Column("Profession", "profession"),
            Column("Grade", "worker_grade", "integer"),
        ),
        _routing_names,
    ),
    "organization": TableSpec(
        "stations",
        (
            Column("Station", "n", "integer"),
            Column("Work elements", "operations", "list"),
            Column("Load, min", "load_min", "number"),
        ),
        _station_names,
    ),
    "design": TableSpec(
        "findings",
        (
            Column("Severity", "severity"),
            Column("Rule", "rule"),
            Column("Feature", "feature"),
            Column("Message", "message"),
        ),
        _feature_names,
    ),
    "research": TableSpec(
        "requirements",
        (Column("No", "n", "integer"), Column("Requirement", "text"), Column("Origin", "origin")),
        _no_names,
    ),
}


def table_spec(stage: str) -> TableSpec | None:
    """The table of a stage's drafts (None: the stage's drafts are shown, not edited, as a table)."""
    return TABLES.get(stage)


def _get(row: Mapping[str, Any], path: str) -> Any:
    value: Any = row
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _cell(value: Any, kind: str) -> Any:
    if kind == "list":
        return LIST_SEPARATOR.join(str(v) for v in value or [])
    return "" if value is None and kind == "text" else value


def _mark(findings: Iterable[Finding]) -> str:
    return " ".join(f"{MARK[f.severity]} {f.rule}" for f in findings)


def concerning(spec: TableSpec, row: Mapping[str, Any], findings: Sequence[Finding]) -> list[Finding]:
    """The findings that name this row (an operation number, a station, a feature, an element)."""
    names = spec.names(row)
    return [f for f in findings if (f.operation and f.operation in names) or (f.feature and f.feature in names)]


def rows_of(stage: str, draft: Mapping[str, Any], findings: Sequence[Finding] = ()) -> list[dict[str, Any]]:
    """The draft's rows as table rows (headers as keys), each with its position and the findings naming it."""
    spec = _spec(stage)
    table = []
    for n, row in enumerate(draft.get(spec.rows) or []):
        cells = {c.header: _cell(_get(row, c.path), c.kind) for c in spec.columns}
        table.append({ROW: n, **cells, FINDINGS: _mark(concerning(spec, row, findings))})
    return table


def _spec(stage: str) -> TableSpec:
    if stage not in TABLES:
        raise InputError(f"drafts of stage '{stage}' have no editable table (tables: {', '.join(TABLES)})")
    return TABLES[stage]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _plain(value: Any) -> Any:
    """A cell as a JSON value: numpy scalars as Python numbers, NaN and empty text as None."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    return None if _blank(value) else value


def _value(column: Column, raw: Any, where: str) -> Any:
    value = _plain(raw)
    if column.kind == "list":
        return [part.strip() for part in str(value or "").split(LIST_SEPARATOR.strip()) if part.strip()]
    if value is None or column.kind == "text":
        return None if value is None else str(value).strip()
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}, {column.header}: '{value}' is not a number") from None
    if column.kind == "integer":
        if not number.is_integer():
            raise InputError(f"{where}, {column.header}: '{value}' is not a whole number")
        return int(number)
    return number


def _set(row: dict[str, Any], path: str, value: Any) -> None:
    *parents, name = path.split(".")
    for part in parents:
        row = row.setdefault(part, {})
    if value is None:
        row.pop(name, None)
    else:
        row[name] = value


def apply_rows(stage: str, draft: Mapping[str, Any], table: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The draft with its rows replaced by the table's: edited rows keep their other fields, rows without a
    position are added, rows left out are removed. The stage validates the result when it is checked or saved."""
    spec = _spec(stage)
    old = list(draft.get(spec.rows) or [])
    rows = []
    for n, cells in enumerate(table, start=1):
        position = _plain(cells.get(ROW))
        row = copy.deepcopy(old[int(position)]) if position is not None and 0 <= int(position) < len(old) else {}
        for column in spec.columns:
            if column.editable and column.header in cells:
                _set(row, column.path, _value(column, cells[column.header], f"row {n}"))
        rows.append(row)
    return {**copy.deepcopy(dict(draft)), spec.rows: rows}


@dataclass(frozen=True)
class Edited:
    """A draft with a person's edits: its JSON (findings refreshed) and the findings to show, errors first."""

    content: dict[str, Any]
    findings: list[Finding]


def _key(item: Finding) -> tuple[str, str | None, str | None, str]:
    return item.rule, item.operation, item.feature, item.message


def _severity_first(findings: Iterable[Finding]) -> list[Finding]:
    order = list(Severity)
    return sorted(merge_findings(findings), key=lambda f: order.index(f.severity))


def edited(
    stage: str,
    draft: Mapping[str, Any],
    table: Sequence[Mapping[str, Any]] | None,
    check: Callable[[Mapping[str, Any]], list[Finding]],
) -> Edited:
    """The draft with the table's rows (None: as it is), checked: its findings become the checks' findings on the
    edit plus the drafter's own (those the checks do not give on the draft as it was: assumptions, missing
    documents). Where the rows are the findings (design), the rows stay the draft's findings."""
    spec = _spec(stage)
    content = apply_rows(stage, draft, table) if table is not None else copy.deepcopy(dict(draft))
    after = check(content)
    if spec.rows == "findings":
        return Edited(content, _severity_first([*after, *_findings(content)]))
    given = {_key(f) for f in check(draft)}
    own = [f for f in _findings(draft) if _key(f) not in given]
    shown = _severity_first([*after, *own])
    content["findings"] = [f.model_dump(mode="json") for f in shown]
    return Edited(content, shown)


def _findings(draft: Mapping[str, Any]) -> list[Finding]:
    return [Finding.model_validate(f) for f in draft.get("findings") or []]
