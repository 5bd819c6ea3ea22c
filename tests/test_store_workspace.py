"""The workspace tables' contract, on a real SQLite file and a real PostgreSQL server: accounts and sessions,
drafts with optimistic locking, review decisions, the hash-chained audit log, conversations."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import fields
from itertools import pairwise

import pytest
import sqlalchemy as sa

from assistant.errors import InputError
from assistant.store import Store, audit, conversations, reviews, schema, users
from assistant.store.audit import AuditRecord
from assistant.store.conversations import ConversationRecord, MessageRecord
from assistant.store.reviews import CommentRecord, DecisionRecord, DraftRecord, NewVersion, VersionRecord
from assistant.store.users import SessionRecord, UserRecord

T0 = "2026-12-01T08:00:00+00:00"


def at(hour: int, minute: int = 0) -> str:
    return f"2026-12-01T{hour:02d}:{minute:02d}:00+00:00"


def user(name: str = "ann", role: str = "engineer") -> UserRecord:
    return UserRecord(name, "$argon2id$hash", role, True, 0, None, T0, "internal", False)


def version(author: str = "ann", content: str = '{"n": 1}', when: str = T0) -> NewVersion:
    return NewVersion(content, '{"id": "SH-001"}', author, "", when)


def raw_sql(store: Store, statement: str, **params: object) -> None:
    """Change the database behind prepro's back (as someone with database access could)."""
    with store.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def in_threads(count: int, work: Callable[[int], object]) -> list[object]:
    results: list[object] = [None] * count
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            results[n] = work(n)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


@pytest.mark.parametrize(
    ("record", "table"),
    [
        (UserRecord, schema.users),
        (SessionRecord, schema.sessions),
        (DraftRecord, schema.drafts),
        (VersionRecord, schema.draft_versions),
        (CommentRecord, schema.comments),
        (DecisionRecord, schema.decisions),
        (AuditRecord, schema.audit_log),
        (ConversationRecord, schema.conversations),
        (MessageRecord, schema.messages),
    ],
)
def test_records_follow_their_tables_column_order(record: type, table: sa.Table) -> None:
    assert [f.name for f in fields(record)] == list(table.c.keys()), "rows are read by position"


# ---- users and sessions ---------------------------------------------------------------------------
def test_users_are_added_listed_changed_and_names_are_unique(store: Store) -> None:
    assert users.count_users(store) == 0 and users.get_user(store, "ann") is None
    users.add_user(store, user("ann"))
    users.add_user(store, user("Bob", "reviewer"))
    with pytest.raises(InputError, match="a user named 'ann' exists already"):
        users.add_user(store, user("ann", "admin"))
    assert [u.name for u in users.list_users(store)] == ["Bob", "ann"] and users.count_users(store) == 2
    assert users.get_user(store, "ann") == user("ann")
    assert users.update_user(store, "ann", role="technologist", active=False)
    assert not users.update_user(store, "nobody", role="admin")
    changed = users.get_user(store, "ann")
    assert changed is not None and (changed.role, changed.active) == ("technologist", False)


def test_failed_logins_are_counted_and_lock_at_the_limit(store: Store) -> None:
    users.add_user(store, user())
    assert [users.record_failed_login(store, "ann", 3, at(9, 15)) for _ in range(2)] == [1, 2]
    assert users.record_failed_login(store, "ann", 3, at(9, 15)) == 3
    locked = users.get_user(store, "ann")
    assert locked is not None and (locked.failed_logins, locked.locked_until) == (0, at(9, 15)), "count starts again"
    assert users.record_failed_login(store, "nobody", 3, at(9, 15)) == 0
    users.record_failed_login(store, "ann", 3, at(9, 15))
    users.record_login(store, "ann")
    cleared = users.get_user(store, "ann")
    assert cleared is not None and (cleared.failed_logins, cleared.locked_until) == (0, None)
    users.record_failed_login(store, "ann", 3, at(9, 15))
    users.update_user(store, "ann", password_hash="$2b$04$new")
    fresh = users.get_user(store, "ann")
    assert fresh is not None and (fresh.password_hash, fresh.failed_logins) == ("$2b$04$new", 0), (
        "a new password unlocks"
    )


def test_concurrent_failed_logins_are_all_counted(store: Store) -> None:
    users.add_user(store, user())
    in_threads(8, lambda _n: users.record_failed_login(store, "ann", 100, at(9)))
    counted = users.get_user(store, "ann")
    assert counted is not None and counted.failed_logins == 8


