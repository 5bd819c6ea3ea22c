"""A portable INSERT ... ON CONFLICT DO UPDATE (SQLite's INSERT OR REPLACE) for every supported backend."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

_INSERTS: dict[str, Callable[[Table], sqlite.Insert | postgresql.Insert]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}


def upsert(
    conn: Connection, table: Table, values: Mapping[str, Any], key: str, update: Mapping[str, Any] | None = None
) -> None:
    """Insert a row, or update the row with the same key (with `update`, else with the new values)."""
    insert = _INSERTS[conn.dialect.name](table).values(**values)
    changes = dict(update) if update is not None else {name: insert.excluded[name] for name in values if name != key}
    conn.execute(insert.on_conflict_do_update(index_elements=[key], set_=changes))
