"""Evaluations: each eval suite's latest run (metrics with their 95 % intervals), the trend of its metrics over
runs, and the cases that got worse against the previous run of that suite (all read by `Assistant.evaluations`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from shared import get_assistant, logged_in


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def metrics_table(suite: Any) -> None:
    st.dataframe(
        pd.DataFrame(
            {
                "Metric": m.name,
                "Mean": m.mean,
                "95 % interval": "" if m.low is None else f"[{_num(m.low)}, {_num(m.high)}]",
                "n": m.n,
                "Not applicable": m.not_applicable,
                "Better": "higher" if m.higher_is_better else "lower",
                "What it measures": m.description,
            }
            for m in suite.metrics
        ),
        hide_index=True,
        width="stretch",
        column_config={"Mean": st.column_config.NumberColumn(format="%.3f")},
    )


def trend_chart(suite: Any) -> None:
    if len(suite.trend) < 2:
        st.caption("One run of this suite so far: the trend appears from the second run on.")
        return
    st.line_chart(pd.DataFrame([p.means for p in suite.trend], index=[p.run_id for p in suite.trend], dtype=float))


def regressions(suite: Any) -> None:
    if suite.baseline is None:
        st.caption("No earlier run of this suite to compare against.")
        return
    for warning in suite.warnings:
        st.warning(warning)
    if not suite.regressions:
        st.success(f"No regressions against run {suite.baseline}.")
        return
    worse = f" (worse overall: {', '.join(suite.regressed_metrics)})" if suite.regressed_metrics else ""
    st.error(f"{len(suite.regressions)} case score(s) worse than in run {suite.baseline}{worse}")
    st.dataframe(
        pd.DataFrame(
            {"Case": r.case, "Metric": r.metric, "Before → after": f"{_num(r.before)} → {_num(r.after)}"}
            for r in suite.regressions
        ),
        hide_index=True,
        width="stretch",
    )


logged_in()
st.title("Evaluations")
overview = get_assistant().evaluations()
for skipped in overview.skipped:
    st.warning(f"Run folder {skipped.run_id} skipped: {skipped.reason}")
if not overview.suites:
    st.info(
        f"No eval run yet in {overview.folder}. Make one with `prepro eval run` (all suites; e.g. "
        "`prepro eval run --suite routing` for one), then reload this page."
    )
    st.stop()
st.caption(f"{len(overview.runs)} runs in {overview.folder}; each suite shows the latest run that ran it.")
for suite in overview.suites:
    st.header(suite.name)
    st.caption(
        f"{suite.summary}. Latest run **{suite.run_id}**: started {suite.started_at or '?'}, provider "
        f"{suite.provider or '?'}, model {suite.model or '?'}, commit {suite.commit or '?'}, {suite.tier} tier, "
        f"{suite.cases} cases{f', {suite.errors} failed' if suite.errors else ''}."
    )
    metrics_table(suite)
    st.subheader("Trend over runs")
    trend_chart(suite)
    st.subheader("Regressions")
    regressions(suite)
