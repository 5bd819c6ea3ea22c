"""Stored drafts under review: each draft's versions, comments and review decisions.

A draft is one stage's artifact for one subject (`routing` / `SH-001`); every save appends a version. Saves
use optimistic locking: a save names the version it was based on, and the draft's version counter moves
from that version to the next in the same transaction as the new version row — or nothing is written.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from assistant.store.core import Store
from assistant.store.schema import comments, decisions, draft_versions, drafts

# The records' fields follow their tables' column order: rows are read into them by position.


@dataclass(frozen=True)
class DraftRecord:
    """One draft: its stage, subject, review state and latest version."""

    id: int
    stage: str
    subject: str
    state: str  # draft | in_review | changes_requested | approved | rejected
    version: int
    created_by: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class VersionRecord:
    """One saved version of a draft: the draft's JSON and its input's JSON."""

    id: int
    draft_id: int
    version: int
    content: str
    input: str
    author: str
    note: str
    created_at: str


@dataclass(frozen=True)
class CommentRecord:
    """A comment on one version of a draft."""

    id: int
    draft_id: int
    version: int
    author: str
    text: str
    at: str


@dataclass(frozen=True)
class DecisionRecord:
    """A reviewer's decision on one version of a draft."""

    id: int
    draft_id: int
    version: int
    reviewer: str
    decision: str  # approve | reject | request_changes
    comment: str
    at: str


@dataclass(frozen=True)
class NewVersion:
    """What a save brings: the draft's and the input's JSON, who saved it, a note, when."""

    content: str
    input: str
    author: str
    note: str
    created_at: str


def _draft(row: Sequence[Any] | None) -> DraftRecord | None:
    return DraftRecord(*row) if row else None


def get_draft(store: Store, draft_id: int) -> DraftRecord | None:
    """A draft by id."""
    with store.reading() as conn:
        return _draft(conn.execute(select(drafts).where(drafts.c.id == draft_id)).one_or_none())


def find_draft(store: Store, stage: str, subject: str) -> DraftRecord | None:
    """The draft of a stage for a subject."""
    query = select(drafts).where(drafts.c.stage == stage, drafts.c.subject == subject)
    with store.reading() as conn:
        return _draft(conn.execute(query).one_or_none())


def list_drafts(store: Store, stage: str | None = None, state: str | None = None) -> list[DraftRecord]:
    """Drafts, optionally of one stage or in one state, oldest first."""
    query = select(drafts).order_by(drafts.c.id)
    if stage is not None:
        query = query.where(drafts.c.stage == stage)
    if state is not None:
        query = query.where(drafts.c.state == state)
    with store.reading() as conn:
        return [DraftRecord(*r) for r in conn.execute(query)]


def _insert_version(conn: Connection, draft_id: int, version: int, new: NewVersion) -> VersionRecord:
    row = {"draft_id": draft_id, "version": version, **asdict(new)}
    new_id = int(conn.execute(draft_versions.insert().values(**row).returning(draft_versions.c.id)).scalar_one())
    return VersionRecord(new_id, draft_id, version, new.content, new.input, new.author, new.note, new.created_at)


def append_version(
    store: Store,
    stage: str,
    subject: str,
    new: NewVersion,
    expected: int | None,
) -> VersionRecord | None:
    """Save a new version on top of version `expected` (None: a new draft). None when the draft has moved on
    (or, for a new draft, exists already): then nothing is written."""
    at, author = new.created_at, new.author
    try:
        with store.transaction() as conn:
            current = conn.execute(
                select(drafts.c.id, drafts.c.version).where(drafts.c.stage == stage, drafts.c.subject == subject)
            ).one_or_none()
            if current is None:
                if expected:
                    return None
                create = drafts.insert().values(
                    stage=stage, subject=subject, state="draft", version=1, created_by=author, created_at=at,
                    updated_at=at,
                )  # fmt: skip
                draft_id = int(conn.execute(create.returning(drafts.c.id)).scalar_one())
                return _insert_version(conn, draft_id, 1, new)
            if expected is None:
                return None
            moved = conn.execute(
                drafts.update()
                .where(drafts.c.id == current.id, drafts.c.version == expected)
                .values(version=expected + 1, state="draft", updated_at=at)
            )
            if moved.rowcount != 1:
                return None
            return _insert_version(conn, current.id, expected + 1, new)
    except IntegrityError:  # another save created the same draft (or version) at the same moment
        return None


def get_version(store: Store, draft_id: int, version: int) -> VersionRecord | None:
    """One version of a draft."""
    query = select(draft_versions).where(draft_versions.c.draft_id == draft_id, draft_versions.c.version == version)
    with store.reading() as conn:
        row = conn.execute(query).one_or_none()
    return VersionRecord(*row) if row else None


def list_versions(store: Store, draft_id: int) -> list[VersionRecord]:
    """Every version of a draft, oldest first."""
    query = select(draft_versions).where(draft_versions.c.draft_id == draft_id).order_by(draft_versions.c.version)
    with store.reading() as conn:
        return [VersionRecord(*r) for r in conn.execute(query)]


def set_state(store: Store, draft_id: int, version: int, state: str, allowed_from: Collection[str], at: str) -> bool:
    """Move a draft to `state` if it is still at `version` and in one of `allowed_from`; False otherwise."""
    with store.transaction() as conn:
        return _move(conn, draft_id, version, state, allowed_from, at)


def _move(conn: Connection, draft_id: int, version: int, state: str, allowed_from: Collection[str], at: str) -> bool:
    done = conn.execute(
        drafts.update()
        .where(drafts.c.id == draft_id, drafts.c.version == version, drafts.c.state.in_(list(allowed_from)))
        .values(state=state, updated_at=at)
    )
    return done.rowcount == 1


def record_decision(
    store: Store, decision: DecisionRecord, state: str, allowed_from: Collection[str]
) -> DecisionRecord | None:
    """Keep a reviewer's decision and move the draft to `state`, in one transaction — only if the draft is still
    at the decided version and in one of `allowed_from` (else None, nothing written). `decision.id` is ignored."""
    with store.transaction() as conn:
        if not _move(conn, decision.draft_id, decision.version, state, allowed_from, decision.at):
            return None
        row = {k: v for k, v in asdict(decision).items() if k != "id"}
        new_id = int(conn.execute(decisions.insert().values(**row).returning(decisions.c.id)).scalar_one())
    return replace(decision, id=new_id)


def list_decisions(store: Store, draft_id: int) -> list[DecisionRecord]:
    """A draft's review decisions, oldest first."""
    query = select(decisions).where(decisions.c.draft_id == draft_id).order_by(decisions.c.id)
    with store.reading() as conn:
        return [DecisionRecord(*r) for r in conn.execute(query)]


def add_comment(store: Store, draft_id: int, version: int, author: str, text: str, at: str) -> CommentRecord:
    """Keep a comment on a version of a draft."""
    row = {"draft_id": draft_id, "version": version, "author": author, "text": text, "at": at}
    with store.transaction() as conn:
        new_id = conn.execute(comments.insert().values(**row).returning(comments.c.id)).scalar_one()
    return CommentRecord(int(new_id), draft_id, version, author, text, at)


def list_comments(store: Store, draft_id: int) -> list[CommentRecord]:
    """A draft's comments, oldest first."""
    query = select(comments).where(comments.c.draft_id == draft_id).order_by(comments.c.id)
    with store.reading() as conn:
        return [CommentRecord(*r) for r in conn.execute(query)]
