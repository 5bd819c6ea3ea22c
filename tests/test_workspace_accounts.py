"""Logins with argon2id hashes (bcrypt ones of older accounts still accepted), one-time passwords, throttling, expiring sessions, and the first admin — on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import bcrypt
import pytest

from assistant.config import Settings
from assistant.errors import AuthenticationError, ConfigError, InputError, PermissionDenied
from assistant.retrieval.access import AccessLevel
from assistant.store import Store, users
from assistant.workspace import LOCAL_USER, Role, User, Workspace
from assistant.workspace.accounts import LOCK_FOR, MAX_FAILURES, SESSION_FOR
from tests.workspace_kit import PASSWORD, Clock, workspace


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws(store: Store, db_settings: Settings, clock: Clock) -> Workspace:
    return workspace(store, db_settings, clock)


def _actions(ws: Workspace) -> list[tuple[str, str]]:
    return [(r.user_name, r.action) for r in ws.audit_log(LOCAL_USER)]


def test_login_gives_a_session_that_expires(ws: Workspace, store: Store, clock: Clock) -> None:
    ann = ws.add_user(LOCAL_USER, "ann", "engineer", PASSWORD)
    stored = users.get_user(store, "ann")
    assert (
        stored is not None
        and stored.password_hash.startswith("$argon2id$v=19$m=65536,t=1,")
        and PASSWORD not in stored.password_hash
    )
    session = ws.login("ann", PASSWORD)
    assert session.user == ann and len(session.token) >= 40 and session.token not in str(users.list_users(store))
    assert ws.authenticate(session.token) == ann
    clock.advance(seconds=SESSION_FOR.total_seconds() - 1)
    assert ws.authenticate(session.token) == ann
    clock.advance(seconds=1)
    with pytest.raises(AuthenticationError, match="the session has expired or is not known; log in again"):
        ws.authenticate(session.token)
    with pytest.raises(AuthenticationError):
        ws.authenticate("made-up-token")


def test_wrong_passwords_and_unknown_names_fail_alike_and_are_audited(ws: Workspace) -> None:
    ws.add_user(LOCAL_USER, "ann", Role.ENGINEER, PASSWORD)
    for name, password in (("ann", "wrong password"), ("nobody", PASSWORD)):
        with pytest.raises(AuthenticationError, match=r"^wrong user name or password$"):
            ws.login(name, password)
    ws.login("ann", PASSWORD)
    assert _actions(ws)[1:] == [("ann", "login_failed"), ("nobody", "login_failed"), ("ann", "login")]


def test_five_failures_lock_the_account_for_fifteen_minutes(ws: Workspace, clock: Clock) -> None:
    ws.add_user(LOCAL_USER, "ann", Role.ENGINEER, PASSWORD)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthenticationError, match="wrong user name or password$"):
            ws.login("ann", "guess-guess")
    with pytest.raises(AuthenticationError, match="after 5 failures 'ann' is locked for 15 min"):
        ws.login("ann", "guess-guess")
    with pytest.raises(
        AuthenticationError, match="account 'ann' is locked after 5 failed logins until 2026-12-01T10:15"
    ):
        ws.login("ann", PASSWORD)  # even the right password: a locked account checks nothing
    clock.advance(seconds=LOCK_FOR.total_seconds() - 1)
    with pytest.raises(AuthenticationError, match="is locked"):
        ws.login("ann", PASSWORD)
    clock.advance(seconds=1)
    assert ws.login("ann", PASSWORD).user.name == "ann"
    with pytest.raises(AuthenticationError, match="password$"):
        ws.login("ann", "guess-guess")  # the count started again


def test_an_admin_unlocks_by_setting_a_password_and_that_ends_sessions(ws: Workspace) -> None:
    ws.add_user(LOCAL_USER, "ann", Role.ENGINEER, PASSWORD)
    admin = ws.add_user(LOCAL_USER, "root", Role.ADMIN, PASSWORD)
    session = ws.login("ann", PASSWORD)
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            ws.login("ann", "guess-guess")
    ws.set_password(admin, "ann", "a new secret")
    with pytest.raises(AuthenticationError):
        ws.authenticate(session.token)
    assert ws.login("ann", "a new secret").user.name == "ann"


def test_users_change_their_own_password_with_the_current_one(ws: Workspace) -> None:
    ann = ws.add_user(LOCAL_USER, "ann", Role.ENGINEER, PASSWORD)
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        ws.set_password(ann, "ann", "a new secret", current="not it")
    ws.set_password(ann, "ann", "a new secret", current=PASSWORD)
    assert ws.login("ann", "a new secret").user == ann
    with pytest.raises(InputError, match=r"a password must be 8 to 1024 characters \(this one: 5 characters\)"):
        ws.set_password(LOCAL_USER, "ann", "short")
    with pytest.raises(InputError, match="8 to 1024 characters"):
        ws.add_user(LOCAL_USER, "bob", Role.ENGINEER, "x" * 1025)
    with pytest.raises(InputError, match="the new password is the current one"):
        ws.set_password(ann, "ann", "a new secret", current="a new secret")
    long = "ü" * 40  # 80 bytes: more than bcrypt read, whole for argon2
    ws.set_password(LOCAL_USER, "ann", long)
    assert ws.login("ann", long).user.name == "ann"
    with pytest.raises(AuthenticationError):
        ws.login("ann", "ü" * 36)


def test_disabled_accounts_cannot_log_in_and_lose_their_sessions(ws: Workspace) -> None:
    ws.add_user(LOCAL_USER, "ann", Role.ENGINEER, PASSWORD)
    session = ws.login("ann", PASSWORD)
    ws.set_active(LOCAL_USER, "ann", False)
    with pytest.raises(AuthenticationError):
        ws.authenticate(session.token)
    with pytest.raises(AuthenticationError, match="account 'ann' is disabled; ask an admin to enable it"):
        ws.login("ann", PASSWORD)
    ws.set_active(LOCAL_USER, "ann", True)
    ws.logout(ws.login("ann", PASSWORD).token)
    assert _actions(ws)[-1] == ("ann", "logout")


def test_names_are_checked(ws: Workspace) -> None:
    for bad in ("", "ann smith", "local", "x" * 65):
        with pytest.raises(InputError, match="user name"):
            ws.add_user(LOCAL_USER, bad, Role.ENGINEER, PASSWORD)
    with pytest.raises(InputError, match="there is no user 'ghost'"):
        ws.set_role(LOCAL_USER, "ghost", Role.ADMIN)


def test_the_first_admin_gets_a_one_time_password(ws: Workspace) -> None:
    made = ws.first_admin()
    assert made is not None and made.name == "admin" and made.password and len(made.password) >= 16
    session = ws.login("admin", made.password)
    expected = User("admin", Role.ADMIN, True, session.user.created_at, clearance=AccessLevel.RESTRICTED)
    assert session.user == replace(expected, must_change_password=True)
    with pytest.raises(PermissionDenied, match="logged in with a one-time or admin-set password: set your own"):
        ws.users(session.user)
    ws.set_password(session.user, "admin", "my own admin secret", current=made.password)
    assert ws.login("admin", "my own admin secret").user == expected
    assert [u.name for u in ws.users(expected)] == ["admin"]
    assert ws.first_admin() is None, "only on a database without accounts"
    assert ("local", "first_admin") in _actions(ws)


def test_the_first_admin_takes_the_password_from_the_environment(
    store: Store, db_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def from_env() -> Workspace:
        settings = Settings(_env_file=None, home=db_settings.home, database_url=db_settings.database_url)  # type: ignore[call-arg]
        return workspace(store, settings, Clock())

    monkeypatch.setenv("PREPRO_ADMIN_PASSWORD", "short")
    with pytest.raises(ConfigError, match="PREPRO_ADMIN_PASSWORD is not acceptable: a password must be 8 to 1024"):
        from_env().first_admin()
    monkeypatch.setenv("PREPRO_ADMIN_PASSWORD", "from the environment")
    made = from_env().first_admin()
    assert made is not None and made.password is None, "nothing to show: the admin knows it"
    assert from_env().login("admin", "from the environment").user.role is Role.ADMIN


def test_a_password_an_admin_sets_for_someone_is_one_time(ws: Workspace) -> None:
    admin = ws.add_user(LOCAL_USER, "boss", Role.ADMIN, PASSWORD)
    made = ws.add_user(admin, "ann", Role.TECHNOLOGIST, "handed over 1")
    assert made.must_change_password, "an admin in the workspace hands out a one-time password"
    ann = ws.login("ann", "handed over 1").user
    with pytest.raises(PermissionDenied, match="set your own password first"):
        ws.drafts(ann)
    ws.set_password(ann, "ann", "only ann knows", current="handed over 1")
    ann = ws.login("ann", "only ann knows").user
    assert not ann.must_change_password and ws.drafts(ann) == []
    ws.set_password(admin, "ann", "reset by boss 2")  # a reset is one-time again
    assert ws.login("ann", "reset by boss 2").user.must_change_password
    ws.set_password(LOCAL_USER, "ann", "set on the server")  # the local administrator's is not
    assert not ws.login("ann", "set on the server").user.must_change_password
    assert ("boss", "user_change") in _actions(ws)


def test_an_older_bcrypt_account_logs_in_and_gets_an_argon2_hash(ws: Workspace, store: Store) -> None:
    ws.add_user(LOCAL_USER, "old", Role.ENGINEER, PASSWORD)
    legacy = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    users.update_user(store, "old", password_hash=legacy)
    with pytest.raises(AuthenticationError):
        ws.login("old", "not the password")
    assert users.get_user(store, "old").password_hash == legacy  # type: ignore[union-attr]
    assert ws.login("old", PASSWORD).user.name == "old"
    assert users.get_user(store, "old").password_hash.startswith("$argon2id$")  # type: ignore[union-attr]
    assert ws.login("old", PASSWORD).user.name == "old"


def test_clearance_defaults_by_role_and_an_admin_changes_it(ws: Workspace) -> None:
    ann = ws.add_user(LOCAL_USER, "ann", Role.ENGINEER, PASSWORD)
    boss = ws.add_user(LOCAL_USER, "boss", Role.ADMIN, PASSWORD)
    assert (ann.clearance, boss.clearance) == (AccessLevel.INTERNAL, AccessLevel.RESTRICTED)
    assert ann.readable == {AccessLevel.PUBLIC, AccessLevel.INTERNAL}
    cleared = ws.set_clearance(boss, "ann", "restricted")
    assert cleared.readable == set(AccessLevel) and ws.login("ann", PASSWORD).user.clearance is AccessLevel.RESTRICTED
    assert ws.add_user(LOCAL_USER, "pat", Role.ENGINEER, PASSWORD, clearance="public").readable == {AccessLevel.PUBLIC}
    with pytest.raises(PermissionDenied, match="may not manage users"):
        ws.set_clearance(ann, "ann", "public")
    with pytest.raises(InputError, match="unknown access level 'secret'"):
        ws.set_clearance(boss, "ann", "secret")
    assert ws.audit_log(LOCAL_USER)[-1].detail == "clearance restricted -> restricted" or any(
        r.detail == "clearance internal -> restricted" for r in ws.audit_log(LOCAL_USER)
    )
