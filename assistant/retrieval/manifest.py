"""The manifest of indexed documents and their chunks, kept in SQLite (the store of record)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from assistant.retrieval.chunking import Chunk


@dataclass(frozen=True)
class DocumentRecord:
    """One indexed document as the manifest knows it."""

    doc: str
    path: str
    sha256: str
    title: str
    kind: str
    pages: int | None
    image_only_pages: int
    chunks: int
    ingested_at: str


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def chunk_id(sha256: str, ordinal: int) -> str:
    """Chunk ids derive from the content hash, so a changed file never collides with its old chunks."""
    return f"{sha256[:16]}-{ordinal:05d}"


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A value from the meta table."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row["value"] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store a value in the meta table (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value)
    )


def generation(conn: sqlite3.Connection) -> int:
    """Counter bumped by every change to the set of chunks."""
    return int(get_meta(conn, "generation") or 0)


def _bump(conn: sqlite3.Connection) -> None:
    set_meta(conn, "generation", str(generation(conn) + 1))


def get_document(conn: sqlite3.Connection, doc: str) -> DocumentRecord | None:
    """The manifest entry of a document, if indexed."""
    row = conn.execute("SELECT * FROM documents WHERE doc = ?", (doc,)).fetchone()
    return DocumentRecord(**dict(row)) if row else None


def list_documents(conn: sqlite3.Connection) -> list[DocumentRecord]:
    """Every indexed document, by name."""
    return [DocumentRecord(**dict(r)) for r in conn.execute("SELECT * FROM documents ORDER BY doc")]


def chunk_ids(conn: sqlite3.Connection, doc: str) -> list[str]:
    """Ids of a document's chunks."""
    return [r["id"] for r in conn.execute("SELECT id FROM chunks WHERE doc = ? ORDER BY ord", (doc,))]


def replace_document(conn: sqlite3.Connection, record: DocumentRecord, chunks: Sequence[Chunk]) -> list[str]:
    """Atomically swap a document's chunks for new ones; returns the ids that were replaced."""
    with transaction(conn):
        old = chunk_ids(conn, record.doc)
        conn.execute("DELETE FROM documents WHERE doc = ?", (record.doc,))
        conn.execute(
            "INSERT INTO documents VALUES (:doc, :path, :sha256, :title, :kind, :pages, "
            ":image_only_pages, :chunks, :ingested_at)",
            record.__dict__,
        )
        conn.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    chunk_id(record.sha256, c.ord),
                    record.doc,
                    c.ord,
                    c.text,
                    c.context,
                    c.section,
                    ",".join(c.clauses),
                    c.heading,
                    c.page,
                    record.kind,
                    record.title,
                )
                for c in chunks
            ],
        )
        _bump(conn)
    fresh = {chunk_id(record.sha256, c.ord) for c in chunks}
    return [i for i in old if i not in fresh]


def delete_document(conn: sqlite3.Connection, doc: str) -> list[str]:
    """Remove a document and its chunks; returns the removed chunk ids."""
    with transaction(conn):
        ids = chunk_ids(conn, doc)
        conn.execute("DELETE FROM documents WHERE doc = ?", (doc,))
        _bump(conn)
    return ids


def chunk_rows(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, sqlite3.Row]:
    """Chunk rows by id (ids no longer in the manifest are absent)."""
    rows: dict[str, sqlite3.Row] = {}
    for start in range(0, len(ids), 500):
        part = list(ids[start : start + 500])
        marks = ",".join("?" * len(part))
        rows.update({r["id"]: r for r in conn.execute(f"SELECT * FROM chunks WHERE id IN ({marks})", part)})
    return rows


def all_chunks(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every chunk's id, document, kind and index text, in a stable order (for the keyword index)."""
    return list(conn.execute("SELECT id, doc, kind, context || char(10) || text AS body FROM chunks ORDER BY id"))


def now() -> str:
    """UTC timestamp for the manifest."""
    return datetime.now(UTC).isoformat(timespec="seconds")
