"""What every page shares: one cached Assistant and the provider picker."""

from __future__ import annotations

import streamlit as st

from assistant.api import Assistant


@st.cache_resource
def get_assistant() -> Assistant:
    """One Assistant per server process: models and the index stay loaded between reruns."""
    return Assistant()


def provider_picker() -> str:
    """A sidebar choice of provider, defaulting to the configured one."""
    names, default = get_assistant().providers()
    return st.sidebar.selectbox(
        "LLM provider",
        names,
        index=names.index(default),
        help="offline answers from rules and retrieval only; local runs SmolLM2 here",
    )
