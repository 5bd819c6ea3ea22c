"""Drafts under review: versions, optimistic locking that shows the other's change, history and diffs, the
review flow, approvals blocked by error findings, exports of any version, conversations — on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.api import Assistant
from assistant.config import Settings
from assistant.errors import EditConflict, InputError, PermissionDenied
from assistant.store import Store
from assistant.workspace import LOCAL_USER, Role, User, Workspace
from tests.workspace_kit import EXAMPLE, PASSWORD, Clock, people, routing_draft, workspace


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def helper(db_settings: Settings) -> Iterator[Assistant]:
    made = Assistant(db_settings.model_copy(update={"llm_provider": "offline"}))
    yield made
    made.index.store.close()


@pytest.fixture
def ws(store: Store, db_settings: Settings, clock: Clock, helper: Assistant) -> Workspace:
    return workspace(store, db_settings, clock, helper)


@pytest.fixture
def team(ws: Workspace) -> dict[Role, User]:
    return people(ws)


def _op(draft: dict, number: str) -> dict:
    return next(op for op in draft["operations"] if op["number"] == number)


def test_versions_history_and_a_readable_diff(ws: Workspace, team: dict[Role, User], clock: Clock) -> None:
    author = team[Role.TECHNOLOGIST]
    first = ws.save_version(author, "routing", routing_draft(), EXAMPLE, note="drafted offline")
    assert (first.stage, first.subject, first.version, first.author) == ("routing", "SH-001", 1, "technologist")
    edited = routing_draft()
    second_op = edited["operations"][1]["number"]
    _op(edited, "005")["setup_time_min"] = 12.0
    _op(edited, "005")["tools"].append("Coolant nozzle")
    removed = edited["operations"].pop()
    clock.advance(hours=1)
    second = ws.save_version(team[Role.TECHNOLOGIST], "routing", edited, EXAMPLE, expected_version=1, note="setup")
    assert second.version == 2 and second.created_at == "2026-12-01T11:00:00+00:00"
    history = ws.history(author, first.draft_id)
    assert [(v.version, v.author, v.note) for v in history] == [
        (1, "technologist", "drafted offline"),
        (2, "technologist", "setup"),
    ]
    assert ws.version(author, first.draft_id) == second and ws.version(author, first.draft_id, 1) == first
    diff = ws.diff(author, first.draft_id, 1, 2)
    assert diff.text.startswith("--- routing/SH-001 v1\n+++ routing/SH-001 v2")
    assert '-      "setup_time_min": 10.0,' in diff.text and '+      "setup_time_min": 12.0,' in diff.text
    summary = diff.summary()
    assert summary[0] == 'operations 005: tools +"Coolant nozzle"; setup_time_min 10.0 → 12.0'
    assert f"operations {removed['number']}: removed" in summary and second_op not in " ".join(summary)
    assert ws.diff(author, first.draft_id, 2, 2).changes == []
    with pytest.raises(InputError, match="draft routing/SH-001 has versions 1 to 2; there is no version 3"):
        ws.diff(author, first.draft_id, 1, 3)


def test_a_second_save_on_the_same_version_is_refused_and_shows_the_other_change(
    ws: Workspace, team: dict[Role, User]
) -> None:
    ann, tom = ws.add_user(LOCAL_USER, "ann", Role.TECHNOLOGIST, PASSWORD), team[Role.TECHNOLOGIST]
    base = ws.save_version(ann, "routing", routing_draft(), EXAMPLE)
    toms, anns = routing_draft(), routing_draft()  # both start from version 1
    _op(toms, "005")["setup_time_min"] = 12.0
    _op(anns, "005")["piece_time_min"] = 2.0
    ws.save_version(tom, "routing", toms, EXAMPLE, expected_version=1)
    with pytest.raises(EditConflict) as conflict:
        ws.save_version(ann, "routing", anns, EXAMPLE, expected_version=1)
    message = str(conflict.value)
    assert "draft routing/SH-001 was saved as version 2 by technologist" in message
    assert "after version 1, which your edit is based on; nothing was saved" in message
    assert "Their change: operations 005: setup_time_min 10.0 → 12.0" in message
    assert "save it with expected version 2" in message
    assert (conflict.value.current_version, conflict.value.author) == (2, "technologist")
    assert '+      "setup_time_min": 12.0,' in conflict.value.changes
    assert len(ws.history(ann, base.draft_id)) == 2, "nothing overwritten"
    _op(toms, "005")["piece_time_min"] = 2.0  # Ann reapplies her edit on version 2
    assert ws.save_version(ann, "routing", toms, EXAMPLE, expected_version=2).version == 3
    with pytest.raises(EditConflict, match="before you started a new one"):
        ws.save_version(tom, "routing", routing_draft(), EXAMPLE)
    with pytest.raises(InputError, match="there is no version 9"):
        ws.save_version(tom, "routing", routing_draft(), EXAMPLE, expected_version=9)


def test_a_draft_that_is_not_the_stages_is_refused_by_name(ws: Workspace, team: dict[Role, User]) -> None:
    with pytest.raises(InputError, match="not a routing draft"):
        ws.save_version(
            team[Role.TECHNOLOGIST], "routing", {"part_id": "SH-001", "operations": [{"number": 5}]}, EXAMPLE
        )
    with pytest.raises(InputError, match="unknown stage 'milling'"):
        ws.save_version(team[Role.TECHNOLOGIST], "milling", routing_draft(), EXAMPLE)


def test_the_review_flow(ws: Workspace, team: dict[Role, User]) -> None:
    ann, rita = team[Role.TECHNOLOGIST], team[Role.REVIEWER]
    draft_id = ws.save_version(ann, "routing", routing_draft(), EXAMPLE).draft_id
    assert ws.submit(ann, draft_id, 1).state == "in_review"
    with pytest.raises(InputError, match="needs a comment"):
        ws.request_changes(rita, draft_id, 1, " ")
    ws.comment(rita, draft_id, "Op 005: why a band saw?")
    ws.request_changes(rita, draft_id, 1, "Use the circular saw")
    assert ws.get_draft(ann, draft_id).state == "changes_requested"
    ws.comment(ann, draft_id, "Changed in version 2", version=1)
    ws.save_version(ann, "routing", routing_draft(), EXAMPLE, expected_version=1, note="saw")
    assert ws.get_draft(ann, draft_id).state == "draft"
    with pytest.raises(EditConflict, match="is at version 2 .* not version 1; read version 2 first"):
        ws.approve(rita, draft_id, 1)
    ws.submit(ann, draft_id, 2)
    ws.approve(rita, draft_id, 2, "good")
    with pytest.raises(InputError, match="is approved; it can be decided .* only when it is changes_requested, draft"):
        ws.reject(rita, draft_id, 2, "changed my mind")
    assert [(d.version, d.decision, d.reviewer) for d in ws.decisions(ann, draft_id)] == [
        (1, "request_changes", "reviewer"),
        (2, "approve", "reviewer"),
    ]
    assert [(c.version, c.author) for c in ws.comments(ann, draft_id)] == [(1, "reviewer"), (1, "technologist")]
    assert [d.subject for d in ws.drafts(rita, state="approved")] == ["SH-001"]
    assert ws.drafts(rita, stage="design") == []
    with pytest.raises(InputError, match=r"unknown review state 'done' \(states: draft, in_review"):
        ws.drafts(rita, state="done")
    assert ws.find_draft(rita, "routing", "SH-001") == ws.get_draft(rita, draft_id)
    actions = [(r.user_name, r.action, r.version) for r in ws.audit_log(LOCAL_USER) if r.target == "routing/SH-001"]
    assert actions == [
        ("technologist", "save", 1), ("technologist", "submit", 1), ("reviewer", "comment", 1),
        ("reviewer", "request_changes", 1), ("technologist", "comment", 1), ("technologist", "save", 2),
        ("technologist", "submit", 2), ("reviewer", "approve", 2),
    ]  # fmt: skip


def test_a_draft_with_error_findings_is_approved_only_by_force_and_that_is_audited(
    ws: Workspace, team: dict[Role, User]
) -> None:
    flawed = routing_draft()
    flawed["operations"] = [op for op in flawed["operations"] if op["kind"] != "inspection"]
    draft_id = ws.save_version(team[Role.TECHNOLOGIST], "routing", flawed, EXAMPLE).draft_id
    with pytest.raises(
        InputError, match=r"version 1 of routing/SH-001 has \d+ error finding\(s\): .*approve with force"
    ):
        ws.approve(team[Role.REVIEWER], draft_id, 1)
    assert ws.get_draft(team[Role.REVIEWER], draft_id).state == "draft"
    ws.approve(team[Role.REVIEWER], draft_id, 1, force=True)
    (forced,) = [r for r in ws.audit_log(LOCAL_USER) if r.action == "approve_forced"]
    assert (forced.user_name, forced.version) == ("reviewer", 1) and "inspection" in forced.detail.lower()


def test_any_version_is_exported_and_the_export_is_audited(ws: Workspace, team: dict[Role, User]) -> None:
    first = ws.save_version(team[Role.TECHNOLOGIST], "routing", routing_draft(), EXAMPLE)
    edited = routing_draft()
    _op(edited, "005")["setup_time_min"] = 12.0
    ws.save_version(team[Role.TECHNOLOGIST], "routing", edited, EXAMPLE, expected_version=1)
    old = ws.export(team[Role.REVIEWER], first.draft_id, "md", version=1)
    new = ws.export(team[Role.TECHNOLOGIST], first.draft_id, "docx")
    assert old.name == "SH-001.md" and old.data.startswith(b"# Route card") and new.name == "SH-001.docx"
    with pytest.raises(PermissionDenied, match="may not export"):
        ws.export(team[Role.ADMIN], first.draft_id, "md")
    exports = [(r.user_name, r.version, r.detail) for r in ws.audit_log(LOCAL_USER) if r.action == "export"]
    assert exports == [("reviewer", 1, "md"), ("technologist", 2, "docx")]


def test_conversations_are_kept_per_user_and_resumed(ws: Workspace, team: dict[Role, User]) -> None:
    ann, rita = team[Role.TECHNOLOGIST], team[Role.REVIEWER]
    talk = ws.start_conversation(ann, "  Which fit for a bearing seat\non a shaft? ")
    assert talk.title == "Which fit for a bearing seat on a shaft?"
    ws.add_message(ann, talk.id, "user", "Which fit for a bearing seat?")
    ws.add_message(ann, talk.id, "assistant", "k6 [1].", [{"n": 1, "doc": "fits.md", "section": "4.1"}])
    later = ws.start_conversation(ann, "")
    assert [c.id for c in ws.conversations(ann)] == [later.id, talk.id] and ws.conversations(rita) == []
    assert ws.turns(ann, talk.id) == [
        {"role": "user", "content": "Which fit for a bearing seat?"},
        {"role": "assistant", "content": "k6 [1]."},
    ]
    assert ws.messages(ann, talk.id)[1].citations == [{"n": 1, "doc": "fits.md", "section": "4.1"}]
    with pytest.raises(PermissionDenied, match=f"may not read conversation {talk.id}: it belongs to another user"):
        ws.messages(rita, talk.id)
    with pytest.raises(InputError, match="a message is from user or assistant, not 'system'"):
        ws.add_message(ann, talk.id, "system", "be brief")
    with pytest.raises(InputError, match="there is no conversation 999"):
        ws.messages(ann, 999)
