"""Who may read a document's passages: the access levels, the levels each role sees, and the Chroma filter."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from assistant.errors import InputError


class AccessLevel(StrEnum):
    """How confidential a document is; set at ingest, stored with the document and each of its chunks."""

    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"


DEFAULT_ACCESS = AccessLevel.INTERNAL
Allowed = frozenset[AccessLevel]  # the levels a reader may see; None where one is expected means every level

_STAFF: Allowed = frozenset({AccessLevel.PUBLIC, AccessLevel.INTERNAL})
ROLE_ACCESS: dict[str, Allowed] = {
    "engineer": _STAFF,
    "technologist": _STAFF,
    "reviewer": _STAFF,
    "admin": frozenset(AccessLevel),
}


def access_level(value: str | AccessLevel) -> AccessLevel:
    """The access level named by `value`; an unknown name is an error listing the valid ones."""
    try:
        return AccessLevel(str(value).strip().lower())
    except ValueError:
        raise InputError(
            f"unknown access level '{value}' (choose from: {', '.join(level.value for level in AccessLevel)})"
        ) from None


def allowed_for_role(role: str, granted: Iterable[str | AccessLevel] = ()) -> Allowed:
    """The levels a user of `role` may read, plus any levels granted to that user (restricted: admin or granted)."""
    if role not in ROLE_ACCESS:
        raise InputError(f"unknown role '{role}' (choose from: {', '.join(ROLE_ACCESS)})")
    return ROLE_ACCESS[role] | {access_level(level) for level in granted}


def permits(allowed: Allowed | None, level: str) -> bool:
    """Whether a reader with `allowed` levels (None: every level) may read a document of `level`."""
    return allowed is None or level in allowed


def chroma_filter(allowed: Allowed | None) -> dict[str, Any] | None:
    """The Chroma `where` clause that keeps only chunks of the allowed levels (None: no clause)."""
    if allowed is None:
        return None
    return {"access": {"$in": sorted(level.value for level in allowed)}}
