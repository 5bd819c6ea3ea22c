"""The documents a draft cites, and the revision of each as it was when a version of the draft was approved.

Replacing a document later keeps the old content (PREPRO_HOME/revisions), so an approved draft's citations open
the revision it was approved against, and the reviewer sees which documents have changed since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from assistant.store import Store, documents
from assistant.store import revisions as kept
from assistant.store.reviews import DecisionRecord
from assistant.store.revisions import ApprovedSource

# doc → (content hash, revision label) of its indexed content, archived by whoever gives it; None: not indexed
RevisionOf = Callable[[str], tuple[str, str | None] | None]


@dataclass(frozen=True)
class ApprovedRevision:
    """A document an approved version cites: the revision it was approved against, and whether it changed since."""

    doc: str
    sha256: str
    revision: str | None
    superseded: bool  # the document has been re-indexed with other content since the approval
    version: int  # the approved version
    section: str | None = None  # where the approved version first cites it
    page: int | None = None


def cited_documents(content: Any) -> dict[str, dict[str, Any]]:
    """The documents a draft's `sources` lists name, anywhere in it, by name (sorted), each with its first
    citation (doc, section, page)."""

    def walk(value: Any) -> Iterator[dict[str, Any]]:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "sources" and isinstance(item, list):
                    yield from (s for s in item if isinstance(s, dict) and isinstance(s.get("doc"), str))
                else:
                    yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    first: dict[str, dict[str, Any]] = {}
    for citation in walk(content):
        first.setdefault(citation["doc"], citation)
    return dict(sorted(first.items()))


def stored_revision(store: Store) -> RevisionOf:
    """The revision of a document as the documents table has it (without archiving its file)."""

    def revision_of(doc: str) -> tuple[str, str | None] | None:
        record = documents.get_document(store, doc)
        return (record.sha256, record.revision) if record else None

    return revision_of


def record_approval(store: Store, decision: DecisionRecord, content: Any, revision_of: RevisionOf) -> None:
    """Keep, with an approval, the revision of each document the approved content cites."""
    found = ((doc, revision_of(doc)) for doc in cited_documents(content))
    kept.record_approved_sources(
        store, [ApprovedSource(decision.id, doc, at[0], at[1]) for doc, at in found if at is not None]
    )


def latest_approval(decisions: list[DecisionRecord]) -> DecisionRecord | None:
    """The latest approval among a draft's decisions."""
    approvals = [d for d in decisions if d.decision == "approve"]
    return approvals[-1] if approvals else None


def approved_revisions(store: Store, approval: DecisionRecord, content: Any) -> list[ApprovedRevision]:
    """The cited revisions an approval recorded, each with the approved `content`'s first citation of it."""
    current = {d.doc: d.sha256 for d in documents.list_documents(store)}
    cited = cited_documents(content)
    return [
        ApprovedRevision(
            s.doc,
            s.sha256,
            s.revision,
            current.get(s.doc) != s.sha256,
            approval.version,
            cited.get(s.doc, {}).get("section"),
            cited.get(s.doc, {}).get("page"),
        )
        for s in kept.list_approved_sources(store, approval.id)
    ]
