"""Grinding stock agrees between the time norms and the heat-treatment tables (time-norms.md 3.6.7;
heat-treatment.md 10.2, Table 4): the turning before grinding leaves, and the grinding removes, half the table's
allowance on diameter for the surface's diameter and state."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.catalog import load_catalog
from assistant.engineering.blanks import grinding_stock
from assistant.parts.model import parse_part
from assistant.stages.routing.draft import offline_draft

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("diameter", "state", "slender", "per_side"),
    [
        (40, "soft", False, 0.175),  # 30..50 not hardened: 0.35 on diameter
        (40, "hardened", False, 0.225),  # furnace-hardened or carburized: 0.45
        (60, "induction", False, 0.20),  # 50..80 induction-hardened: 0.40
        (16, "hardened", True, 0.225),  # 6..18: 0.30, slender shaft +0.15
    ],
)
def test_grinding_stock_is_half_the_table_allowance_on_diameter(
    diameter: float, state: str, slender: bool, per_side: float
) -> None:
    assert grinding_stock(diameter, state, slender, CATALOG.allowances) == pytest.approx(per_side)


SHAFT: dict[str, Any] = {
    "id": "GS-T1",
    "name": "Carburized shaft",
    "kind": "shaft",
    "material": "20Kh",
    "blank": "rolled_bar",
    "hardness": "HRC 58..62",
    "envelope": {"diameter": 50, "length": 200},
    "annual_volume": 500,
    "features": [
        {"id": "F1", "type": "external_cylinder", "diameter": 40, "length": 60, "fit": "k6", "ra": 0.8},
        {"id": "F2", "type": "external_cylinder", "diameter": 50, "length": 40, "it": 12, "ra": 6.3},
    ],
}


def test_the_turning_before_grinding_leaves_the_stock_the_grinding_removes() -> None:
    draft, _ = offline_draft(parse_part(SHAFT), CATALOG)
    texts = [t.text for op in draft.operations for s in op.setups for t in s.transitions if "F1" in t.text]
    last_turning = [t for t in texts if "turn" in t.lower() and "leaving" in t][-1]
    grinding = [t for t in texts if "grind" in t.lower()]
    assert grinding, texts
    table = grinding_stock(40, "hardened", False, CATALOG.allowances)  # carburized journal Ø40: 0.225 per side
    assert f"leaving {round(table, 2):g} mm per side" in last_turning, last_turning
