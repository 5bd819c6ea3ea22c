"""Kept revisions of documents (the archived file of every indexed content) and the revisions an approval cites."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from assistant.store.core import Store
from assistant.store.schema import approved_sources, document_revisions


@dataclass(frozen=True)
class RevisionRecord:
    """One indexed content of a document: its hash, revision label, and where its file is archived."""

    doc: str
    sha256: str
    revision: str | None
    effective_date: str | None
    title: str
    archived_path: str
    archived_at: str


@dataclass(frozen=True)
class ApprovedSource:
    """A document an approved version cites, at the revision it had when the version was approved."""

    decision_id: int
    doc: str
    sha256: str
    revision: str | None


def keep_revision(store: Store, record: RevisionRecord) -> None:
    """Keep a revision; one already kept (same document and content) stays as it is."""
    try:
        with store.transaction() as conn:
            conn.execute(document_revisions.insert().values(**asdict(record)))
    except IntegrityError:
        pass  # indexed again with the same content: the first archive stands


def get_revision(store: Store, doc: str, sha256: str) -> RevisionRecord | None:
    """A kept revision of a document by its content hash."""
    query = select(document_revisions).where(document_revisions.c.doc == doc, document_revisions.c.sha256 == sha256)
    with store.reading() as conn:
        row = conn.execute(query).one_or_none()
    return RevisionRecord(*row) if row else None


def list_revisions(store: Store, doc: str) -> list[RevisionRecord]:
    """Every kept revision of a document, oldest first."""
    query = select(document_revisions).where(document_revisions.c.doc == doc).order_by(document_revisions.c.archived_at)
    with store.reading() as conn:
        return [RevisionRecord(*row) for row in conn.execute(query).all()]


def record_approved_sources(store: Store, sources: Sequence[ApprovedSource]) -> None:
    """Keep the cited revisions of an approval."""
    if sources:
        with store.transaction() as conn:
            conn.execute(approved_sources.insert(), [asdict(s) for s in sources])


def list_approved_sources(store: Store, decision_id: int) -> list[ApprovedSource]:
    """The cited revisions an approval recorded, by document."""
    query = (
        select(approved_sources).where(approved_sources.c.decision_id == decision_id).order_by(approved_sources.c.doc)
    )
    with store.reading() as conn:
        return [ApprovedSource(*row) for row in conn.execute(query).all()]
