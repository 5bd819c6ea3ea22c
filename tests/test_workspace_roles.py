"""Who may do what: the permission table, enforced by the workspace and the Assistant for every front end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import Settings
from assistant.errors import InputError, PermissionDenied
from assistant.store import Store
from assistant.workspace import LOCAL_USER, PERMISSIONS, Action, AuditAction, Role, User, Workspace
from assistant.workspace.roles import WHAT, parse_role, require
from tests.workspace_kit import EXAMPLE, Clock, people, routing_draft, workspace

# the rules, written out once more by hand: the table must say exactly this
EXPECTED = {
    Role.ENGINEER: {"read", "draft", "edit", "comment", "export", "chat"},
    Role.TECHNOLOGIST: {"read", "draft", "edit", "comment", "export", "chat"},
    Role.REVIEWER: {"read", "comment", "review", "export", "chat"},
    Role.ADMIN: {"read", "chat", "manage_users", "manage_documents", "audit"},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_the_permission_matrix(role: Role, action: Action) -> None:
    user = User("someone", role)
    if action in EXPECTED[role]:
        require(user, action)
    else:
        with pytest.raises(PermissionDenied, match=rf"user 'someone' \(role {role}\) may not .*action '{action}'"):
            require(user, action)


def test_every_action_has_roles_and_words_and_the_local_caller_may_do_anything() -> None:
    assert set(PERMISSIONS) == set(Action) == set(WHAT)
    for action in Action:
        require(LOCAL_USER, action)
    with pytest.raises(PermissionDenied, match="the account is disabled"):
        require(User("gone", Role.ADMIN, active=False), Action.READ)
    assert parse_role(" Reviewer ") is Role.REVIEWER
    with pytest.raises(InputError, match=r"unknown role 'boss' \(roles: engineer, technologist, reviewer, admin\)"):
        parse_role("boss")


@pytest.fixture
def ws(store: Store, db_settings: Settings) -> Workspace:
    return workspace(store, db_settings, Clock())


def test_engineer_cannot_approve_and_reviewer_can(ws: Workspace) -> None:
    team = people(ws)
    saved = ws.save_version(team[Role.TECHNOLOGIST], "routing", routing_draft(), EXAMPLE)
    with pytest.raises(PermissionDenied) as denied:
        ws.approve(team[Role.ENGINEER], saved.draft_id, 1)
    assert "user 'engineer' (role engineer) may not approve, reject or request changes on drafts" in str(denied.value)
    assert "needs the role reviewer" in str(denied.value)
    with pytest.raises(PermissionDenied, match=r"user 'admin' \(role admin\) may not approve"):
        ws.approve(team[Role.ADMIN], saved.draft_id, 1)
    decision = ws.approve(team[Role.REVIEWER], saved.draft_id, 1, "fine")
    assert decision.reviewer == "reviewer" and ws.get_draft(team[Role.ENGINEER], saved.draft_id).state == "approved"
    with pytest.raises(PermissionDenied, match=r"'reviewer' \(role reviewer\) may not save versions"):
        ws.save_version(team[Role.REVIEWER], "routing", routing_draft(), EXAMPLE, expected_version=1)


def test_only_admins_manage_users_and_read_the_audit_log(ws: Workspace) -> None:
    team = people(ws)
    for role in (Role.ENGINEER, Role.TECHNOLOGIST, Role.REVIEWER):
        with pytest.raises(PermissionDenied, match=f"role {role}"):
            ws.add_user(team[role], "eve", Role.ADMIN, "longenough")
        with pytest.raises(PermissionDenied, match="may not read the audit log"):
            ws.verify_audit(team[role])
        with pytest.raises(PermissionDenied):
            ws.set_role(team[role], role.value, Role.ADMIN)
    ws.add_user(team[Role.ADMIN], "eve", Role.TECHNOLOGIST, "longenough")
    assert [u.name for u in ws.users(team[Role.ADMIN])] == ["admin", "engineer", "eve", "reviewer", "technologist"]
    assert ws.verify_audit(team[Role.ADMIN]).ok


def test_the_role_the_database_holds_wins_over_the_one_a_caller_claims(ws: Workspace) -> None:
    team = people(ws)
    forged = User("engineer", Role.REVIEWER)
    saved = ws.save_version(team[Role.TECHNOLOGIST], "routing", routing_draft(), EXAMPLE)
    with pytest.raises(PermissionDenied, match=r"'engineer' \(role engineer\) may not approve"):
        ws.approve(forged, saved.draft_id, 1)
    with pytest.raises(PermissionDenied, match="user 'nobody' has no account here"):
        ws.approve(User("nobody", Role.REVIEWER), saved.draft_id, 1)
    ws.set_role(team[Role.ADMIN], "engineer", Role.REVIEWER)
    ws.approve(team[Role.ENGINEER], saved.draft_id, 1)  # now a reviewer, whatever the old value says
    ws.set_active(team[Role.ADMIN], "reviewer", False)
    with pytest.raises(PermissionDenied, match="the account is disabled"):
        ws.drafts(team[Role.REVIEWER])


@pytest.fixture
def helper(settings: Settings) -> Iterator[Assistant]:
    made = Assistant(settings.model_copy(update={"llm_provider": "offline"}))
    yield made
    made.index.store.close()


def test_the_assistant_checks_and_audits_drafts_exports_and_documents(
    helper: Assistant, settings: Settings, tmp_path: Path
) -> None:
    team = people(workspace(helper.index.store, settings, Clock()))  # same database, cheap hashes
    ws = helper.workspace
    with pytest.raises(PermissionDenied, match=r"'reviewer' \(role reviewer\) may not draft"):
        helper.draft("routing", EXAMPLE, user=team[Role.REVIEWER])
    draft = helper.draft("routing", EXAMPLE, user=team[Role.TECHNOLOGIST])
    assert helper.export("routing", draft, "md", EXAMPLE, user=team[Role.REVIEWER]).startswith(b"# Route card")
    with pytest.raises(PermissionDenied, match=r"'admin' \(role admin\) may not export"):
        helper.export_file("routing", draft, "json", EXAMPLE, user=team[Role.ADMIN])
    (tmp_path / "fits.md").write_text("# Fits\n\n## 1 Seats\n1.1 A bearing seat on a shaft is made to k6.\n")
    with pytest.raises(PermissionDenied, match="may not add or remove documents"):
        helper.ingest([tmp_path / "fits.md"], user=team[Role.ENGINEER])
    assert helper.ingest([tmp_path / "fits.md"], user=team[Role.ADMIN]).count("added") == 1
    assert helper.remove("fits.md", user=team[Role.ADMIN]) > 0
    rows = ws.audit_log(team[Role.ADMIN])
    done = [(r.user_name, r.action, r.target) for r in rows if r.action not in {AuditAction.USER_CREATE}]
    assert done == [
        ("technologist", "draft", "routing/SH-001"),
        ("reviewer", "export", "routing/SH-001"),
        ("admin", "document_add", "fits.md"),
        ("admin", "document_remove", "fits.md"),
    ]
    helper.export("routing", draft, "md", EXAMPLE)  # no user: local trusted use, neither checked nor audited
    assert len(ws.audit_log(team[Role.ADMIN])) == len(rows)
