"""Chat with the standards: answers only from the indexed documents the user may read, with citations.

Conversations are kept per user; a citation opens the cited page with the passage highlighted.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from shared import allowed_levels, get_assistant, logged_in, provider_picker, reported

from assistant.api import Answer, Message, PreproError, User

user = logged_in()
helper = get_assistant()
workspace = helper.workspace
provider = provider_picker()
usage: dict[int, str] = st.session_state.setdefault("usage", {})  # message id → "provider · tokens"


def label(cited: dict[str, Any]) -> str:
    """`[1] grinding.md §4.1, p. 3 — Grinding`."""
    section = f" §{cited['section']}" if cited.get("section") else ""
    page = f", p. {cited['page']}" if cited.get("page") is not None else ""
    title = f" — {cited['title']}" if cited.get("title") else ""
    return f"[{cited['n']}] {cited['doc']}{section}{page}{title}"


def open_citation(cited: dict[str, Any] | None) -> None:
    st.session_state["cited"] = cited


def conversations_sidebar(user: User) -> None:
    st.sidebar.subheader("Conversations")
    if st.sidebar.button("New conversation", icon=":material/add:"):
        st.session_state.pop("conversation", None)
        st.session_state.pop("cited", None)
    current = st.session_state.get("conversation")
    for found in workspace.conversations(user)[:50]:
        kind = "primary" if found.id == current else "secondary"
        if st.sidebar.button(found.title, key=f"conversation-{found.id}", type=kind, width="stretch"):
            st.session_state["conversation"] = found.id
            st.session_state.pop("cited", None)
            st.rerun()


def show_message(message: Message) -> None:
    with st.chat_message(message.role):
        st.markdown(message.content)
        for cited in message.citations:
            st.button(
                label(cited),
                key=f"cite-{message.id}-{cited['n']}",
                on_click=open_citation,
                args=(cited,),
                type="tertiary",
                icon=":material/description:",
            )
        if message.id in usage:
            st.caption(usage[message.id])


def show_citation(cited: dict[str, Any]) -> None:
    st.subheader("Cited passage")
    st.caption(label(cited))
    with reported():
        view = helper.cited_page(cited["doc"], cited.get("page"), cited.get("quote", ""), allowed_levels(user))
        if view.image is not None:
            caption = f"{view.doc}, page {view.page}: {view.highlighted} words highlighted"
            st.image(view.excerpt or view.image, caption=caption)
            if view.excerpt is not None:
                with st.expander(f"The whole page {view.page}"):
                    st.image(view.image)
        else:
            if view.before:
                st.caption(view.before)
            with st.container(border=True):
                st.markdown(view.passage)
            if view.after:
                st.caption(view.after)
        if view.note:
            st.info(view.note)
    st.button("Close", on_click=open_citation, args=(None,))


def answer(question: str) -> None:
    """Ask with the conversation so far, stream the answer, keep both messages, then show them with citations."""
    conversation = st.session_state.get("conversation") or workspace.start_conversation(user, question).id
    st.session_state["conversation"] = conversation
    history = workspace.turns(user, conversation)
    workspace.add_message(user, conversation, "user", question)
    with st.chat_message("user"):
        st.markdown(question)
    made: Answer | None = None
    with st.chat_message("assistant"):
        box, text = st.empty(), ""
        try:
            for item in helper.stream(question, history, provider=provider, allowed=allowed_levels(user)):
                if isinstance(item, Answer):
                    made = item
                else:
                    text += item
                    box.markdown(text)
        except PreproError as exc:
            st.error(str(exc))
            return
    assert made is not None
    kept = workspace.add_message(user, conversation, "assistant", made.answer, made.citations)
    usage[kept.id] = f"{made.provider} · {made.usage.total_tokens} tokens" + "".join(f" · ⚠ {w}" for w in made.warnings)
    st.rerun()


st.title("Chat with the standards")
st.caption("Answers come only from the indexed documents you may read; every fact carries its citation.")
conversations_sidebar(user)
cited = st.session_state.get("cited")
chat, source = st.columns([1, 1]) if cited else (st.container(), None)
with chat:
    conversation = st.session_state.get("conversation")
    with reported():
        for message in workspace.messages(user, conversation) if conversation else []:
            show_message(message)
if source is not None and cited is not None:
    with source:
        show_citation(cited)
question = st.chat_input("Ask about tolerances, materials, processes, time norms ...")
if question:
    with chat:
        answer(question)
