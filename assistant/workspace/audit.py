"""The audit trail: what is recorded, checking that the log was not edited, and flagging unusual activity.

Every login (and failed login), account change, draft, saved version, submission, comment, review decision,
export, download and document change is appended to the hash-chained log (assistant.store.audit):
who, when, what, which target and version. `verify` recomputes the chain.

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

import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from assistant.store import Store
from assistant.store import audit as log
from assistant.store.audit import AuditRecord
from assistant.workspace.clock import parse, stamp
from assistant.workspace.roles import LOCAL_USER


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
) -> AuditRecord:
    """Append one row to the audit log."""
    return log.append(store, stamp(at), user, action.value, target, version, detail)


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of verifying the chain: rows checked, and the first row that does not match (None: intact)."""

    rows: int
    broken_at: int | None

    @property
    def ok(self) -> bool:
        """Whether every row matches its hash and links to the row before."""
        return self.broken_at is None

    def describe(self) -> str:
        """One line for people."""
        if self.ok:
            return f"audit log intact: {self.rows} rows, every hash and link matches"
        return (
            f"audit log BROKEN at row {self.broken_at}: its hash or its link to the row before does not match; "
            "that row (or the one before it) was edited, deleted or inserted outside prepro"
        )


def verify(store: Store) -> AuditCheck:
    """Recompute the hash chain of the whole log."""
    return AuditCheck(log.count(store), log.verify_chain(store))


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
