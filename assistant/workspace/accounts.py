"""Accounts and logins: argon2id password hashes, throttled logins, expiring sessions, the first admin.

- Passwords are hashed with argon2id (argon2-cffi: a salt per hash, `time_cost` passes over 64 MiB); a
  password is 8 to 1024 characters. Accounts made before with bcrypt still log in, and their hash is replaced
  by an argon2id one at that login.
- A one-time password (the first admin's generated one, or one an admin sets for someone else) must be
  changed before anything else: the account is flagged, and every permission check refuses until then.
- `MAX_FAILURES` failed logins in a row lock the account for `LOCK_FOR`; a locked account's password is not
  even checked, so guessing stops. A successful login or a new password clears the count.
- A session is a random token (256 bits) handed to the caller once; only its sha256 is stored, with an
  expiry (`SESSION_FOR` after login). Disabling an account or changing its password ends its sessions.
- The first start creates the account `admin` with PREPRO_ADMIN_PASSWORD, or with a generated password
  that is returned once to the caller to show (only its hash is kept). There is no default password.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from assistant.config import Settings
from assistant.errors import AuthenticationError, ConfigError, InputError
from assistant.retrieval.access import access_level, default_clearance
from assistant.store import Store, users
from assistant.store.users import SessionRecord, UserRecord
from assistant.workspace.clock import parse, stamp
from assistant.workspace.roles import RESERVED_NAMES, Role, User, parse_role

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
SESSION_FOR = timedelta(hours=8)
TIME_COST = 3  # argon2id passes over MEMORY_KIB: about a tenth of a second per check on a server core
MEMORY_KIB = 64 * 1024
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # a bound on the work one login may ask for
FIRST_ADMIN = "admin"
_BAD_LOGIN = "wrong user name or password"


@dataclass(frozen=True)
class Session:
    """A login: the token to present on every later call (shown once, kept only hashed), its user, its expiry."""

    token: str
    user: User
    expires_at: str


@dataclass(frozen=True)
class FirstAdmin:
    """The admin account the first start created; `password` is the generated one-time password to show once
    (None when it came from PREPRO_ADMIN_PASSWORD)."""

    name: str
    password: str | None


def to_user(record: UserRecord) -> User:
    """The public view of an account (no password hash)."""
    return User(
        record.name,
        Role(record.role),
        record.active,
        record.created_at,
        clearance=access_level(record.clearance),
        must_change_password=record.must_change_password,
    )


def check_name(name: str) -> str:
    """A valid user name (letters, digits, `.`, `-`, `_`; not a reserved name)."""
    clean = name.strip()
    if not clean or not all(c.isalnum() or c in "._-" for c in clean) or len(clean) > 64:
        raise InputError(f"user name '{name}' is not valid: use 1 to 64 letters, digits, '.', '-' or '_'")
    if clean in RESERVED_NAMES:
        raise InputError(f"user name '{clean}' is reserved (it names the local caller without a login)")
    return clean


@cache
def _hasher(time_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=MEMORY_KIB)


def hash_password(password: str, time_cost: int = TIME_COST) -> str:
    """An argon2id hash of an acceptable password."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InputError(
            f"a password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters (this one: {len(password)} characters)"
        )
    return _hasher(time_cost).hash(password)


@cache
def _dummy_hash(time_cost: int) -> str:
    return _hasher(time_cost).hash("not-a-password")


