"""The audit trail: an edited row is found, and planted unusual activity is flagged with its explanation —
on SQLite and PostgreSQL; the `prepro users` and `prepro audit` commands."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.store import Store
from assistant.workspace import LOCAL_USER, AuditAction, Role, Workspace
from assistant.workspace.audit import robust_z
from tests.workspace_kit import EXAMPLE, PASSWORD, Clock, people, routing_draft, workspace

NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
FIRST_DAY = datetime(2026, 11, 10, tzinfo=UTC)


def edit_row(store: Store, row_id: int, **values: object) -> None:
    """Change an audit row with raw SQL, as someone with access to the database could."""
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    with store.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE audit_log SET {assignments} WHERE id = :row_id"), {**values, "row_id": row_id})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws(store: Store, db_settings: Settings, clock: Clock) -> Workspace:
    return workspace(store, db_settings, clock)


def test_an_edited_audit_row_is_detected(ws: Workspace, store: Store) -> None:
    team = people(ws)
    ws.login("technologist", PASSWORD)
    saved = ws.save_version(team[Role.TECHNOLOGIST], "routing", routing_draft(), EXAMPLE)
    ws.record(team[Role.TECHNOLOGIST], AuditAction.DOWNLOAD, "routing/SH-001", saved.version, "md")
    admin = team[Role.ADMIN]
    check = ws.verify_audit(admin)
    assert check.ok and check.rows == 7 and "intact: 7 rows" in check.describe()
    save_row = next(r for r in ws.audit_log(admin) if r.action == "save")
    edit_row(store, save_row.id, user_name="reviewer")  # someone hides who saved
    broken = ws.verify_audit(admin)
    assert not broken.ok and broken.broken_at == save_row.id
    assert f"BROKEN at row {save_row.id}" in broken.describe()


def _plant(ws: Workspace, clock: Clock) -> None:
    """Three weeks of ordinary work by six people, and four unusual days."""
    rng = random.Random(7)

    def at(day: datetime, hour: float, user: str, action: AuditAction, target: str = "routing/SH-001") -> None:
        clock.now = day + timedelta(hours=hour)
        ws.record(user, action, target)

    for n in range(21):
        day = FIRST_DAY + timedelta(days=n)
        for user in ("ann", "bob", "cid", "dan", "owl", "mallory"):
            at(day, 8 + rng.random(), user, AuditAction.LOGIN, f"user:{user}")
            for _ in range(rng.randint(0, 4)):
                at(day, 9 + 6 * rng.random(), user, AuditAction.EXPORT)
            for _ in range(rng.randint(0, 3)):
                at(day, 9 + 6 * rng.random(), user, AuditAction.SAVE)
            if rng.random() < 0.1:
                at(day, 8, user, AuditAction.LOGIN_FAILED, f"user:{user}")
    for k in range(40):  # mallory exports everything in one afternoon
        at(datetime(2026, 11, 27, tzinfo=UTC), 13 + k / 20, "mallory", AuditAction.EXPORT)
    for hour in (2.2, 2.7, 3.1, 3.5):  # owl logs in at night
        at(datetime(2026, 11, 25, tzinfo=UTC), hour, "owl", AuditAction.LOGIN, "user:owl")
    for k in range(6):  # someone tries bob's password
        at(datetime(2026, 11, 28, tzinfo=UTC), 11 + k / 60, "bob", AuditAction.LOGIN_FAILED, "user:bob")
    for k in range(15):  # a brand-new account exports a lot on its first day
        at(datetime(2026, 11, 30, tzinfo=UTC), 10 + k / 30, "newbie", AuditAction.EXPORT)


def test_planted_unusual_activity_is_flagged_and_explained(ws: Workspace, clock: Clock) -> None:
    _plant(ws, clock)
    found = ws.anomalies(LOCAL_USER, now=NOW)
    assert {(a.user, a.pattern, a.day) for a in found} == {
        ("mallory", "bulk_exports", "2026-11-27"),
        ("owl", "off_hours", "2026-11-25"),
        ("bob", "failed_logins", "2026-11-28"),
        ("newbie", "bulk_exports", "2026-11-30"),
    }, "no ordinary day is flagged"
    bulk = next(a for a in found if a.user == "mallory")
    assert bulk.value >= 40 and bulk.baseline <= 4 and bulk.score > 10 and found[0] == bulk, "strongest first"
    assert re.fullmatch(
        r"mallory: \d+ exports on 2026-11-27, against a usual \d+(\.5)? a day \(median of mallory's other 20 days, "
        r"MAD [\d.]+\); robust z = \(\d+ − [\d.]+\) / max\(1\.4826 × [\d.]+, 1\) = [\d.]+ ≥ 3",
        bulk.explanation,
    ), bulk.explanation
    night = next(a for a in found if a.pattern == "off_hours")
    assert (night.value, night.baseline) == (4, 0.0) and "4 actions outside 06:00–22:00" in night.explanation
    new = next(a for a in found if a.user == "newbie")
    assert "median of all users' days" in new.explanation and "newbie has under 7 other days" in new.explanation
    east = {(a.user, a.pattern) for a in ws.anomalies(LOCAL_USER, now=NOW, tz=timezone(timedelta(hours=5)))}
    assert ("owl", "off_hours") not in east, "02:00 UTC is 07:00 in UTC+5: working hours there"
    assert ws.anomalies(LOCAL_USER, now=NOW + timedelta(days=40)) == [], "only the last 28 days are looked at"


def test_the_robust_z_score_by_hand() -> None:
    z, median, mad = robust_z(40, [1, 2, 2, 3, 0, 4, 2])
    assert (median, mad) == (2, 1) and z == pytest.approx((40 - 2) / 1.4826)
    assert robust_z(3, [0, 0, 0]) == (3.0, 0, 0), "the spread is at least one event"


def test_the_users_and_audit_commands(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PREPRO_HOME", str(tmp_path / "cli-home"))
    runner = CliRunner()
    made = runner.invoke(app, ["users", "init"])
    assert made.exit_code == 0 and "created 'admin' with the one-time password: " in made.output
    assert "nothing to do" in runner.invoke(app, ["users", "init"]).output
    added = runner.invoke(app, ["users", "add", "ann", "--role", "technologist", "--password", PASSWORD])
    assert added.exit_code == 0 and "added ann (technologist, reads up to internal)" in added.output
    prompted = runner.invoke(app, ["users", "add", "rita", "--role", "reviewer"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    listed = json.loads(runner.invoke(app, ["users", "list", "--format", "json"]).output)
    assert [(u["name"], u["role"], u["active"]) for u in listed] == [
        ("admin", "admin", True), ("ann", "technologist", True), ("rita", "reviewer", True),
    ]  # fmt: skip
    cleared = runner.invoke(app, ["users", "clearance", "ann", "restricted"])
    assert cleared.exit_code == 0 and "ann reads up to restricted" in cleared.output
    monkeypatch.setenv("PREPRO_USER", "ann")  # the CLI now acts as ann, a technologist: no user management
    refused = runner.invoke(app, ["users", "list"])
    assert refused.exit_code != 0 and "user 'ann' (role technologist) may not manage users" in str(refused.exception)
    monkeypatch.setenv("PREPRO_USER", "nobody")
    unknown = runner.invoke(app, ["users", "list"])
    assert "PREPRO_USER names 'nobody', who has no account here" in str(unknown.exception)
    monkeypatch.delenv("PREPRO_USER")
    assert runner.invoke(app, ["users", "disable", "rita"]).exit_code == 0
    assert "rita" in runner.invoke(app, ["users", "list"]).output
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and "audit log intact: 5 rows" in verified.output
    assert "nothing unusual in the last 28 days" in runner.invoke(app, ["audit", "anomalies"]).output
    assert json.loads(runner.invoke(app, ["audit", "anomalies", "-f", "json"]).output) == []
    with sa.create_engine(f"sqlite:///{tmp_path / 'cli-home' / 'prepro.db'}").begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET detail = 'role admin' WHERE id = 2"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "BROKEN at row 2" in broken.output
