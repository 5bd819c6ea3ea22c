"""prepro's web UI: the login, then the pages the user's role works with (`prepro ui` serves this file).

Each run authenticates the session token again; a page the role has no use for is not listed (the API refuses
its actions anyway).
"""

from __future__ import annotations

import streamlit as st
from shared import can, require_login

st.set_page_config(page_title="prepro", page_icon=":material/precision_manufacturing:", layout="wide")
user = require_login()
pages = [
    st.Page("pages/0_Chat.py", title="Chat", icon=":material/chat:", default=True),
    st.Page("pages/1_Draft.py", title="Draft", icon=":material/edit_document:"),
    st.Page("pages/2_Review.py", title="Review", icon=":material/fact_check:"),
    st.Page("pages/3_Knowledge_base.py", title="Knowledge base", icon=":material/library_books:"),
    st.Page("pages/5_Evals.py", title="Evals", icon=":material/monitoring:"),
]
if can(user, "manage_users"):
    pages.insert(4, st.Page("pages/4_Admin.py", title="Admin", icon=":material/admin_panel_settings:"))
st.navigation(pages).run()
