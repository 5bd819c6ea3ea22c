"""Routing options: the caller may prefer universal or CNC machines (the organizational stage's break-even
between equipment variants); unknown options and values are refused with the valid ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.api import Assistant
from assistant.catalog import load_catalog
from assistant.errors import InputError
from tests.conftest import make_settings
from tests.test_validate import EXAMPLE

CATALOG = load_catalog()


def automation_of(draft: Any) -> list[str]:
    machines = [CATALOG.machine(op.equipment.model) for op in draft.operations if op.kind == "turning"]
    return [m.automation for m in machines if m is not None]


@pytest.fixture
def helper(tmp_path: Path) -> Assistant:
    return Assistant(make_settings(tmp_path / "home"))


def test_universal_and_cnc_preferences_choose_the_machines(helper: Assistant) -> None:
    part = {
        **yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")),
        "annual_volume": 5000,
    }  # medium batch: CNC machines by production type
    by_type = helper.draft("routing", part)
    universal = helper.draft("routing", part, options={"equipment": "universal"})
    cnc = helper.draft("routing", {**part, "annual_volume": 20}, options={"equipment": "cnc"})
    assert "cnc" in automation_of(by_type)
    assert set(automation_of(universal)) == {"universal"}
    assert set(automation_of(cnc)) == {"cnc"}
    assert sum(op.setup_time_min or 0 for op in universal.operations) != sum(
        op.setup_time_min or 0 for op in by_type.operations
    )


def test_unknown_options_and_values_are_refused(helper: Assistant) -> None:
    with pytest.raises(InputError, match="unknown routing option speed"):
        helper.draft("routing", EXAMPLE, options={"speed": "fast"})
    with pytest.raises(InputError, match="by-production, universal, cnc"):
        helper.draft("routing", EXAMPLE, options={"equipment": "robot"})
