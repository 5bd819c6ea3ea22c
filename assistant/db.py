"""The SQLite file under PREPRO_HOME: connection and schema migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        doc TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        title TEXT NOT NULL,
        kind TEXT NOT NULL,
        pages INTEGER,
        image_only_pages INTEGER NOT NULL DEFAULT 0,
        chunks INTEGER NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE chunks (
        id TEXT PRIMARY KEY,
        doc TEXT NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        text TEXT NOT NULL,
        context TEXT NOT NULL,
        section TEXT,
        clauses TEXT NOT NULL,
        heading TEXT NOT NULL,
        page INTEGER,
        kind TEXT NOT NULL,
        title TEXT NOT NULL
    );
    CREATE INDEX chunks_doc ON chunks(doc);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    """
    CREATE TABLE llm_calls (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        step TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        latency_s REAL NOT NULL,
        cached INTEGER NOT NULL,
        counted TEXT NOT NULL
    );
    CREATE TABLE llm_cache (
        key TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
)


def connect(path: Path) -> sqlite3.Connection:
    """Open (and migrate) the database; the parent folder is created on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn)
    return conn


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the migrations this file has not seen yet, each in its own transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:  # another process migrated
                conn.execute("COMMIT")
                continue
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise
