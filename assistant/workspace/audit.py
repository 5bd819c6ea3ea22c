"""The audit trail: what is recorded, checking that the log was not edited, and flagging unusual activity.

Every login (and failed login), account change, draft, saved version, submission, comment, review decision,
export, download and document change is appended to the hash-chained log (assistant.store.audit):
who, when, what, which target and version. `verify` recomputes the chain.

The anchor outside the database
-------------------------------
The chain finds an edited, inserted or deleted row, but not the newest rows cut off: a shorter chain is
still a valid chain. So after each append the chain head (the newest row's id and hash, how many rows lead
up to it, and which database) is written to `PREPRO_HOME/audit-anchor.json` (a temporary file, then
`os.replace`: a reader never sees half a file). `verify` reads the anchor first, then the rows: a log that
ends before the anchored row, or whose row at that id has another hash, had its newest rows deleted. No
anchor file yet (a workspace from before, or a fresh one) is not an error: the tail is reported unanchored
and the next append writes the file.

The anchor only moves forward, along the chain it anchors: processes of one machine take turns on a lock
file beside it, and a row is anchored only if its id is above the anchored one and the anchored row is still
in the database with its hash. So when several processes append to one PostgreSQL database, one that
finishes later with an older row leaves the newer anchor alone; and once rows were cut off, the anchor stays
where it was as the evidence (an admin who has looked into it removes the file, and the next append anchors
the log as it is). An anchor written for another database (PREPRO_DATABASE_URL changed, PREPRO_HOME kept)
leaves this one unanchored and is not overwritten either. The anchor protects as far as the file is out of
reach of whoever can write to the database (another machine than the PostgreSQL server, other permissions).

Unusual activity — a simple model an admin can check by hand
-----------------------------------------------------------
For each user and each pattern, count the user's matching events per calendar day over the last `days`
days (zeros included for quiet days since the user's first event in the window):

- `bulk_exports`: exports; `downloads`: downloads;
- `off_hours`: any action at a local hour outside 06:00–22:00;
- `failed_logins`: failed logins (a name that does not exist counts under the name tried).

A day is compared with the user's other days (leave one out): its robust z-score is
`z = (x − median) / max(1.4826 × MAD, 1)`, where MAD is the median absolute deviation from the median
(1.4826 × MAD estimates the standard deviation of normal data, and is not pulled up by the outliers it
should find); the scale is at least one event, so a perfectly regular user is not flagged for one extra
event. A user with fewer than 7 other days in the window is compared with everyone's days instead. A day is
flagged when `z >= 3` and its count reaches the pattern's minimum (10 exports, 10 downloads, 3 off-hours
actions, 3 failed logins). The local trusted caller (`local`: CLI and batch runs) is not a person and is
left out.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path

from assistant.store import Store
from assistant.store import audit as log
from assistant.store.audit import AuditRecord
from assistant.workspace.clock import parse, stamp
from assistant.workspace.roles import LOCAL_USER

if sys.platform != "win32":
    import fcntl

_logger = logging.getLogger(__name__)
ANCHOR_FILE = "audit-anchor.json"


class AuditAction(StrEnum):
    """What an audit row records."""

    FIRST_ADMIN = "first_admin"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    USER_CREATE = "user_create"
    USER_CHANGE = "user_change"
    DRAFT = "draft"
    SAVE = "save"
    SUBMIT = "submit"
    COMMENT = "comment"
    APPROVE = "approve"
    APPROVE_FORCED = "approve_forced"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    EXPORT = "export"
    DOWNLOAD = "download"
    DOCUMENT_ADD = "document_add"
    DOCUMENT_UPDATE = "document_update"
    DOCUMENT_REMOVE = "document_remove"
    CONVERSATION = "conversation"


def record(
    store: Store,
    at: datetime,
    user: str,
    action: AuditAction,
    target: str,
    version: int | None = None,
    detail: str = "",
    anchor: Path | None = None,
) -> AuditRecord:
    """Append one row to the audit log; with an anchor file, move the anchor to the new row (see advance_anchor)."""
    row = log.append(store, stamp(at), user, action.value, target, version, detail)
    if anchor is not None:
        advance_anchor(store, anchor, row)
    return row


# ---- the anchor outside the database ------------------------------------------------------------
class AnchorError(ValueError):
    """The anchor file is there but cannot be read (edited by hand, or not readable for this process)."""


@dataclass(frozen=True)
class Anchor:
    """The chain head as written outside the database: the newest row's id and hash, rows up to it, the database."""

    id: int
    hash: str
    rows: int
    database: str


def anchor_path(home: Path) -> Path:
    """Where the anchor of the workspace at `home` (PREPRO_HOME) is kept."""
    return home / ANCHOR_FILE


def read_anchor(path: Path) -> Anchor | None:
    """The anchor in `path`; None when there is no file yet; AnchorError when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AnchorError(f"the audit anchor {path} cannot be read ({exc})") from exc
    try:
        data = json.loads(text)
        return Anchor(int(data["id"]), str(data["hash"]), int(data["rows"]), str(data["database"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise AnchorError(f"the audit anchor {path} is not an anchor prepro wrote ({exc!r})") from exc


def _write_anchor(path: Path, anchor: Anchor) -> None:
    """Write the anchor whole: to a temporary file beside it, flushed to disk, then renamed over it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(anchor), out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _anchor_lock(path: Path) -> Iterator[None]:
    """Processes (and threads) of this machine take turns reading, comparing and replacing the anchor."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a", encoding="utf-8") as lock:
        if sys.platform != "win32":
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # released when the file is closed
        yield


def _newest_from(store: Store, first_id: int) -> list[AuditRecord]:
    """Every row with an id from `first_id` on (and maybe a few before it), oldest first."""
    wanted = 1
    while True:
        rows = log.entries(store, limit=wanted)
        if len(rows) < wanted or rows[0].id <= first_id:
            return rows
        wanted = max(wanted + 1, rows[-1].id - first_id + 1)  # ids are unique: this many reach first_id


def _next_anchor(store: Store, current: Anchor | None, row: AuditRecord) -> Anchor | None:
    """The anchor at `row` if moving there is forward along the anchored chain; None to leave the file alone."""
    database = store.label
    if current is None:  # the first anchor: count the rows, exact only if no row came after this one meanwhile
        total = log.count(store)
        newest = log.entries(store, limit=1)
        return Anchor(row.id, row.hash, total, database) if newest and newest[-1].id == row.id else None
    if current.database != database or row.id <= current.id:
        return None  # another database's anchor, or another process has anchored a newer row
    if row.prev_hash == current.hash:  # the next row after the anchored one
        return Anchor(row.id, row.hash, current.rows + 1, database)
    rows = _newest_from(store, current.id)
    anchored = next((r for r in rows if r.id == current.id), None)
    if anchored is None or anchored.hash != current.hash:
        _logger.warning(
            "audit row %d is not the row the anchor outside the database records (%s); the anchor stays as the "
            "evidence until an admin removes it: run `prepro audit verify`",
            current.id,
            "deleted" if anchored is None else "another hash",
        )
        return None
    return Anchor(row.id, row.hash, current.rows + sum(current.id < r.id <= row.id for r in rows), database)


def advance_anchor(store: Store, path: Path, row: AuditRecord) -> Anchor | None:
    """Move the anchor in `path` to the just appended `row` if that is forward; the anchor written, or None.

    The row is already committed: a file that cannot be written is logged, not raised (the action happened)."""
    try:
        with _anchor_lock(path):
            made = _next_anchor(store, read_anchor(path), row)
            if made is not None:
                _write_anchor(path, made)
            return made
    except (OSError, AnchorError) as exc:
        _logger.warning("the audit anchor %s was not moved to row %d: %s", path, row.id, exc)
        return None


# ---- verifying ------------------------------------------------------------------------------------
class Tail(StrEnum):
    """How the end of the log compares with the anchor outside the database."""

    ANCHORED = "anchored"  # the log reaches the anchored row, with its hash
    UNANCHORED = "unanchored"  # no anchor for this database yet: a cut-off tail would not be seen
    TRUNCATED = "truncated"  # the log ends before the anchored row, or that row was replaced: rows were deleted
    UNREADABLE = "unreadable"  # the anchor file is there but is not an anchor prepro wrote


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of verifying the log: rows checked, the first row that does not match (None: intact), and how
    its end compares with the anchor outside the database (the ids: the anchored row, the log's last row)."""

    rows: int
    broken_at: int | None
    tail: Tail = Tail.UNANCHORED
    tail_detail: str = ""
    anchor_id: int | None = None
    last_id: int | None = None

    @property
    def ok(self) -> bool:
        """Whether every row matches its hash and links to the row before, and no row was cut off the end."""
        return self.broken_at is None and self.tail not in (Tail.TRUNCATED, Tail.UNREADABLE)

    @property
    def unanchored(self) -> bool:
        """Whether the end of the log went unchecked (no anchor yet): fine, but worth saying."""
        return self.tail is Tail.UNANCHORED

    def describe(self) -> str:
        """One line for people."""
        if self.broken_at is None:
            chain = f"audit log intact: {self.rows} rows, every hash and link matches"
        else:
            chain = (
                f"audit log BROKEN at row {self.broken_at}: its hash or its link to the row before does not match; "
                "that row (or the one before it) was edited, deleted or inserted outside prepro"
            )
        if self.tail in (Tail.TRUNCATED, Tail.UNREADABLE):
            label = "TRUNCATED" if self.tail is Tail.TRUNCATED else "NOT CHECKED TO THE END"
            return (
                f"audit log {label}: {self.tail_detail}"
                if self.broken_at is None
                else f"{chain}. Also: {self.tail_detail}"
            )
        return f"{chain}; {self.tail_detail or 'the end of the log was not compared with an anchor'}"


