"""User accounts (password hashes, roles, failed-login counts) and login sessions (hashed tokens with expiry).

Timestamps are ISO 8601 UTC text of one width (`2026-12-01T08:00:00+00:00`), so comparing them as text
compares the times on every backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from assistant.errors import InputError
from assistant.store.core import Store
from assistant.store.schema import sessions, users

_USER = select(users).where(users.c.name == bindparam("name"))


# The records' fields follow their tables' column order: rows are read into them by position.


@dataclass(frozen=True)
class UserRecord:
    """One account as the users table keeps it."""

    name: str
    password_hash: str  # argon2id (bcrypt for accounts made before), never the password
    role: str  # engineer | technologist | reviewer | admin
    active: bool
    failed_logins: int  # consecutive failures since the last success or lock
    locked_until: str | None
    created_at: str
    clearance: str  # public | internal | restricted: the most confidential documents the account reads
    must_change_password: bool  # a one-time or admin-set password: nothing else until the user sets their own


@dataclass(frozen=True)
class SessionRecord:
    """One login session: the sha256 of its token (the token itself is never stored) and its expiry."""

    token_hash: str
    user_name: str
    created_at: str
    expires_at: str


def _user(row: Sequence[Any]) -> UserRecord:
    name, password_hash, role, active, failed, locked_until, created_at, clearance, must_change = row
    return UserRecord(
        name, password_hash, role, bool(active), failed, locked_until, created_at, clearance, bool(must_change)
    )


def add_user(store: Store, record: UserRecord) -> None:
    """Create an account; a taken name is an input error."""
    try:
        with store.transaction() as conn:
            flags = {"active": int(record.active), "must_change_password": int(record.must_change_password)}
            conn.execute(users.insert().values(**(asdict(record) | flags)))
    except IntegrityError:
        raise InputError(f"a user named '{record.name}' exists already; choose another name") from None


def get_user(store: Store, name: str) -> UserRecord | None:
    """An account by name."""
    with store.reading() as conn:
        row = conn.execute(_USER, {"name": name}).one_or_none()
    return _user(row) if row else None


def list_users(store: Store) -> list[UserRecord]:
    """Every account, by name (code-point order)."""
    with store.reading() as conn:
        rows = conn.execute(select(users)).all()
    return sorted((_user(r) for r in rows), key=lambda u: u.name)


def count_users(store: Store) -> int:
    """How many accounts there are."""
    with store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def update_user(
    store: Store,
    name: str,
    *,
    password_hash: str | None = None,
    must_change_password: bool = False,
    role: str | None = None,
    active: bool | None = None,
    clearance: str | None = None,
) -> bool:
    """Change an account's password hash (a new password also unlocks it and says whether it must be changed),
    role, active flag or clearance; False if there is no such account."""
    values: dict[str, object] = {}
    if password_hash is not None:
        values |= {
            "password_hash": password_hash,
            "failed_logins": 0,
            "locked_until": None,
            "must_change_password": int(must_change_password),
        }
    if role is not None:
        values["role"] = role
    if active is not None:
        values["active"] = int(active)
    if clearance is not None:
        values["clearance"] = clearance
    with store.transaction() as conn:
        done = conn.execute(users.update().where(users.c.name == name).values(**values))
    return done.rowcount == 1


def record_failed_login(store: Store, name: str, limit: int, lock_until: str) -> int:
    """Count a failed login atomically; the `limit`-th in a row locks the account until `lock_until` and starts
    the count again. Returns the failures counted so far (`limit` when this one locked it; 0 for no account)."""
    with store.transaction() as conn:
        conn.execute(users.update().where(users.c.name == name).values(failed_logins=users.c.failed_logins + 1))
        failed = conn.execute(select(users.c.failed_logins).where(users.c.name == name)).scalar()
        if failed is None:
            return 0
        if failed >= limit:
            conn.execute(users.update().where(users.c.name == name).values(failed_logins=0, locked_until=lock_until))
        return int(failed)


def record_login(store: Store, name: str) -> None:
    """A successful login: the failure count and any expired lock are cleared."""
    with store.transaction() as conn:
        conn.execute(users.update().where(users.c.name == name).values(failed_logins=0, locked_until=None))


def add_session(store: Store, session: SessionRecord, expired_before: str) -> None:
    """Keep a new session, and drop sessions that expired before `expired_before` (housekeeping)."""
    with store.transaction() as conn:
        conn.execute(sessions.delete().where(sessions.c.expires_at <= expired_before))
        conn.execute(sessions.insert().values(**asdict(session)))


def session_user(store: Store, token_hash: str, at: str) -> UserRecord | None:
    """The active account a session belongs to, if the session exists and has not expired at `at`."""
    query = (
        select(users)
        .join(sessions, sessions.c.user_name == users.c.name)
        .where(sessions.c.token_hash == token_hash, sessions.c.expires_at > at, users.c.active == 1)
    )
    with store.reading() as conn:
        row = conn.execute(query).one_or_none()
    return _user(row) if row else None


def end_session(store: Store, token_hash: str) -> bool:
    """End one session (logout); False if there was none."""
    with store.transaction() as conn:
        return conn.execute(sessions.delete().where(sessions.c.token_hash == token_hash)).rowcount == 1


def end_sessions_of(store: Store, user_name: str) -> int:
    """End every session of a user (disabled, or password changed); returns how many ended."""
    with store.transaction() as conn:
        return conn.execute(sessions.delete().where(sessions.c.user_name == user_name)).rowcount
