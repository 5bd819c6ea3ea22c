"""The append-only audit log, hash-chained: each row's hash covers its fields and the previous row's hash.

`hash = sha256(JSON [at, user_name, action, target, version, detail, prev_hash])`, the first row's
`prev_hash` being 64 zeros. Editing any field of a row, or deleting or reordering rows, breaks the chain
from that row on, and `verify_chain` names the first row whose stored hash or link no longer matches.
This module offers no update or delete: rows are only appended.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, text

from assistant.store.core import Store
from assistant.store.schema import audit_log

GENESIS = "0" * 64
VERIFY_BATCH = 2000  # rows fetched at a time while verifying a long log

# PostgreSQL: appends queue on a table lock, so two never link to the same previous row (SQLite's write
# transaction already holds the database lock; readers are not blocked either way).
_APPEND_LOCKS = {"postgresql": "LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"}


@dataclass(frozen=True)
class AuditRecord:
    """One audit row (fields in the table's column order)."""

    id: int
    at: str
    user_name: str
    action: str
    target: str
    version: int | None
    detail: str
    prev_hash: str
    hash: str


def row_hash(
    at: str, user_name: str, action: str, target: str, version: int | None, detail: str, prev_hash: str
) -> str:
    """The sha256 of a row's canonical JSON and the previous row's hash."""
    canonical = json.dumps(
        [at, user_name, action, target, version, detail, prev_hash], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _last_hash(conn: Connection) -> str:
    last: str | None = conn.execute(select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).scalar()
    return last or GENESIS


def append(
    store: Store, at: str, user_name: str, action: str, target: str, version: int | None, detail: str
) -> AuditRecord:
    """Append one row, chained to the last one."""
    with store.transaction() as conn:
        if lock := _APPEND_LOCKS.get(conn.dialect.name):
            conn.execute(text(lock))
        prev = _last_hash(conn)
        digest = row_hash(at, user_name, action, target, version, detail, prev)
        row = {
            "at": at, "user_name": user_name, "action": action, "target": target, "version": version,
            "detail": detail, "prev_hash": prev, "hash": digest,
        }  # fmt: skip
        new_id = int(conn.execute(audit_log.insert().values(**row).returning(audit_log.c.id)).scalar_one())
    return AuditRecord(new_id, at, user_name, action, target, version, detail, prev, digest)


def entries(
    store: Store,
    since: str | None = None,
    until: str | None = None,
    user_name: str | None = None,
    actions: list[str] | None = None,
    limit: int | None = None,
) -> list[AuditRecord]:
    """Rows with `since <= at < until`, of one user or some actions; the newest `limit` of them, oldest first."""
    conditions = [
        *([audit_log.c.at >= since] if since is not None else []),
        *([audit_log.c.at < until] if until is not None else []),
        *([audit_log.c.user_name == user_name] if user_name is not None else []),
        *([audit_log.c.action.in_(actions)] if actions is not None else []),
    ]
    query = select(audit_log).where(*conditions).order_by(audit_log.c.id.desc()).limit(limit)
    with store.reading() as conn:
        rows = [AuditRecord(*r) for r in conn.execute(query)]
    return rows[::-1]


def count(store: Store) -> int:
    """How many rows the log has."""
    with store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


def _in_order(conn: Connection) -> Iterator[AuditRecord]:
    after = 0
    while True:
        query = select(audit_log).where(audit_log.c.id > after).order_by(audit_log.c.id).limit(VERIFY_BATCH)
        batch = [AuditRecord(*r) for r in conn.execute(query)]
        yield from batch
        if len(batch) < VERIFY_BATCH:
            return
        after = batch[-1].id


def verify_chain(store: Store) -> int | None:
    """The id of the first row whose hash or link to the previous row does not match; None if the chain holds."""
    prev = GENESIS
    with store.reading() as conn:
        for row in _in_order(conn):
            expected = row_hash(row.at, row.user_name, row.action, row.target, row.version, row.detail, prev)
            if row.prev_hash != prev or row.hash != expected:
                return row.id
            prev = row.hash
    return None
