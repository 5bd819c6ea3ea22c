"""Sizes a question gives, and the table rows whose range key holds them."""

from __future__ import annotations

import pytest

from assistant.retrieval.ranges import rows_holding, sizes_in

KEYS = """| Shaft diameter d over..to, mm | Key b x h, mm | Shaft depth t1, mm |
|---|---|---|
| 30..38 | 10 x 8 | 5.0 |
| 38..44 | 12 x 8 | 5.0 |"""


@pytest.mark.parametrize(
    ("question", "sizes"),
    [
        ("What parallel key goes with a 40 mm shaft?", [40.0]),
        ("IT6 tolerance on a Ø60 shaft", [60.0]),
        ("tolerance of a 100 mm length under ISO 2768-m", [100.0]),
        ("shaft of diameter 25,5 and a lot of 40 pcs", [25.5, 40.0]),
        ("Which key for M12 threads per GOST 23360 in IT7?", []),
    ],
)
def test_sizes_are_the_numbers_with_a_unit_or_a_diameter_sign(question, sizes):
    assert sizes_in(question) == sizes


def test_a_row_range_holds_a_size_ends_included():
    assert rows_holding(KEYS, [40.0]) and rows_holding(KEYS, [38.0]) and rows_holding(KEYS, [44])
    assert not rows_holding(KEYS, [50.0]) and not rows_holding(KEYS, [])
    assert rows_holding("| over 30 to 120 | ±0.3 |", [100.0])
    assert not rows_holding("4.1 Shafts of 38 to 44 mm take a 12 x 8 key.", [40.0]), "only table rows"