def _truncated(anchor: Anchor, last: AuditRecord | None, total: int) -> str:
    fewer = anchor.rows - total
    missing = f"ids {(last.id if last else 0) + 1} to {anchor.id}" + (
        f", {fewer} rows fewer than the anchor counts" if fewer > 0 else ""
    )
    ends = f"ends at row {last.id}" if last else "has no rows"
    return (
        f"the audit log {ends} but the anchor outside the database records row {anchor.id}: "
        f"the newest rows were deleted ({missing})"
    )


def _tail(store: Store, path: Path | None) -> tuple[Tail, str, int | None, int | None]:
    """(state, words, anchored id, last id) of the log's end against the anchor; the anchor is read first."""
    if path is None:
        return Tail.UNANCHORED, "the end of the log was not compared with an anchor", None, None
    try:
        anchor = read_anchor(path)
    except AnchorError as exc:
        return Tail.UNREADABLE, f"{exc}; remove it and the next append anchors the log as it is then", None, None
    if anchor is None:
        return (
            Tail.UNANCHORED,
            f"the end of the log is unanchored (no anchor file {path} yet; the next append writes it), "
            "so deleting the newest rows would not be noticed until then",
            None,
            None,
        )
    if anchor.database != store.label:
        return (
            Tail.UNANCHORED,
            f"the end of the log is unanchored: the anchor file {path} records another database "
            f"({anchor.database}); remove it and the next append anchors this one",
            anchor.id,
            None,
        )
    rows = _newest_from(store, anchor.id)
    last = rows[-1] if rows else None
    last_id = last.id if last else None
    if last is None or last.id < anchor.id:
        return Tail.TRUNCATED, _truncated(anchor, last, log.count(store)), anchor.id, last_id
    anchored = next((r for r in rows if r.id == anchor.id), None)
    if anchored is None or anchored.hash != anchor.hash:
        what = "is gone" if anchored is None else "has another hash"
        return (
            Tail.TRUNCATED,
            f"row {anchor.id}, the newest row when the anchor outside the database was written, {what}: the newest "
            f"rows were deleted (from row {anchor.id} or before) and the log goes on to row {last.id}",
            anchor.id,
            last_id,
        )
    return (
        Tail.ANCHORED,
        f"it reaches row {anchor.id} with the hash the anchor outside the database records",
        anchor.id,
        last_id,
    )


def verify(store: Store, anchor: Path | None = None) -> AuditCheck:
    """Recompute the hash chain of the whole log, and compare its end with the anchor file (if given)."""
    tail = _tail(store, anchor)  # the anchor before the rows: a concurrent append cannot put it ahead of them
    return AuditCheck(log.count(store), log.verify_chain(store), *tail)


# ---- unusual activity ---------------------------------------------------------------------------
THRESHOLD = 3.0
MAD_TO_SD = 1.4826
MIN_SCALE = 1.0  # events: the smallest spread a baseline is given
MIN_OWN_DAYS = 7  # fewer other days than this: compare with everyone's days
WORK_HOURS = (6, 22)  # local hours [start, end) of normal work


