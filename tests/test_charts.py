"""PNG charts: valid images of the expected size whose pixels show what the data says."""

from __future__ import annotations

import struct
from io import BytesIO

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from assistant.charts import _PALETTE, OVER, WITHIN, buffer_levels_chart, gantt_chart, station_loads_chart
from assistant.engineering.scheduling import FlowShop, neh
from assistant.engineering.simulation import RunPlan, SerialLine, SimStation, simulate

PNG = b"\x89PNG\r\n\x1a\n"


def size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk."""
    assert png.startswith(PNG) and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def pixels(png: bytes) -> np.ndarray:
    return imread(BytesIO(png), format="png")[..., :3]


def has_colour(png: bytes, colour: str, at_least: int = 200) -> bool:
    """At least `at_least` pixels of exactly this colour (bars are flat fills)."""
    close = np.all(np.abs(pixels(png) - np.array(to_rgb(colour))) < 2 / 255, axis=-1)
    return int(close.sum()) >= at_least


def test_station_loads_chart_marks_stations_over_takt_in_red():
    png = station_loads_chart([1.5, 1.8, 2.1], takt_min=1.875, labels=["1", "2", "3"])
    assert size(png) == (800, 450)
    assert 5_000 < len(png) < 500_000
    assert has_colour(png, WITHIN)
    assert has_colour(png, OVER)


def test_station_loads_chart_without_overload_has_no_red_and_takt_exactly_is_within():
    png = station_loads_chart([1.5, 1.875, 1.2], takt_min=1.875)
    assert has_colour(png, WITHIN)
    assert not has_colour(png, OVER, at_least=1)


def test_gantt_chart_gives_each_job_its_colour():
    shop = FlowShop(("A", "B", "C"), ("Saw", "Lathe", "Mill"), ((3, 5, 2), (2, 4, 6), (4, 1, 3)))
    png = gantt_chart(neh(shop).gantt)
    assert size(png) == (800, 450)
    assert all(has_colour(png, colour) for colour in _PALETTE[:3])
    assert not has_colour(png, _PALETTE[3], at_least=1)


def test_buffer_levels_chart_from_a_simulation():
    line = SerialLine((SimStation("fast", 0.5), SimStation("slow", 1.0)), (4,))
    result = simulate(line, RunPlan(shift_min=450, shifts=1, warmup_min=60, replications=2, seed=1))
    png = buffer_levels_chart(result.buffers, warmup_min=60)
    assert size(png) == (800, 450)
    assert len(png) > 5_000
    assert has_colour(png, _PALETTE[0], at_least=100)  # the level line
    assert png != buffer_levels_chart(result.buffers)  # the warm-up band is drawn


def test_same_data_same_bytes():
    assert station_loads_chart([1.0, 2.0], 2.5) == station_loads_chart([1.0, 2.0], 2.5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: station_loads_chart([], 1.0), "at least one station"),
        (lambda: station_loads_chart([1.0], 0.0), "takt > 0"),
        (lambda: station_loads_chart([1.0, 2.0], 3.0, labels=["1"]), "labels"),
        (lambda: gantt_chart([]), "at least one row"),
        (lambda: buffer_levels_chart([]), "at least one buffer"),
    ],
)
def test_empty_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
