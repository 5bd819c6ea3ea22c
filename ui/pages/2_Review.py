"""Review drafts: the draft as an editable table re-checked on every edit, versions saved without overwriting
anyone, comments, submission and the reviewer's decision, history with diffs, and exports."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from shared import act, can, findings_banner, get_assistant, logged_in, reported, show_notice

from assistant.api import (
    FINDINGS,
    ROW,
    AuditAction,
    DraftRecord,
    EditConflict,
    Edited,
    Finding,
    PreproError,
    Version,
    rows_of,
    table_spec,
)

user = logged_in()
helper = get_assistant()
workspace = helper.workspace
OPEN_FOR_SUBMIT = {"draft", "changes_requested"}


def where(finding: Finding) -> str:
    """The row a finding names, shown before it in the banner."""
    named = finding.operation or finding.feature
    return f"`{named}` " if named else ""


def overview(drafts: list[DraftRecord]) -> int:
    """The drafts as a table and the one chosen to review."""
    st.dataframe(
        pd.DataFrame(
            {
                "Stage": d.stage,
                "Subject": d.subject,
                "State": d.state.replace("_", " "),
                "Version": d.version,
                "Created by": d.created_by,
                "Updated": d.updated_at,
            }
            for d in drafts
        ),
        hide_index=True,
        width="stretch",
    )
    ids = [d.id for d in drafts]
    if st.session_state.get("review_id") in ids:
        st.session_state["review.draft"] = st.session_state.pop("review_id")
    names = {d.id: f"{d.stage}/{d.subject} — version {d.version}, {d.state.replace('_', ' ')}" for d in drafts}
    return st.selectbox("Draft to review", ids, format_func=names.__getitem__, key="review.draft")


def table(draft: DraftRecord, latest: Version) -> tuple[Edited, bool] | None:
    """The draft's rows, editable for authors; the edit re-checked. Returns it and whether it differs."""
    saved = helper.edit_draft(draft.stage, latest.content, latest.input)
    spec = table_spec(draft.stage)
    if spec is None:
        st.markdown(helper.export(draft.stage, latest.content, "md", latest.input).decode())
        return saved, False
    headers = [c.header for c in spec.columns]
    rows = pd.DataFrame(rows_of(draft.stage, latest.content, saved.findings), columns=[ROW, *headers, FINDINGS])
    if not can(user, "edit"):
        st.dataframe(rows.drop(columns=[ROW]), hide_index=True, width="stretch")
        return saved, False
    st.caption("Edit cells, add or delete rows: the checks run again on every edit. Findings are of the saved version.")
    edited = st.data_editor(
        rows,
        key=f"rows-{draft.id}-{latest.version}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={ROW: None},
        disabled=[FINDINGS, *(c.header for c in spec.columns if not c.editable)],
    )
    if edited.equals(rows):
        return saved, False
    try:
        return helper.edit_draft(draft.stage, latest.content, latest.input, edited.to_dict("records")), True
    except PreproError as exc:
        st.error(f"The edit is not a valid draft: {exc}")
        return None


def save_box(draft: DraftRecord, latest: Version, edit: Edited, changed: bool) -> None:
    if not can(user, "edit"):
        return
    note = st.text_input("What you changed (kept with the version)", key=f"note-{draft.id}-{latest.version}")
    if not st.button(f"Save as version {latest.version + 1}", type="primary", disabled=not changed):
        return
    try:
        saved = workspace.save_version(user, draft.stage, edit.content, latest.input, latest.version, note)
    except EditConflict as exc:
        st.error(str(exc))
        st.code(exc.changes or "(no field differs)", language="diff")
        return
    except PreproError as exc:
        st.error(str(exc))
        return
    st.session_state["notice"] = ("success", f"saved version {saved.version} of {saved.stage}/{saved.subject}")
    st.rerun()


def decide(decision: str, draft_id: int, version: int) -> str:
    """A reviewer's decision, with the comment and confirmation from the widgets (run in a button callback)."""
    comment = st.session_state.get(f"comment-{draft_id}", "")
    if decision == "approve":
        force = bool(st.session_state.get(f"force-{draft_id}-{version}", False))
        workspace.approve(user, draft_id, version, comment, force=force)
    else:
        getattr(workspace, decision)(user, draft_id, version, comment)
    return f"{decision.replace('_', ' ')}: version {version} — done"


def review_box(draft: DraftRecord, latest: Version, saved_errors: int, changed: bool) -> None:
    version = latest.version
    if can(user, "edit") and draft.state in OPEN_FOR_SUBMIT:
        submit = lambda: f"version {workspace.submit(user, draft.id, version).version} is up for review"  # noqa: E731
        st.button(f"Submit version {version} for review", on_click=act, args=(submit,), disabled=changed)
    if not can(user, "review"):
        return
    st.markdown("**Decision**")
    if changed:
        st.warning(f"The decision is on the saved version {version}, not on the edits above.")
    st.text_area("Comment (needed to reject or request changes)", key=f"comment-{draft.id}")
    if saved_errors:
        st.checkbox(
            f"Approve although version {version} has {saved_errors} error finding(s) (recorded in the audit log)",
            key=f"force-{draft.id}-{version}",
        )
    columns = st.columns(3)
    for column, (label, decision) in zip(
        columns, {"Approve": "approve", "Request changes": "request_changes", "Reject": "reject"}.items(), strict=True
    ):
        column.button(label, on_click=act, args=(lambda d=decision: decide(d, draft.id, version),), key=decision)


