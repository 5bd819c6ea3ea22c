"""Draft a route card for a part: upload or paste its spec, review operations and findings, export."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import yaml
from shared import get_assistant, provider_picker

from assistant.api import PreproError

st.set_page_config(page_title="prepro — routing draft", layout="wide")
st.title("Routing draft")
provider = provider_picker()
uploaded = st.file_uploader("Part spec (YAML or JSON)", type=["yaml", "yml", "json"])
text = st.text_area("... or paste it", value=uploaded.getvalue().decode() if uploaded else "", height=220)

if st.button("Draft route card", type="primary", disabled=not text.strip()):
    helper = get_assistant()
    try:
        part = yaml.safe_load(text)
        bar = st.progress(0.0, text="Drafting the route card")

        def show(done: int, total: int, what: str) -> None:
            """The LLM's progress through the operations it words."""
            bar.progress(done / total if total else 1.0, text=f"{what}: {done} of {total}")

        st.session_state["draft"] = helper.draft("routing", part, provider=provider, progress=show)
        st.session_state["part"] = part
        bar.empty()
    except (PreproError, yaml.YAMLError) as exc:
        st.error(str(exc))

draft = st.session_state.get("draft")
if draft is not None:
    st.subheader(f"{draft.part_id} — drafted by {draft.provider}")
    table = pd.DataFrame(
        [
            {
                "No": op.number,
                "Operation": op.name,
                "Kind": op.kind,
                "Stage": op.stage or "",
                "Features": ", ".join(op.features),
                "Equipment": f"{op.equipment.model} {op.equipment.type}",
                "Tsetup, min": op.setup_time_min,
                "Tpiece, min": op.piece_time_min,
            }
            for op in draft.operations
        ]
    )
    st.dataframe(table, hide_index=True, use_container_width=True)
    errors = [f for f in draft.findings if f.severity == "error"]
    st.markdown(f"**Findings:** {len(errors)} errors, {len(draft.findings) - len(errors)} other")
    for finding in draft.findings:
        (st.error if finding.severity == "error" else st.warning if finding.severity == "warning" else st.info)(
            f"{finding.rule}: {finding.message}"
        )
    with st.expander("Operations in detail"):
        st.markdown(get_assistant().export("routing", draft, "md", st.session_state.get("part")).decode())
    columns = st.columns(4)
    mime = {
        "json": "application/json",
        "md": "text/markdown",
        "docx": "application/octet-stream",
        "xlsx": "application/octet-stream",
    }
    for column, fmt in zip(columns, mime, strict=True):
        column.download_button(
            f"Download {fmt.upper()}",
            get_assistant().export("routing", draft, fmt, st.session_state.get("part")),
            file_name=f"{draft.part_id}.{fmt}",
            mime=mime[fmt],
        )