def _password_matches(password: str, hashed: str | None, time_cost: int) -> bool:
    """argon2 check (bcrypt for an older hash); with no account, a check against a dummy hash takes the same
    time (names stay private)."""
    if hashed is not None and hashed.startswith("$2"):
        raw = password.encode("utf-8")
        return len(raw) <= 72 and bcrypt.checkpw(raw, hashed.encode("ascii"))
    try:
        return _hasher(time_cost).verify(hashed or _dummy_hash(time_cost), password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


def _rehash_if_dated(store: Store, record: UserRecord, password: str, time_cost: int) -> None:
    """Replace a bcrypt hash, or an argon2 one of other parameters, by a current one after a good login."""
    if record.password_hash.startswith("$2") or _hasher(time_cost).check_needs_rehash(record.password_hash):
        users.update_user(
            store,
            record.name,
            password_hash=hash_password(password, time_cost),
            must_change_password=record.must_change_password,
        )


def create_user(
    store: Store,
    name: str,
    role: Role | str,
    password: str,
    at: str,
    time_cost: int = TIME_COST,
    *,
    clearance: str | None = None,
    one_time: bool = False,
) -> User:
    """Create an account (clearance: the role's default unless given; `one_time`: the password must be changed)."""
    role = parse_role(role)
    level = access_level(clearance) if clearance else default_clearance(role.value)
    hashed = hash_password(password, time_cost)
    record = UserRecord(check_name(name), hashed, role.value, True, 0, None, at, level.value, one_time)
    users.add_user(store, record)
    return to_user(record)


def login(store: Store, name: str, password: str, now: datetime, time_cost: int = TIME_COST) -> User:
    """The user a name and password belong to; AuthenticationError when wrong, locked or disabled."""
    record = users.get_user(store, name)
    if record and record.locked_until and parse(record.locked_until) > now:
        raise AuthenticationError(
            f"account '{name}' is locked after {MAX_FAILURES} failed logins until {record.locked_until}; "
            "try again then, or ask an admin to set a new password"
        )
    matches = _password_matches(password, record.password_hash if record else None, time_cost)
    if record is None or not matches:
        failed = users.record_failed_login(store, name, MAX_FAILURES, stamp(now + LOCK_FOR)) if record else 0
        if failed >= MAX_FAILURES:
            minutes = int(LOCK_FOR.total_seconds() // 60)
            raise AuthenticationError(f"{_BAD_LOGIN}; after {failed} failures '{name}' is locked for {minutes} min")
        raise AuthenticationError(_BAD_LOGIN)
    if not record.active:
        raise AuthenticationError(f"account '{name}' is disabled; ask an admin to enable it")
    users.record_login(store, name)
    _rehash_if_dated(store, record, password, time_cost)
    return to_user(record)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(store: Store, user: User, now: datetime, lasts: timedelta = SESSION_FOR) -> Session:
    """A new session for a user who has just logged in."""
    token = secrets.token_urlsafe(32)
    expires = stamp(now + lasts)
    users.add_session(store, SessionRecord(_token_hash(token), user.name, stamp(now), expires), stamp(now))
    return Session(token, user, expires)


def session_user(store: Store, token: str, now: datetime) -> User:
    """The user of a live session; AuthenticationError when the token is unknown, expired or its user disabled."""
    record = users.session_user(store, _token_hash(token), stamp(now))
    if record is None:
        raise AuthenticationError("the session has expired or is not known; log in again")
    return to_user(record)


def close_session(store: Store, token: str) -> bool:
    """End a session (logout); False if it was not open."""
    return users.end_session(store, _token_hash(token))


def first_admin(store: Store, settings: Settings, at: str, time_cost: int = TIME_COST) -> FirstAdmin | None:
    """On a database without accounts, create `admin` (PREPRO_ADMIN_PASSWORD, else a generated one-time
    password returned here to show once); None when accounts exist already."""
    if users.count_users(store):
        return None
    given = settings.admin_password.get_secret_value() if settings.admin_password else None
    password = given or secrets.token_urlsafe(12)
    try:
        hashed = hash_password(password, time_cost)
    except InputError as exc:
        raise ConfigError(f"PREPRO_ADMIN_PASSWORD is not acceptable: {exc}; set another one") from None
    try:
        clearance = default_clearance(Role.ADMIN.value).value
        users.add_user(
            store, UserRecord(FIRST_ADMIN, hashed, Role.ADMIN.value, True, 0, None, at, clearance, not given)
        )
    except InputError:
        return None  # another process created it at the same moment
    return FirstAdmin(FIRST_ADMIN, None if given else password)
