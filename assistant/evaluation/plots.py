"""PNG plots of eval runs on matplotlib's Agg canvas (no pyplot, no global state): the distribution of each
metric's case values in a suite, and each metric's aggregate with its interval over runs."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

_DPI = 100
_COLOUR = "#4c78a8"


def _png(figure: Figure) -> bytes:
    out = BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def _grid(count: int, height: float) -> tuple[Figure, int, int]:
    cols = min(3, max(1, count))
    rows = math.ceil(count / cols)
    figure = Figure(figsize=(3.2 * cols, height * rows), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, rows, cols


def distributions(suite: str, values: Mapping[str, Sequence[float]]) -> bytes:
    """Histograms of the case values of each metric (values between 0 and 1 in ten bins)."""
    metrics = [m for m, v in values.items() if v]
    if not metrics:
        raise ValueError(f"suite {suite}: no case values to plot")
    figure, rows, cols = _grid(len(metrics), 2.4)
    for n, metric in enumerate(metrics, start=1):
        axes = figure.add_subplot(rows, cols, n)
        data = values[metric]
        low, high = min(0.0, min(data)), max(1.0, max(data))
        axes.hist(data, bins=10, range=(low, high), color=_COLOUR)
        axes.set_title(f"{metric} (n={len(data)})", fontsize=9)
        axes.tick_params(labelsize=7)
    figure.suptitle(f"{suite}: case values", fontsize=10)
    return _png(figure)


def trend(suite: str, runs: Sequence[str], series: Mapping[str, Sequence[tuple[float, float, float] | None]]) -> bytes:
    """Each metric's aggregate (with its 95 % interval) over the runs, oldest first; a gap where a run lacks it."""
    metrics = [m for m, points in series.items() if any(points)]
    if not metrics or len(runs) < 2:
        raise ValueError(f"suite {suite}: a trend needs at least two runs with values")
    figure, rows, cols = _grid(len(metrics), 2.4)
    for n, metric in enumerate(metrics, start=1):
        axes = figure.add_subplot(rows, cols, n)
        points = [(x, p) for x, p in enumerate(series[metric]) if p is not None]
        xs = [x for x, _ in points]
        axes.plot(xs, [p[0] for _, p in points], marker="o", color=_COLOUR)
        axes.fill_between(xs, [p[1] for _, p in points], [p[2] for _, p in points], color=_COLOUR, alpha=0.2)
        axes.set_xticks(range(len(runs)), [r[:15] for r in runs], rotation=45, ha="right", fontsize=6)
        axes.set_title(metric, fontsize=9)
        axes.tick_params(axis="y", labelsize=7)
    figure.suptitle(f"{suite}: aggregates over runs (95 % interval shaded)", fontsize=10)
    return _png(figure)
