"""prepro — chat with the standards (answers only from the indexed documents, with citations)."""

from __future__ import annotations

import streamlit as st
from shared import get_assistant, provider_picker

from assistant.api import Answer, PreproError, Turn

st.set_page_config(page_title="prepro — chat with the standards", layout="wide")
st.title("Chat with the standards")
st.caption("Answers come only from the indexed documents; every fact carries its citation.")

provider = provider_picker()
history: list[dict] = st.session_state.setdefault("history", [])
for turn in history:
    with st.chat_message(turn["role"]):
        st.markdown(turn["content"])
        for line in turn.get("sources", []):
            st.caption(line)

question = st.chat_input("Ask about tolerances, materials, processes, time norms ...")
if question:
    with st.chat_message("user"):
        st.markdown(question)
    turns = [Turn(role=t["role"], content=t["content"]) for t in history]
    answer: Answer | None = None
    with st.chat_message("assistant"):
        box, text = st.empty(), ""
        try:
            for item in get_assistant().stream(question, turns, provider=provider):
                if isinstance(item, Answer):
                    answer = item
                else:
                    text += item
                    box.markdown(text)
        except PreproError as exc:
            st.error(str(exc))
        sources = []
        if answer is not None:
            box.markdown(answer.answer)
            sources = [
                f"[{c.n}] {c.doc}"
                + (f" §{c.section}" if c.section else "")
                + (f", p. {c.page}" if c.page else "")
                + f" — {c.title}"
                for c in answer.citations
            ]
            for line in sources:
                st.caption(line)
            for warning in answer.warnings:
                st.warning(warning)
            st.caption(f"{answer.provider} · {answer.usage.total_tokens} tokens")
    history += [
        {"role": "user", "content": question},
        {"role": "assistant", "content": answer.answer if answer else text, "sources": sources},
    ]
