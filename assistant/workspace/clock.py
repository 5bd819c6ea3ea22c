"""The workspace's clock: injectable (tests pass their own), and one text form of a time for every row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """A time as rows keep it: ISO 8601 in UTC to the second (one width, so text order is time order)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: give the time zone (the workspace clock returns UTC)")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse(text: str) -> datetime:
    """A stamped time back as an aware datetime."""
    return datetime.fromisoformat(text)
