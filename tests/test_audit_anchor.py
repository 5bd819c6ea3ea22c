"""The anchor outside the database: cutting the newest rows off the audit log is found (the chain alone cannot),
a log without an anchor yet is reported unanchored, and the anchor only ever moves forward — on SQLite and
PostgreSQL; and what `prepro audit verify` says."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner, Result

from assistant.cli import app
from assistant.config import Settings
from assistant.store import Store
from assistant.store import audit as log
from assistant.workspace import LOCAL_USER, AuditAction, Workspace, audit
from assistant.workspace.audit import Anchor, Tail
from tests.workspace_kit import Clock, workspace


@pytest.fixture
def ws(store: Store, db_settings: Settings) -> Workspace:
    return workspace(store, db_settings, Clock())


def anchor_file(ws: Workspace) -> Path:
    return ws.settings.home / "audit-anchor.json"


def append(ws: Workspace, n: int) -> list[int]:
    """`n` audit rows through the workspace (each moves the anchor); their ids."""
    return [ws.record(LOCAL_USER, AuditAction.DOWNLOAD, f"routing/SH-{k:03}", 1, "md").id for k in range(n)]


def raw_append(store: Store, n: int) -> list[log.AuditRecord]:
    """`n` rows appended without touching the anchor (a prepro from before, or a process not done yet)."""
    return [log.append(store, "2026-12-01T10:00:00+00:00", "local", "export", f"t{k}", None, "") for k in range(n)]


def delete_rows(store: Store, ids: list[int]) -> None:
    """Delete audit rows with raw SQL, as someone with access to the database could."""
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("DELETE FROM audit_log WHERE id IN :ids").bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": ids},
        )


def test_an_intact_log_verifies_against_its_anchor(ws: Workspace, store: Store) -> None:
    ids = append(ws, 5)
    on_disk = json.loads(anchor_file(ws).read_text(encoding="utf-8"))
    newest = log.entries(store, limit=1)[0]
    assert on_disk == {"id": ids[-1], "hash": newest.hash, "rows": 5, "database": store.label}
    check = ws.verify_audit(LOCAL_USER)
    assert check.ok and not check.unanchored and check.tail is Tail.ANCHORED
    assert (check.rows, check.anchor_id, check.last_id) == (5, ids[-1], ids[-1])
    assert check.describe() == (
        f"audit log intact: 5 rows, every hash and link matches; it reaches row {ids[-1]} with the hash the anchor "
        "outside the database records"
    )
    assert sorted(p.name for p in ws.settings.home.iterdir() if "anchor" in p.name) == [
        ".audit-anchor.json.lock", "audit-anchor.json",
    ], "no temporary file is left behind"  # fmt: skip


def test_deleting_the_newest_rows_is_detected_and_names_the_ids(ws: Workspace, store: Store) -> None:
    ids = append(ws, 7)
    delete_rows(store, ids[-2:])
    assert log.verify_chain(store) is None, "the shorter chain is still a valid chain: only the anchor can tell"
    check = ws.verify_audit(LOCAL_USER)
    assert not check.ok and check.broken_at is None and check.tail is Tail.TRUNCATED
    assert (check.rows, check.anchor_id, check.last_id) == (5, ids[-1], ids[-3])
    assert check.describe() == (
        f"audit log TRUNCATED: the audit log ends at row {ids[-3]} but the anchor outside the database records row "
        f"{ids[-1]}: the newest rows were deleted (ids {ids[-2]} to {ids[-1]}, 2 rows fewer than the anchor counts)"
    )
    before = anchor_file(ws).read_text(encoding="utf-8")
    later = append(ws, 1)[0]  # prepro goes on appending: the anchor stays put as the evidence
    assert later > ids[-1] and anchor_file(ws).read_text(encoding="utf-8") == before
    again = ws.verify_audit(LOCAL_USER)
    assert not again.ok and again.tail is Tail.TRUNCATED and (again.anchor_id, again.last_id) == (ids[-1], later)
    assert (
        f"row {ids[-1]}, the newest row when the anchor outside the database was written, is gone" in again.describe()
    )


def test_deleting_every_row_is_detected(ws: Workspace, store: Store) -> None:
    ids = append(ws, 3)
    delete_rows(store, ids)
    check = ws.verify_audit(LOCAL_USER)
    assert not check.ok and check.last_id is None
    assert f"the audit log has no rows but the anchor outside the database records row {ids[-1]}" in check.describe()


def test_a_missing_anchor_is_unanchored_not_an_error(ws: Workspace, store: Store) -> None:
    raw_append(store, 4)  # a workspace from before the anchor
    check = ws.verify_audit(LOCAL_USER)
    assert check.ok and check.unanchored and check.tail is Tail.UNANCHORED and check.rows == 4
    assert "the end of the log is unanchored (no anchor file" in check.describe()
    assert not anchor_file(ws).exists(), "verify writes nothing"
    (row,) = append(ws, 1)  # the next append anchors the log as it is
    assert audit.read_anchor(anchor_file(ws)) == Anchor(row, log.entries(store, limit=1)[0].hash, 5, store.label)
    assert ws.verify_audit(LOCAL_USER).tail is Tail.ANCHORED


def test_an_anchor_of_another_database_is_left_alone(ws: Workspace, store: Store) -> None:
    append(ws, 2)
    other = Anchor(40, "f" * 64, 40, "/elsewhere/prepro.db")
    anchor_file(ws).write_text(json.dumps(other.__dict__), encoding="utf-8")
    check = ws.verify_audit(LOCAL_USER)
    assert check.ok and check.unanchored and "records another database (/elsewhere/prepro.db)" in check.describe()
    append(ws, 1)
    assert audit.read_anchor(anchor_file(ws)) == other


def test_an_edited_anchor_fails_the_check(ws: Workspace) -> None:
    append(ws, 2)
    anchor_file(ws).write_text("{not json", encoding="utf-8")
    check = ws.verify_audit(LOCAL_USER)
    assert not check.ok and check.tail is Tail.UNREADABLE and "is not an anchor prepro wrote" in check.describe()


def test_the_anchor_never_moves_backwards(ws: Workspace, store: Store) -> None:
    append(ws, 3)
    path = anchor_file(ws)
    older, newer = raw_append(store, 2)  # two processes appended; the later one writes its anchor first
    assert audit.advance_anchor(store, path, newer) == Anchor(newer.id, newer.hash, 5, store.label)
    assert audit.advance_anchor(store, path, older) is None, "an older row does not replace a newer anchor"
    assert audit.read_anchor(path) == Anchor(newer.id, newer.hash, 5, store.label)
    assert ws.verify_audit(LOCAL_USER).tail is Tail.ANCHORED


def test_racing_appenders_leave_the_newest_anchor(ws: Workspace, store: Store) -> None:
    append(ws, 1)
    rows = raw_append(store, 24)
    random.Random(3).shuffle(rows)
    path = anchor_file(ws)
    threads = [threading.Thread(target=audit.advance_anchor, args=(store, path, row)) for row in rows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    newest = max(rows, key=lambda r: r.id)
    assert audit.read_anchor(path) == Anchor(newest.id, newest.hash, 25, store.label)


def said(result: Result) -> str:
    """What a command printed, on one line (the console wraps long lines)."""
    return " ".join(result.output.split())


def test_audit_verify_on_the_command_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "cli-home"
    monkeypatch.setenv("PREPRO_HOME", str(home))
    runner = CliRunner()
    assert runner.invoke(app, ["users", "init"]).exit_code == 0
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and "with the hash the anchor outside the database records" in said(verified)
    (home / "audit-anchor.json").unlink()
    unanchored = runner.invoke(app, ["audit", "verify"])
    assert unanchored.exit_code == 0 and "the end of the log is unanchored" in said(unanchored)
    assert (
        runner.invoke(app, ["users", "add", "ann", "--role", "engineer", "--password", "correct horse"]).exit_code == 0
    )
    last = json.loads((home / "audit-anchor.json").read_text(encoding="utf-8"))["id"]
    with sa.create_engine(f"sqlite:///{home / 'prepro.db'}").begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE id = :id"), {"id": last})
    cut = runner.invoke(app, ["audit", "verify"])
    assert cut.exit_code == 1 and "the newest rows were deleted" in said(cut) and f"records row {last}" in said(cut)