def discussion(draft: DraftRecord, version: int) -> None:
    st.subheader("Comments and decisions")
    said = [(c.at, f"**{c.author}** on version {c.version}: {c.text}") for c in workspace.comments(user, draft.id)]
    said += [
        (
            d.at,
            f"**{d.reviewer}** — {d.decision.replace('_', ' ')} version {d.version}"
            + (f": {d.comment}" if d.comment else ""),
        )
        for d in workspace.decisions(user, draft.id)
    ]
    for at, text in sorted(said):
        st.markdown(f"{text}  \n<small>{at}</small>", unsafe_allow_html=True)
    if can(user, "comment"):
        with st.form(f"comment-form-{draft.id}", clear_on_submit=True):
            text = st.text_area("Add a comment", key=f"new-comment-{draft.id}")
            if st.form_submit_button("Comment"):
                with reported():
                    workspace.comment(user, draft.id, text, version)
                    st.rerun()


def approved_sources(draft: DraftRecord) -> None:
    """The documents the approved version cites, opened at the revision it was approved against."""
    cited = workspace.approved_revisions(user, draft.id)
    if not cited:
        return
    st.subheader(f"Sources as approved (version {cited[0].version})")
    replaced = [c.doc for c in cited if c.superseded]
    if replaced:
        st.warning(
            f"Replaced since the approval: {', '.join(replaced)}. Their citations open the revision the draft was "
            "approved against."
        )
    for c in cited:
        left, right = st.columns([5, 1])
        where = f" §{c.section}" if c.section else ""
        state = "superseded since" if c.superseded else "current"
        left.markdown(f"**{c.doc}**{where} — revision {c.revision or c.sha256[:12]} ({state})")
        if right.button("Open", key=f"approved-{draft.id}-{c.doc}"):
            with reported():
                view = helper.cited_page(c.doc, c.page, c.section or "", user.readable, c.sha256)
                if view.image is not None:
                    st.image(view.excerpt or view.image, caption=f"{c.doc}, page {view.page}, as approved")
                else:
                    st.markdown(view.passage or view.note)


def history(draft: DraftRecord, versions: list[Version]) -> None:
    st.subheader("History")
    st.dataframe(
        pd.DataFrame(
            {"Version": v.version, "Author": v.author, "Note": v.note, "Saved at": v.created_at} for v in versions
        ),
        hide_index=True,
        width="stretch",
    )
    if len(versions) < 2:
        return
    numbers = [v.version for v in versions]
    left, right = st.columns(2)
    first = left.selectbox("Compare version", numbers, index=len(numbers) - 2, key=f"diff-a-{draft.id}")
    second = right.selectbox("with version", numbers, index=len(numbers) - 1, key=f"diff-b-{draft.id}")
    with reported():
        diff = workspace.diff(user, draft.id, first, second)
        lines = diff.summary()
        st.markdown("\n".join(f"- {line}" for line in lines) or "No field differs.")
        with st.expander("Unified diff"):
            st.code(diff.text or "(identical)", language="diff")


def record_download(draft: DraftRecord, version: int, fmt: str) -> None:
    workspace.record(user, AuditAction.DOWNLOAD, f"{draft.stage}/{draft.subject}", version, fmt)


def export_box(draft: DraftRecord, versions: list[Version]) -> None:
    st.subheader("Export")
    if not can(user, "export"):
        st.caption(f"Your role ({user.role}) does not export drafts.")
        return
    left, right = st.columns(2)
    number = left.selectbox("Version", [v.version for v in versions], index=len(versions) - 1, key=f"ex-v-{draft.id}")
    fmt = right.selectbox("Format", helper.formats(draft.stage), key=f"ex-f-{draft.id}")
    chosen = versions[number - 1]
    errors = sum(f.severity == "error" for f in helper.edit_draft(draft.stage, chosen.content, chosen.input).findings)
    sure = True
    if errors:
        sure = st.checkbox(f"Version {number} has {errors} error finding(s): export it anyway", key=f"ex-ok-{draft.id}")
    if st.button("Prepare the file", disabled=not sure):
        with reported():
            made = workspace.export(user, draft.id, fmt, number)
            st.session_state["export"] = ((draft.id, number, fmt), made.name, made.data)
    ready: Any = st.session_state.get("export")
    if ready and ready[0] == (draft.id, number, fmt):
        st.download_button(
            f"Download {ready[1]}", ready[2], file_name=ready[1], on_click=record_download, args=(draft, number, fmt)
        )


st.title("Review")
show_notice()
drafts = workspace.drafts(user)
if not drafts:
    st.info("No drafts yet: make one on the Draft page and save it.")
    st.stop()
chosen_id = overview(drafts)
record = workspace.get_draft(user, chosen_id)
latest = workspace.version(user, chosen_id)
st.header(f"{record.stage}/{record.subject} — version {latest.version}, {record.state.replace('_', ' ')}")
banner = st.container()
outcome = table(record, latest)
if outcome is not None:
    edit, changed = outcome
    with banner:
        findings_banner(edit.findings, where)
    save_box(record, latest, edit, changed)
    saved_errors = sum(
        f.severity == "error" for f in helper.edit_draft(record.stage, latest.content, latest.input).findings
    )
    review_box(record, latest, saved_errors, changed)
discussion(record, latest.version)
approved_sources(record)
versions = workspace.history(user, chosen_id)
history(record, versions)
export_box(record, versions)
