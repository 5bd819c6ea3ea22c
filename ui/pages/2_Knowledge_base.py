"""The knowledge base: what is indexed, adding documents, and searching with citations."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from shared import get_assistant

from assistant.api import PreproError

st.set_page_config(page_title="prepro — knowledge base", layout="wide")
st.title("Knowledge base")
helper = get_assistant()

files = st.file_uploader(
    "Add documents (PDF, DOCX, Markdown, text)", accept_multiple_files=True, type=["pdf", "docx", "md", "txt", "yaml"]
)
password = st.text_input("Password for encrypted PDFs", type="password")
if files and st.button("Index", type="primary"):
    folder = helper.settings.home / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for file in files:
        path = folder / file.name
        path.write_bytes(file.getvalue())
        paths.append(path)
    bar = st.progress(0.0)
    report = helper.ingest(
        paths,
        password=password or None,
        progress=lambda done, total, label: bar.progress(done / max(total, 1), text=label),
    )
    st.success(report.summary())
    for outcome in report.files:
        if outcome.status == "failed":
            st.error(outcome.reason)
        for warning in outcome.warnings:
            st.warning(f"{outcome.doc}: {warning}")

query = st.text_input("Search")
if query:
    try:
        for n, passage in enumerate(helper.search(query, k=5), start=1):
            st.markdown(f"**[{n}] {passage.citation.label()}** — {passage.title}")
            st.text(passage.text)
    except PreproError as exc:
        st.error(str(exc))

sources = helper.sources()
st.subheader(f"Indexed: {len(sources)} documents, {sum(s.chunks for s in sources)} chunks")
if sources:
    st.dataframe(pd.DataFrame([s.model_dump() for s in sources]), hide_index=True, use_container_width=True)
