"""What the workspace tests share: a clock they move, a workspace over a real store, people of every role, and
a real routing draft (drafted offline once per test session)."""

from __future__ import annotations

import copy
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from assistant.api import Assistant
from assistant.config import Settings
from assistant.stages.findings import Severity
from assistant.store import Store
from assistant.workspace import LOCAL_USER, Role, User, Workspace
from tests.conftest import make_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"
PASSWORD = "correct horse"
TIME_COST = 1  # argon2's cheapest time cost: the tests check the logic, not the cost


class Clock:
    """A clock the test sets and moves; starts on a Tuesday at 10:00 UTC."""

    def __init__(self, start: datetime = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def workspace(store: Store, settings: Settings, clock: Clock, assistant: Assistant | None = None) -> Workspace:
    """A workspace over a real store; with an Assistant, approvals run the stage's checks and exports render."""
    if assistant is None:
        return Workspace(store, settings, clock=clock, time_cost=TIME_COST)

    def errors_of(stage: str, draft: Any, source: Any) -> list[str]:
        return [f.message for f in assistant.check(stage, draft, source) if f.severity is Severity.ERROR]

    return Workspace(
        store, settings, errors_of=errors_of, exporter=assistant.export_file, clock=clock, time_cost=TIME_COST
    )


def people(ws: Workspace) -> dict[Role, User]:
    """One user of each role (named after it), created by the local caller."""
    return {role: ws.add_user(LOCAL_USER, role.value, role, PASSWORD) for role in Role}


@cache
def _routing_draft() -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="prepro-draft-"))
    helper = Assistant(make_settings(home, llm_provider="offline"))
    made = helper.draft("routing", EXAMPLE, provider="offline")
    helper.index.store.close()
    shutil.rmtree(home, ignore_errors=True)
    return made.model_dump(mode="json")


def routing_draft() -> dict[str, Any]:
    """The offline route card of SH-001 as a JSON value (a fresh copy to edit)."""
    return copy.deepcopy(_routing_draft())