def test_sessions_expire_end_and_die_with_a_disabled_account(store: Store) -> None:
    users.add_user(store, user())
    users.add_session(store, SessionRecord("h1", "ann", at(8), at(16)), at(8))
    users.add_session(store, SessionRecord("h2", "ann", at(8), at(9)), at(8))
    assert users.session_user(store, "h1", at(15, 59)) == user() and users.session_user(store, "h1", at(16)) is None
    assert users.session_user(store, "unknown", at(8)) is None
    users.add_session(store, SessionRecord("h3", "ann", at(10), at(18)), at(10))  # housekeeping drops h2
    with store.reading() as conn:
        assert sorted(conn.execute(sa.select(schema.sessions.c.token_hash)).scalars()) == ["h1", "h3"]
    assert users.end_session(store, "h1") and not users.end_session(store, "h1")
    users.update_user(store, "ann", active=False)
    assert users.session_user(store, "h3", at(11)) is None, "a disabled account's session is not honoured"
    assert users.end_sessions_of(store, "ann") == 1


# ---- drafts, versions, decisions, comments --------------------------------------------------------
def test_versions_are_appended_with_optimistic_locking(store: Store) -> None:
    first = reviews.append_version(store, "routing", "SH-001", version(), None)
    assert first is not None and first.version == 1
    draft = reviews.find_draft(store, "routing", "SH-001")
    assert draft == DraftRecord(first.draft_id, "routing", "SH-001", "draft", 1, "ann", T0, T0)
    second = reviews.append_version(store, "routing", "SH-001", version("bob", '{"n": 2}', at(9)), 1)
    assert second is not None and (second.version, second.author) == (2, "bob")
    assert reviews.append_version(store, "routing", "SH-001", version("ann", '{"n": 3}', at(10)), 1) is None
    assert reviews.append_version(store, "routing", "SH-001", version(), None) is None, "exists already"
    assert reviews.append_version(store, "routing", "SH-002", version(), 4) is None, "no such draft"
    now = reviews.get_draft(store, first.draft_id)
    assert now is not None and (now.version, now.updated_at) == (2, at(9)), "the refused saves wrote nothing"
    assert [v.content for v in reviews.list_versions(store, first.draft_id)] == ['{"n": 1}', '{"n": 2}']
    assert (
        reviews.get_version(store, first.draft_id, 2) == second
        and reviews.get_version(store, first.draft_id, 3) is None
    )
    assert [d.subject for d in reviews.list_drafts(store, stage="routing", state="draft")] == ["SH-001"]
    assert reviews.list_drafts(store, stage="design") == [] and reviews.find_draft(store, "routing", "SH-002") is None


def test_concurrent_saves_on_one_version_let_exactly_one_win(store: Store) -> None:
    reviews.append_version(store, "routing", "SH-001", version(), None)
    saved = in_threads(6, lambda n: reviews.append_version(store, "routing", "SH-001", version(f"u{n}", f"{n}"), 1))
    winners = [v for v in saved if v is not None]
    assert len(winners) == 1 and isinstance(winners[0], VersionRecord) and winners[0].version == 2
    draft = reviews.find_draft(store, "routing", "SH-001")
    assert draft is not None and draft.version == 2 and len(reviews.list_versions(store, draft.id)) == 2


def test_concurrent_first_saves_create_one_draft(store: Store) -> None:
    saved = in_threads(4, lambda n: reviews.append_version(store, "design", "P-1", version(f"u{n}"), None))
    assert sum(v is not None for v in saved) == 1 and len(reviews.list_drafts(store)) == 1


def test_decisions_move_the_state_only_from_the_decided_version(store: Store) -> None:
    first = reviews.append_version(store, "routing", "SH-001", version(), None)
    assert first is not None
    draft_id = first.draft_id
    assert reviews.set_state(store, draft_id, 1, "in_review", {"draft"}, at(9))
    assert not reviews.set_state(store, draft_id, 1, "in_review", {"draft"}, at(9)), "not from in_review"
    stale = DecisionRecord(0, draft_id, 2, "rita", "approve", "", at(10))
    assert reviews.record_decision(store, stale, "approved", {"in_review"}) is None
    decided = reviews.record_decision(
        store, DecisionRecord(0, draft_id, 1, "rita", "approve", "ok", at(10)), "approved", {"in_review"}
    )
    assert decided is not None and decided.id > 0 and decided.comment == "ok"
    again = DecisionRecord(0, draft_id, 1, "rita", "reject", "no", at(11))
    assert reviews.record_decision(store, again, "rejected", {"in_review"}) is None
    assert reviews.list_decisions(store, draft_id) == [decided]
    draft = reviews.get_draft(store, draft_id)
    assert draft is not None and (draft.state, draft.updated_at) == ("approved", at(10))
    reviews.append_version(store, "routing", "SH-001", version(when=at(12)), 1)
    reopened = reviews.get_draft(store, draft_id)
    assert reopened is not None and (reopened.state, reopened.version) == ("draft", 2), "a new version reopens it"


