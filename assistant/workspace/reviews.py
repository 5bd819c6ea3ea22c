"""Drafts under review: saving versions without overwriting anyone, the review states, decisions, history.

A draft moves `draft` → (submit) `in_review` → `approved`, `rejected` or `changes_requested`; a decision
is taken on the latest version of an open draft (draft, in review, changes requested). Saving a new
version makes it a `draft` again, so an approval always belongs to the version that was read. Two people
editing one draft: each save names the version it was based on, and a save based on an older version
is refused with an EditConflict that shows the other's change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from assistant.errors import EditConflict, InputError, PreproError
from assistant.stages.registry import get_stage
from assistant.store import Store
from assistant.store import reviews as stored
from assistant.store.reviews import DecisionRecord, DraftRecord, NewVersion, VersionRecord
from assistant.workspace.diff import Diff, diff


class ReviewState(StrEnum):
    """Where a draft is in its review."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class Decision(StrEnum):
    """A reviewer's decision on a version."""

    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"


OPEN = frozenset({ReviewState.DRAFT, ReviewState.IN_REVIEW, ReviewState.CHANGES_REQUESTED})
SUBMITTABLE = frozenset({ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED})
OUTCOME: dict[Decision, ReviewState] = {
    Decision.APPROVE: ReviewState.APPROVED,
    Decision.REJECT: ReviewState.REJECTED,
    Decision.REQUEST_CHANGES: ReviewState.CHANGES_REQUESTED,
}


@dataclass(frozen=True)
class Version:
    """One saved version of a draft: the draft's JSON value and its input's, who saved it and when."""

    draft_id: int
    stage: str
    subject: str
    version: int
    content: dict[str, Any]
    input: dict[str, Any]
    author: str
    note: str
    created_at: str


def parse_state(text: str) -> ReviewState:
    """A review state by name; an unknown one lists the states there are."""
    try:
        return ReviewState(str(text))
    except ValueError:
        raise InputError(f"unknown review state '{text}' (states: {', '.join(ReviewState)})") from None


def label(draft: DraftRecord) -> str:
    """How messages name a draft: `routing/SH-001`."""
    return f"{draft.stage}/{draft.subject}"


def _version(draft: DraftRecord, record: VersionRecord) -> Version:
    return Version(
        draft.id, draft.stage, draft.subject, record.version, json.loads(record.content), json.loads(record.input),
        record.author, record.note, record.created_at,
    )  # fmt: skip


def get_draft(store: Store, draft_id: int) -> DraftRecord:
    """A draft by id; an unknown id is an input error."""
    draft = stored.get_draft(store, draft_id)
    if draft is None:
        raise InputError(f"there is no draft with id {draft_id}; list the drafts to find its id")
    return draft


def get_version(store: Store, draft: DraftRecord, version: int | None = None) -> Version:
    """A version of a draft (the latest by default); one that does not exist is an input error."""
    number = draft.version if version is None else version
    record = stored.get_version(store, draft.id, number)
    if record is None:
        raise InputError(f"draft {label(draft)} has versions 1 to {draft.version}; there is no version {number}")
    return _version(draft, record)


def history(store: Store, draft: DraftRecord) -> list[Version]:
    """Every version of a draft, oldest first."""
    return [_version(draft, r) for r in stored.list_versions(store, draft.id)]


def compare(store: Store, draft: DraftRecord, first: int, second: int) -> Diff:
    """The readable difference from one version of a draft to another."""
    before, after = get_version(store, draft, first), get_version(store, draft, second)
    return diff(draft.stage, draft.subject, (first, second), before.content, after.content)


def _canonical(stage: str, draft: Any, source: Any) -> tuple[str, str, str]:
    """(subject, draft JSON, input JSON) of a draft and its input, both validated by the stage."""
    spec = get_stage(stage)
    value = spec.load_input(source)
    model = spec.load_draft(draft)
    return spec.subject(value), model.model_dump_json(), json.dumps(value.model_dump(mode="json"), ensure_ascii=False)


