"""Part cost from route operations, sensitivity and the break-even batch size, on hand-worked examples (§7)."""

from __future__ import annotations

import pytest

from assistant.engineering.costing import (
    CostedOperation,
    EquipmentVariant,
    Material,
    break_even_batch,
    operation_cost,
    part_cost,
    sensitivity,
)

# Worked example of §7.9: a shaft, batches of 100, 5000 a year.
ROUTE = (
    CostedOperation("010 Cut bar", piece_min=1.2, setup_min=10, rate_per_hour=1200),
    CostedOperation("020 CNC turn", piece_min=6.0, setup_min=60, rate_per_hour=3000),
    CostedOperation("030 Mill keyway", piece_min=3.0, setup_min=30, rate_per_hour=1800),
)
BAR = Material(consumption_kg=2.6, price_per_kg=120, waste_kg=0.8, waste_price_per_kg=15)
UNIVERSAL = EquipmentVariant("universal lathe", setup_min=20, piece_min=12, rate_per_hour=1800)
CNC = EquipmentVariant("CNC lathe", setup_min=90, piece_min=4, rate_per_hour=3600)


def test_operation_cost_by_hand():
    # 3000 / 60 = 50 per minute: 50 × 6 = 300 processing; 50 × 60 / 100 = 30 setup share
    cost = operation_cost(ROUTE[1], batch_size=100)
    assert (cost.processing, cost.setup, cost.total) == pytest.approx((300, 30, 330))


def test_material_cost_credits_the_returnable_waste():
    assert BAR.cost == pytest.approx(2.6 * 120 - 0.8 * 15)  # 312 − 12 = 300


def test_part_cost_worked_example():
    cost = part_cost(ROUTE, BAR, batch_size=100, annual_demand=5000)
    assert [op.total for op in cost.operations] == pytest.approx([26, 330, 99])  # 24 + 2, 300 + 30, 90 + 9
    assert cost.machining == pytest.approx(455)
    assert cost.per_piece == pytest.approx(755)
    assert cost.per_year == pytest.approx(3_775_000)


def test_fixed_annual_costs_are_spread_over_the_demand():
    cost = part_cost(ROUTE, BAR, batch_size=100, annual_demand=5000, fixed_per_year=250_000)
    assert cost.fixed_per_piece == pytest.approx(50)
    assert cost.per_piece == pytest.approx(805)
    assert cost.per_year == pytest.approx(4_025_000)


def test_sensitivity_table_by_hand():
    rows = sensitivity(ROUTE, BAR, annual_demand=5000, batch_sizes=[50, 100], fixed_per_year=250_000)
    assert [r.demand_factor for r in rows] == [0.7, 0.7, 1.0, 1.0, 1.3, 1.3]
    assert [r.annual_demand for r in rows] == pytest.approx([3500, 3500, 5000, 5000, 6500, 6500])
    assert [r.batch_size for r in rows] == [50, 100] * 3
    # batch 50 doubles the setup shares (41 → 82): machining 496; fixed 250 000 / demand
    expected = [796 + 250_000 / 3500, 755 + 250_000 / 3500, 846, 805, 796 + 250_000 / 6500, 755 + 250_000 / 6500]
    assert [r.per_piece for r in rows] == pytest.approx(expected)
    assert [r.per_year for r in rows] == pytest.approx(
        [c * r.annual_demand for c, r in zip(expected, rows, strict=True)]
    )


def test_break_even_universal_against_cnc_worked_example():
    # n* = (3600·90 − 1800·20) / (1800·12 − 3600·4) = 288 000 / 7200 = 40 pieces; both cost 375 there
    result = break_even_batch(UNIVERSAL, CNC)
    assert result.batch_size == pytest.approx(40)
    assert result.whole_batch == 40
    assert result.cost == pytest.approx(375)
    assert UNIVERSAL.cost_per_piece(40) == pytest.approx(CNC.cost_per_piece(40)) == pytest.approx(375)
    assert (result.cheaper_small, result.cheaper_large) == ("universal lathe", "CNC lathe")
    assert result.formula == "n* = (3600·90 − 1800·20) / (1800·12 − 3600·4)"


def test_break_even_is_where_the_cheaper_variant_changes():
    """Check the closed form by walking the batch sizes: the cheaper variant flips exactly at ceil(n*)."""
    universal = EquipmentVariant("universal", setup_min=15, piece_min=9.5, rate_per_hour=1500)
    cnc = EquipmentVariant("CNC", setup_min=75, piece_min=3.2, rate_per_hour=3300)
    result = break_even_batch(universal, cnc)
    assert result.batch_size is not None and result.whole_batch is not None
    assert 1 < result.batch_size < 200
    flips = [n for n in range(1, 200) if cnc.cost_per_piece(n) <= universal.cost_per_piece(n)]
    assert flips == list(range(result.whole_batch, 200))
    assert break_even_batch(cnc, universal).batch_size == pytest.approx(result.batch_size)  # symmetric


def test_no_break_even_when_one_variant_is_cheaper_at_every_batch_size():
    dearer = EquipmentVariant("old lathe", setup_min=30, piece_min=12, rate_per_hour=1800)
    result = break_even_batch(dearer, EquipmentVariant("CNC", setup_min=10, piece_min=4, rate_per_hour=3600))
    assert result.batch_size is None and result.whole_batch is None and result.cost is None
    assert result.cheaper_small == result.cheaper_large == "CNC"
    same_piece_cost = EquipmentVariant("twin", setup_min=40, piece_min=6, rate_per_hour=3600)
    parallel = break_even_batch(
        EquipmentVariant("base", setup_min=90, piece_min=12, rate_per_hour=1800), same_piece_cost
    )
    assert parallel.batch_size is None and parallel.cheaper_large == "twin"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: operation_cost(ROUTE[0], batch_size=0), "batch_size must be greater than zero"),
        (lambda: part_cost(ROUTE, BAR, 100, annual_demand=0), "annual_demand"),
        (lambda: part_cost(ROUTE, Material(1.0, 100, waste_kg=2.0), 100, 5000), "waste"),
        (lambda: operation_cost(CostedOperation("x", -1, 0, 1000), 10), "piece_time"),
        (lambda: break_even_batch(UNIVERSAL, EquipmentVariant("bad", 1, 1, 0)), "bad rate"),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
