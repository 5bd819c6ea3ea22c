"""Evaluation results: the latest run of each eval suite, once the API offers them."""

from __future__ import annotations

import streamlit as st

st.title("Evaluations")
st.info(
    "The eval runs are not yet offered by the Python API this page reads. Meanwhile `prepro eval report` writes "
    "the latest run of each suite as a report, and `prepro eval gate` checks it against evals/gates.yaml."
)