def test_comments_are_kept_in_order(store: Store) -> None:
    first = reviews.append_version(store, "routing", "SH-001", version(), None)
    assert first is not None
    one = reviews.add_comment(store, first.draft_id, 1, "rita", "Op 020: which fixture?", at(9))
    two = reviews.add_comment(store, first.draft_id, 1, "ann", "The collet chuck.", at(10))
    assert reviews.list_comments(store, first.draft_id) == [one, two] and two.id > one.id


# ---- the audit log --------------------------------------------------------------------------------
def test_audit_rows_are_chained_and_an_edited_row_is_found(store: Store) -> None:
    assert audit.verify_chain(store) is None and audit.count(store) == 0
    rows = [audit.append(store, at(8, n), "ann", "export", "routing/SH-001", n, "docx") for n in range(5)]
    assert rows[0].prev_hash == audit.GENESIS and all(b.prev_hash == a.hash for a, b in pairwise(rows))
    assert rows[2].hash == audit.row_hash(at(8, 2), "ann", "export", "routing/SH-001", 2, "docx", rows[1].hash)
    assert audit.verify_chain(store) is None and audit.count(store) == 5
    raw_sql(store, "UPDATE audit_log SET detail = 'json' WHERE id = :id", id=rows[3].id)
    assert audit.verify_chain(store) == rows[3].id
    raw_sql(store, "UPDATE audit_log SET detail = 'docx' WHERE id = :id", id=rows[3].id)
    assert audit.verify_chain(store) is None, "restored, it matches again"
    raw_sql(store, "DELETE FROM audit_log WHERE id = :id", id=rows[1].id)
    assert audit.verify_chain(store) == rows[2].id, "a deleted row breaks the next row's link"


def test_a_recomputed_hash_still_breaks_the_link(store: Store) -> None:
    rows = [audit.append(store, at(8, n), "ann", "login", "user:ann", None, "") for n in range(3)]
    forged = audit.row_hash(rows[1].at, "mallory", "login", "user:ann", None, "", rows[1].prev_hash)
    raw_sql(store, "UPDATE audit_log SET user_name = 'mallory', hash = :h WHERE id = :id", h=forged, id=rows[1].id)
    assert audit.verify_chain(store) == rows[2].id


def test_concurrent_appends_keep_one_chain(store: Store) -> None:
    in_threads(6, lambda n: [audit.append(store, at(9, n), f"u{n}", "save", "t", i, "") for i in range(10)])
    assert audit.count(store) == 60 and audit.verify_chain(store) is None


def test_a_long_log_is_verified_in_batches(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "VERIFY_BATCH", 4)
    rows = [audit.append(store, at(8, n), "ann", "save", "t", n, "") for n in range(10)]
    assert audit.verify_chain(store) is None
    raw_sql(store, "UPDATE audit_log SET version = 99 WHERE id = :id", id=rows[9].id)
    assert audit.verify_chain(store) == rows[9].id


def test_audit_entries_are_filtered_and_limited(store: Store) -> None:
    for n, (who, action) in enumerate([("ann", "login"), ("bob", "export"), ("ann", "export"), ("ann", "save")]):
        audit.append(store, at(8 + n), who, action, "t", None, "")
    assert [r.action for r in audit.entries(store, user_name="ann")] == ["login", "export", "save"]
    assert [r.user_name for r in audit.entries(store, actions=["export"])] == ["bob", "ann"]
    assert [r.at for r in audit.entries(store, since=at(9), until=at(11))] == [at(9), at(10)]
    assert [r.action for r in audit.entries(store, limit=2)] == ["export", "save"], "the newest, oldest first"


# ---- conversations --------------------------------------------------------------------------------
def test_conversations_are_kept_per_user_with_their_messages(store: Store) -> None:
    first = conversations.create_conversation(store, "ann", "Fits for a bearing seat", at(8))
    second = conversations.create_conversation(store, "ann", "Grinding stock", at(9))
    conversations.create_conversation(store, "bob", "Other", at(9))
    assert conversations.list_conversations(store, "ann") == [second, first]
    question = conversations.add_message(store, first.id, "user", "Which fit?", "[]", at(8))
    answer = conversations.add_message(store, first.id, "assistant", "k6 [1].", '[{"n": 1}]', at(8, 1))
    assert conversations.list_messages(store, first.id) == [question, answer]
    assert (
        conversations.get_conversation(store, first.id) == first and conversations.get_conversation(store, 999) is None
    )
    assert conversations.delete_conversation(store, first.id) and conversations.list_messages(store, first.id) == []
