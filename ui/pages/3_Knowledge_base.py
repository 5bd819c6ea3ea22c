"""The knowledge base: what is indexed, adding, replacing and deleting documents (admins), and searching."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from shared import allowed_levels, can, get_assistant, logged_in, reported

from assistant.api import DOC_KINDS, UPLOAD_LIMITS, AccessLevel, IngestReport, User

user = logged_in()
helper = get_assistant()
st.title("Knowledge base")
TYPES = ["pdf", "docx", "md", "markdown", "txt", "yaml", "yml"]
LEVELS = [level.value for level in AccessLevel]


def show_report(report: IngestReport) -> None:
    """Failures in red, on their own; the summary in green only when nothing failed."""
    for outcome in report.files:
        if outcome.status == "failed":
            st.error(f"{outcome.doc}: {outcome.reason}")
        for warning in outcome.warnings:
            st.warning(f"{outcome.doc}: {warning}")
        if outcome.flagged:
            st.warning(
                f"{outcome.doc}: {outcome.flagged} passage(s) read like instructions and are kept out of prompts"
            )
    (st.info if report.count("failed") else st.success)(report.summary())


def upload_form() -> None:
    with st.form("upload", clear_on_submit=True):
        st.subheader("Add documents")
        files = st.file_uploader(
            "PDF, DOCX, Markdown, text or YAML catalogues", type=TYPES, accept_multiple_files=True, help=UPLOAD_LIMITS
        )
        left, middle, right = st.columns(3)
        title = left.text_input("Title (one file only; default: read from the document)", key="upload.title")
        kind = middle.selectbox("Kind", ["(from the file)", *DOC_KINDS])
        access = right.selectbox("Access level", LEVELS, index=LEVELS.index("internal"))
        revision = left.text_input("Revision", key="upload.revision")
        effective = middle.date_input("Effective date", value=None)
        password = right.text_input("Password for encrypted PDFs", type="password")
        submitted = st.form_submit_button("Index", type="primary")
    if not submitted:
        return
    if not files:
        st.error("choose at least one file to index")
        return
    bar = st.progress(0.0)
    with reported():
        report = helper.upload(
            [(f.name, f.getvalue()) for f in files],
            user,
            password=password or None,
            progress=lambda done, total, what: bar.progress(done / max(total, 1), text=what),
            access=access,
            kind=None if kind.startswith("(") else kind,
            title=title.strip() or None,
            revision=revision.strip() or None,
            effective_date=effective.isoformat() if effective else None,
        )
        show_report(report)
    bar.empty()


def manage(user: User, docs: list[str]) -> None:
    st.subheader("Replace or delete a document")
    doc = st.selectbox("Document", docs)
    left, right = st.columns(2)
    with left, st.form("replace", clear_on_submit=True):
        new = st.file_uploader(f"New revision of {doc}", type=TYPES, help=UPLOAD_LIMITS)
        if st.form_submit_button("Replace") and new is not None:
            with reported():
                show_report(helper.upload([(new.name, new.getvalue())], user, replaces=doc))
    with right:
        sure = st.checkbox(f"Yes, delete {doc} and its passages", key=f"delete-{doc}")
        if st.button("Delete", disabled=not sure, type="primary"):
            with reported():
                st.success(f"{doc}: {helper.remove(doc, user=user)} passages removed")


def search(user: User) -> None:
    query = st.text_input("Search the documents you may read", key="search")
    if not query:
        return
    with reported():
        found = helper.search(query, k=5, allowed=allowed_levels(user))
        if not found:
            st.info(f"No good match for “{query}” in the knowledge base: try other words or a clause number.")
        for n, passage in enumerate(found, start=1):
            st.markdown(f"**[{n}] {passage.citation.label()}** — {passage.title} · {passage.access}")
            st.text(passage.text)


if can(user, "manage_documents"):
    upload_form()
else:
    st.caption("Documents are added and removed by admins; this is the knowledge base as you may read it.")
search(user)
sources = helper.sources(allowed_levels(user))
st.subheader(f"Indexed: {len(sources)} documents, {sum(s.chunks for s in sources)} passages")
if sources:
    table = pd.DataFrame(
        {
            "Document": s.doc,
            "Title": s.title,
            "Kind": s.kind,
            "Access": s.access,
            "Revision": s.revision or "",
            "Effective": s.effective_date or "",
            "Pages": s.pages,
            "Image-only pages": s.image_only_pages,
            "Passages": s.chunks,
            "Flagged passages": s.flagged,
            "Indexed at": s.ingested_at,
        }
        for s in sources
    )
    st.dataframe(table, hide_index=True, width="stretch")
    if can(user, "manage_documents"):
        manage(user, [s.doc for s in sources])
