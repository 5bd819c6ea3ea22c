"""The manifest of indexed documents and their chunks (the store of record for the knowledge index)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import Connection, bindparam, literal, select

from assistant.store.core import Store
from assistant.store.meta import bump_generation
from assistant.store.schema import chunks, documents

IN_BATCH = 500  # ids per IN (...) query: well under every backend's limit on bound parameters

# Statements run on every search, built once (building and hashing a statement costs more than running it)
_DOCUMENT = select(documents).where(documents.c.doc == bindparam("doc"))
_CHUNKS_BY_ID = select(chunks).where(chunks.c.id.in_(bindparam("ids", expanding=True)))
_ANY_CHUNK = select(chunks.c.id).limit(1)
_ACCESS = select(documents.c.doc, documents.c.access)


# The records' fields follow their tables' column order: rows are read into them by position (fast).


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
    access: str = "internal"  # public | internal | restricted: who may read its passages
    revision: str | None = None
    effective_date: str | None = None
    flagged: int = 0  # passages with instruction-like text, flagged at ingest


@dataclass(frozen=True)
class ChunkRecord:
    """One chunk row: its text, the context it is indexed with, and where it is cited from."""

    id: str
    doc: str
    ord: int
    text: str
    context: str
    section: str | None
    clauses: str  # comma-separated clause numbers
    heading: str
    page: int | None
    kind: str
    title: str


@dataclass(frozen=True)
class KeywordRow:
    """What the keyword index needs of a chunk: id, document, kind and the indexed text."""

    id: str
    doc: str
    kind: str
    body: str


def get_document(store: Store, doc: str) -> DocumentRecord | None:
    """The manifest entry of a document, if indexed."""
    with store.reading() as conn:
        row = conn.execute(_DOCUMENT, {"doc": doc}).one_or_none()
    return DocumentRecord(*row) if row else None


def list_documents(store: Store) -> list[DocumentRecord]:
    """Every indexed document, by name (in code-point order on every backend)."""
    with store.reading() as conn:
        rows = conn.execute(select(documents)).all()
    return sorted((DocumentRecord(*r) for r in rows), key=lambda d: d.doc)


def access_by_doc(store: Store) -> dict[str, str]:
    """Each indexed document's access level (public, internal or restricted), by name."""
    with store.reading() as conn:
        return {doc: access for doc, access in conn.execute(_ACCESS).all()}


def _chunk_ids(conn: Connection, doc: str) -> list[str]:
    return list(conn.execute(select(chunks.c.id).where(chunks.c.doc == doc).order_by(chunks.c.ord)).scalars())


def replace_document(store: Store, record: DocumentRecord, new_chunks: Sequence[ChunkRecord]) -> list[str]:
    """Atomically swap a document's chunks for new ones; returns the ids that were replaced."""
    with store.transaction() as conn:
        old = _chunk_ids(conn, record.doc)
        conn.execute(documents.delete().where(documents.c.doc == record.doc))  # its chunks go by cascade
        conn.execute(documents.insert().values(**asdict(record)))
        if new_chunks:
            conn.execute(chunks.insert(), [asdict(c) for c in new_chunks])
        bump_generation(conn)
    fresh = {c.id for c in new_chunks}
    return [i for i in old if i not in fresh]


def delete_document(store: Store, doc: str) -> list[str]:
    """Remove a document and its chunks; returns the removed chunk ids."""
    with store.transaction() as conn:
        ids = _chunk_ids(conn, doc)
        conn.execute(documents.delete().where(documents.c.doc == doc))
        bump_generation(conn)
    return ids


def chunk_rows(store: Store, ids: Sequence[str]) -> dict[str, ChunkRecord]:
    """Chunk rows by id (ids no longer in the manifest are absent)."""
    rows: dict[str, ChunkRecord] = {}
    with store.reading() as conn:
        for start in range(0, len(ids), IN_BATCH):
            found = conn.execute(_CHUNKS_BY_ID, {"ids": list(ids[start : start + IN_BATCH])})
            rows.update({r.id: ChunkRecord(*r) for r in found})
    return rows


def all_chunks(store: Store) -> list[KeywordRow]:
    """Every chunk's id, document, kind and index text (context, newline, text), ordered by id."""
    body = (chunks.c.context + literal("\n") + chunks.c.text).label("body")
    with store.reading() as conn:
        rows = conn.execute(select(chunks.c.id, chunks.c.doc, chunks.c.kind, body)).all()
    # sorted here, not by ORDER BY: PostgreSQL collations would order ids differently from SQLite
    return sorted((KeywordRow(*r) for r in rows), key=lambda r: r.id)


def has_chunks(store: Store) -> bool:
    """Whether anything is indexed."""
    with store.reading() as conn:
        return conn.execute(_ANY_CHUNK).first() is not None
