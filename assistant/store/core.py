"""The Store: one database engine, and the one way to write to it (a transaction)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from assistant.config import Settings
from assistant.errors import KnowledgeBaseError
from assistant.store.engine import create_engine_for, database_url, describe, read_engine, write_engine
from assistant.store.migrate import migrate


@dataclass
class Store:
    """The database behind prepro (SQLite file or PostgreSQL); safe to share between threads."""

    engine: Engine
    label: str  # the file or URL (without password) that error messages name
    _writer: Engine = field(init=False, repr=False)
    _reader: Engine = field(init=False, repr=False)
    _write_lock: AbstractContextManager[Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._writer, self._reader = write_engine(self.engine), read_engine(self.engine)
        # SQLite has one writer at a time: threads queue on a lock instead of polling the busy timeout
        sqlite = self.engine.dialect.name == "sqlite"
        self._write_lock = threading.Lock() if sqlite else nullcontext()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in a transaction: committed when the block ends, rolled back if it raises."""
        with self._write_lock, self._writer.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads (no transaction on SQLite: one statement is one consistent read)."""
        with self._reader.connect() as conn:
            yield conn

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()


def open_store(settings: Settings) -> Store:
    """The configured database, migrated to the current schema (an older prepro database is adopted)."""
    store = Store(create_engine_for(settings), describe(database_url(settings)))
    try:
        migrate(store)
    except OperationalError as exc:
        store.close()
        raise KnowledgeBaseError(
            f"cannot open the database {store.label} ({str(exc.orig).strip()}); check that it is reachable and "
            "writable, or change PREPRO_DATABASE_URL / PREPRO_HOME"
        ) from exc
    return store


def now() -> str:
    """The UTC timestamp rows are stamped with."""
    return datetime.now(UTC).isoformat(timespec="seconds")
