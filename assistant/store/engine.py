"""The database engine: a SQLite file under PREPRO_HOME by default, PostgreSQL when a URL is set."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from assistant.config import Settings
from assistant.errors import ConfigError

SQLITE_BUSY_TIMEOUT_S = 30.0
PG_CONNECT_TIMEOUT_S = 10
BEGIN_OPTION = "prepro_sqlite_begin"  # execution option: the BEGIN statement a SQLite transaction starts with


def database_url(settings: Settings) -> URL:
    """PREPRO_DATABASE_URL (plain `postgresql://` means psycopg 3), else the SQLite file under PREPRO_HOME."""
    if not settings.database_url:
        return URL.create("sqlite", database=str(settings.db_path))
    try:
        url = make_url(settings.database_url)
    except ArgumentError as exc:
        raise ConfigError(
            f"PREPRO_DATABASE_URL is not a database URL ({exc}); use e.g. postgresql://user:pass@host:5432/prepro"
        ) from None
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


def describe(url: URL) -> str:
    """How errors name a database: the SQLite file, or the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def create_engine_for(settings: Settings) -> Engine:
    """The engine for the configured database (not yet migrated)."""
    url = database_url(settings)
    backend = url.get_backend_name()
    if backend not in ENGINES:
        raise ConfigError(
            f"PREPRO_DATABASE_URL names an unsupported database '{backend}' (supported: {', '.join(ENGINES)})"
        )
    return ENGINES[backend](url)


def write_engine(engine: Engine) -> Engine:
    """The same engine and pool, whose SQLite transactions take the write lock at BEGIN (no upgrade deadlock)."""
    return engine.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})


def read_engine(engine: Engine) -> Engine:
    """The same engine and pool, whose SQLite statements run without BEGIN/ROLLBACK (each read is atomic)."""
    return engine.execution_options(**{BEGIN_OPTION: ""})


def _sqlite(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # the driver's own implicit BEGIN is switched off: _sqlite_begin emits it, so DDL is transactional too
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    if statement := conn.get_execution_options().get(BEGIN_OPTION, "BEGIN"):
        conn.exec_driver_sql(statement)


def _postgresql(url: URL) -> Engine:
    # an unreachable server fails in seconds, not after the OS's TCP timeout (a ?connect_timeout= in the URL wins)
    timeout = {} if "connect_timeout" in url.query else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    return create_engine(url, pool_pre_ping=True, connect_args=timeout)


ENGINES: dict[str, Callable[[URL], Engine]] = {"sqlite": _sqlite, "postgresql": _postgresql}