def _off_hours(moment: datetime) -> bool:
    return not WORK_HOURS[0] <= moment.hour < WORK_HOURS[1]


@dataclass(frozen=True)
class Pattern:
    """A kind of unusual activity: which events count, the fewest per day worth a flag, and its words."""

    name: str
    counts: Callable[[AuditRecord, datetime], bool]  # (row, its local time) → whether the row counts
    minimum: int
    what: str


PATTERNS: tuple[Pattern, ...] = (
    Pattern("bulk_exports", lambda row, _t: row.action == AuditAction.EXPORT, 10, "exports"),
    Pattern("downloads", lambda row, _t: row.action == AuditAction.DOWNLOAD, 10, "downloads"),
    Pattern("off_hours", lambda _row, t: _off_hours(t), 3, "actions outside 06:00–22:00"),
    Pattern("failed_logins", lambda row, _t: row.action == AuditAction.LOGIN_FAILED, 3, "failed logins"),
)


@dataclass(frozen=True)
class Anomaly:
    """A flagged user-day: the count, the baseline it is compared with (median), the robust z, and why."""

    user: str
    pattern: str
    day: str
    value: int
    baseline: float
    score: float
    explanation: str


def robust_z(value: float, baseline: Sequence[float]) -> tuple[float, float, float]:
    """(z, median, MAD) of a value against a baseline: z = (value − median) / max(1.4826 × MAD, 1)."""
    median = statistics.median(baseline)
    mad = statistics.median(abs(b - median) for b in baseline)
    return (value - median) / max(MAD_TO_SD * mad, MIN_SCALE), median, mad


Counts = dict[str, dict[date, int]]  # user → day → events


def _daily_counts(rows: list[AuditRecord], pattern: Pattern, tz: tzinfo, today: date) -> Counts:
    """Per user, events per day from the user's first day in the window to today (quiet days as 0)."""
    counts: Counts = defaultdict(dict)
    for row in rows:
        moment = parse(row.at).astimezone(tz)
        days = counts[row.user_name]
        day = moment.date()
        days[day] = days.get(day, 0) + int(pattern.counts(row, moment))
    for days in counts.values():
        first = min(days)
        for n in range((today - first).days + 1):
            days.setdefault(first + timedelta(days=n), 0)
    return counts


def _flag(user: str, day: date, counts: Counts, pattern: Pattern) -> Anomaly | None:
    value = counts[user][day]
    if value < pattern.minimum:
        return None
    own = [n for d, n in counts[user].items() if d != day]
    pooled = len(own) < MIN_OWN_DAYS
    baseline = [n for u, days in counts.items() for d, n in days.items() if (u, d) != (user, day)] if pooled else own
    if not baseline:
        return None
    z, median, mad = robust_z(value, baseline)
    if z < THRESHOLD:
        return None
    whose = (
        f"all users' days ({len(baseline)} user-days; {user} has under {MIN_OWN_DAYS} other days)"
        if pooled
        else (f"{user}'s other {len(baseline)} days")
    )
    explanation = (
        f"{user}: {value} {pattern.what} on {day.isoformat()}, against a usual {median:g} a day (median of {whose}, "
        f"MAD {mad:g}); robust z = ({value} − {median:g}) / max(1.4826 × {mad:g}, 1) = {z:.1f} ≥ {THRESHOLD:g}"
    )
    return Anomaly(user, pattern.name, day.isoformat(), value, float(median), round(z, 2), explanation)


def anomalies(store: Store, now: datetime, days: int = 28, tz: tzinfo = UTC) -> list[Anomaly]:
    """Flagged user-days over the last `days` calendar days up to `now` (days and hours in `tz`), strongest first."""
    today = now.astimezone(tz).date()
    start = datetime.combine(today - timedelta(days=days - 1), time.min, tzinfo=tz)
    rows = log.entries(store, since=stamp(start), until=stamp(now + timedelta(seconds=1)))
    people = [r for r in rows if r.user_name != LOCAL_USER.name]
    found: list[Anomaly] = []
    for pattern in PATTERNS:
        counts = _daily_counts(people, pattern, tz, today)
        found += [a for user in counts for day in counts[user] if (a := _flag(user, day, counts, pattern))]
    return sorted(found, key=lambda a: (-a.score, a.user, a.pattern, a.day))
