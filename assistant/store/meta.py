"""Key/value settings of the index (embedding space, generation counter) in the meta table."""

from __future__ import annotations

from sqlalchemy import Connection, Integer, Text, bindparam, cast, select

from assistant.store.core import Store
from assistant.store.schema import meta
from assistant.store.upsert import upsert

GENERATION = "generation"
_VALUE = select(meta.c.value).where(meta.c.key == bindparam("key"))  # built once: read on every search


def get_meta(store: Store, key: str) -> str | None:
    """A value from the meta table."""
    with store.reading() as conn:
        value: str | None = conn.execute(_VALUE, {"key": key}).scalar()
    return value


def set_meta(store: Store, key: str, value: str) -> None:
    """Store a value in the meta table."""
    with store.transaction() as conn:
        upsert(conn, meta, {"key": key, "value": value}, "key")


def generation(store: Store) -> int:
    """Counter bumped by every change to the set of chunks."""
    return int(get_meta(store, GENERATION) or 0)


def bump_generation(conn: Connection) -> None:
    """Add one to the generation inside the caller's transaction (atomic on every backend)."""
    incremented = cast(cast(meta.c.value, Integer) + 1, Text)
    upsert(conn, meta, {"key": GENERATION, "value": "1"}, "key", {"value": incremented})
