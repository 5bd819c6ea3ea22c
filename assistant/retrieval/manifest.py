"""Manifest rows built from chunked documents: chunk ids and chunk records (the store keeps them)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.retrieval.chunking import Chunk
from assistant.store.documents import ChunkRecord, DocumentRecord


def chunk_id(sha256: str, ordinal: int) -> str:
    """Chunk ids derive from the content hash, so a changed file never collides with its old chunks."""
    return f"{sha256[:16]}-{ordinal:05d}"


def chunk_records(record: DocumentRecord, chunks: Sequence[Chunk]) -> list[ChunkRecord]:
    """The rows of a document's chunks."""
    return [
        ChunkRecord(
            id=chunk_id(record.sha256, c.ord),
            doc=record.doc,
            ord=c.ord,
            text=c.text,
            context=c.context,
            section=c.section,
            clauses=",".join(c.clauses),
            heading=c.heading,
            page=c.page,
            kind=record.kind,
            title=record.title,
        )
        for c in chunks
    ]