def save_version(
    store: Store, author: str, stage: str, draft: Any, source: Any, expected: int | None, note: str, at: str
) -> Version:
    """Save a draft (a model, dict or JSON file) of a stage for its input as a new version on top of version
    `expected` (None: a new draft); EditConflict when someone saved since then."""
    subject, content, input_json = _canonical(stage, draft, source)
    saved = stored.append_version(store, stage, subject, NewVersion(content, input_json, author, note, at), expected)
    if saved is None:
        raise _conflict(store, stage, subject, expected, json.loads(content))
    return _version(get_draft(store, saved.draft_id), saved)


def _conflict(store: Store, stage: str, subject: str, expected: int | None, mine: dict[str, Any]) -> PreproError:
    current = stored.find_draft(store, stage, subject)
    if current is None:
        return InputError(f"there is no draft {stage}/{subject} yet; save it without an expected version to start one")
    if expected is not None and not 0 <= expected <= current.version:
        return InputError(f"draft {label(current)} is at version {current.version}; there is no version {expected}")
    latest = get_version(store, current)
    authors = sorted({v.author for v in history(store, current)[expected or 0 :]})
    if expected:
        theirs = compare(store, current, expected, current.version)
        since = f"after version {expected}, which your edit is based on"
    else:
        theirs = diff(stage, subject, (current.version, 0), latest.content, mine)
        since = "before you started a new one"
    summary = "; ".join(theirs.summary()[:8]) or "no field changed"
    return EditConflict(
        f"draft {label(current)} was saved as version {current.version} by {', '.join(authors)} (last at "
        f"{latest.created_at}) {since}; nothing was saved. Their change: {summary}. Load version "
        f"{current.version}, reapply your edit and save it with expected version {current.version}",
        current_version=current.version,
        author=latest.author,
        changes=theirs.text,
    )


def submit(store: Store, draft: DraftRecord, version: int, at: str) -> DraftRecord:
    """Put the latest version of a draft up for review."""
    if not stored.set_state(store, draft.id, version, ReviewState.IN_REVIEW, SUBMITTABLE, at):
        raise _refused(store, draft.id, version, "submitted", SUBMITTABLE)
    return get_draft(store, draft.id)


def decide(
    store: Store, reviewer: str, draft: DraftRecord, version: int, decision: Decision, comment: str, at: str
) -> DecisionRecord:
    """Keep a reviewer's decision on the latest version of an open draft and move the draft to its outcome."""
    if decision is not Decision.APPROVE and not comment.strip():
        raise InputError(f"say why: a decision to {decision.value.replace('_', ' ')} needs a comment")
    record = DecisionRecord(0, draft.id, version, reviewer, decision.value, comment, at)
    done = stored.record_decision(store, record, OUTCOME[decision], OPEN)
    if done is None:
        raise _refused(store, draft.id, version, f"decided ({decision.value})", OPEN)
    return done


def _refused(store: Store, draft_id: int, version: int, what: str, allowed: frozenset[ReviewState]) -> PreproError:
    """Why a draft could not be moved: it moved on to a newer version, or it is in another state."""
    draft = get_draft(store, draft_id)
    if draft.version != version:
        theirs = compare(store, draft, version, draft.version) if 1 <= version < draft.version else None
        latest = get_version(store, draft)
        return EditConflict(
            f"draft {label(draft)} is at version {draft.version} (saved by {latest.author} at {latest.created_at}), "
            f"not version {version}; read version {draft.version} first"
            + (f" — its change: {'; '.join(theirs.summary()[:8])}" if theirs else ""),
            current_version=draft.version,
            author=latest.author,
            changes=theirs.text if theirs else "",
        )
    states = ", ".join(sorted(allowed))
    return InputError(
        f"draft {label(draft)} is {draft.state}; it can be {what} only when it is {states} (save a new version to "
        "reopen it)"
    )
