"""PNG charts of the organizational plan: station loads against takt, a Gantt chart, buffer levels over time.

Each function draws on its own Agg canvas (no pyplot, no global state) and returns the PNG bytes; nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from assistant.engineering.scheduling import GanttRow
from assistant.engineering.simulation import BufferStats

WITHIN, OVER, TAKT = "#4c78a8", "#d62728", "#222222"
_PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#eeca3b", "#9d755d", "#bab0ac")
_SIZE, _DPI = (8.0, 4.5), 100
_TOLERANCE = 1e-9  # a station loaded to exactly takt is within it


def _figure() -> Figure:
    figure = Figure(figsize=_SIZE, dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    out = BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def station_loads_chart(loads: Sequence[float], takt_min: float, labels: Sequence[str] | None = None) -> bytes:
    """Bars of station loads, min, against a line at takt; a bar over takt is drawn in red."""
    if not loads or not takt_min > 0:
        raise ValueError(f"a load chart needs at least one station and a takt > 0 (got {len(loads)}, {takt_min})")
    names = list(labels) if labels is not None else [str(n) for n in range(1, len(loads) + 1)]
    if len(names) != len(loads):
        raise ValueError(f"{len(loads)} loads need {len(loads)} labels (got {len(names)})")
    figure = _figure()
    axes = figure.add_subplot()
    colours = [OVER if load > takt_min + _TOLERANCE else WITHIN for load in loads]
    axes.bar(names, loads, color=colours)
    axes.axhline(takt_min, color=TAKT, linestyle="--", label=f"takt {takt_min:g} min")
    axes.set(xlabel="station", ylabel="load, min", title="Station loads vs takt")
    axes.legend(loc="upper right")
    return _png(figure)


def gantt_chart(rows: Sequence[GanttRow]) -> bytes:
    """One lane per machine (first machine on top), one colour per job, labelled bars from start to end."""
    if not rows:
        raise ValueError("a Gantt chart needs at least one row")
    machines = list(dict.fromkeys(row.machine for row in rows))
    jobs = list(dict.fromkeys(row.job for row in rows))
    figure = _figure()
    axes = figure.add_subplot()
    for row in rows:
        lane = len(machines) - 1 - machines.index(row.machine)
        colour = _PALETTE[jobs.index(row.job) % len(_PALETTE)]
        axes.barh(lane, row.end - row.start, left=row.start, height=0.6, color=colour, edgecolor="white")
        if row.end > row.start:
            axes.text((row.start + row.end) / 2, lane, row.job, ha="center", va="center", fontsize=8, color="white")
    axes.set_yticks(range(len(machines)), list(reversed(machines)))
    axes.set(xlabel="time, min", title="Launch schedule")
    return _png(figure)


def buffer_levels_chart(buffers: Sequence[BufferStats], warmup_min: float = 0.0) -> bytes:
    """Mean level of each buffer over time (first replication), with the warm-up shaded."""
    if not buffers:
        raise ValueError("a buffer chart needs at least one buffer (a line of one station has none)")
    figure = _figure()
    axes = figure.add_subplot()
    for i, buffer in enumerate(buffers):
        colour = _PALETTE[i % len(_PALETTE)]
        label = f"after station {buffer.after} (capacity {buffer.capacity})"
        axes.step(buffer.times, buffer.levels, where="pre", color=colour, label=label)
    if warmup_min > 0:
        axes.axvspan(0, warmup_min, color="#dddddd", alpha=0.6, label="warm-up")
    axes.set(xlabel="time, min", ylabel="pieces waiting", title="Buffer levels")
    axes.set_ylim(bottom=0)
    axes.set_xlim(left=0)
    axes.legend(loc="upper right", fontsize=8)
    return _png(figure)
