"""Who may read a document's passages: the access levels, the clearance of each role, and the Chroma filter."""

from __future__ import annotations

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

_ORDER = (AccessLevel.PUBLIC, AccessLevel.INTERNAL, AccessLevel.RESTRICTED)  # least to most confidential
# the clearance an account gets unless an admin sets another: admins read everything, staff up to internal
DEFAULT_CLEARANCE: dict[str, AccessLevel] = {
    "engineer": AccessLevel.INTERNAL,
    "technologist": AccessLevel.INTERNAL,
    "reviewer": AccessLevel.INTERNAL,
    "admin": AccessLevel.RESTRICTED,
}


def access_level(value: str | AccessLevel) -> AccessLevel:
    """The access level named by `value`; an unknown name is an error listing the valid ones."""
    try:
        return AccessLevel(str(value).strip().lower())
    except ValueError:
        raise InputError(
            f"unknown access level '{value}' (choose from: {', '.join(level.value for level in AccessLevel)})"
        ) from None


def default_clearance(role: str) -> AccessLevel:
    """The clearance a new account of `role` gets; an unknown role is an error listing the valid ones."""
    if role not in DEFAULT_CLEARANCE:
        raise InputError(f"unknown role '{role}' (choose from: {', '.join(DEFAULT_CLEARANCE)})")
    return DEFAULT_CLEARANCE[role]


def readable_up_to(clearance: str | AccessLevel) -> Allowed:
    """The levels a reader of this clearance may read: a document's level must not exceed the clearance."""
    return frozenset(_ORDER[: _ORDER.index(access_level(clearance)) + 1])


def permits(allowed: Allowed | None, level: str) -> bool:
    """Whether a reader with `allowed` levels (None: every level) may read a document of `level`."""
    return allowed is None or level in allowed


def chroma_filter(allowed: Allowed | None) -> dict[str, Any] | None:
    """The Chroma `where` clause that keeps only chunks of the allowed levels (None: no clause)."""
    if allowed is None:
        return None
    return {"access": {"$in": sorted(level.value for level in allowed)}}
