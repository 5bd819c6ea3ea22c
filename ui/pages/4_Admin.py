"""Administration: accounts (add, role, disable), the audit log, its chain check, and unusual activity."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from shared import act, can, get_assistant, logged_in, reported, show_notice

from assistant.api import Role, User

user = logged_in()
workspace = get_assistant().workspace
ROLES = [role.value for role in Role]
st.title("Administration")
if not can(user, "manage_users"):
    st.error(f"This page is for admins; your role is {user.role}.")
    st.stop()
show_notice()


def add_user_form() -> None:
    with st.form("add-user", clear_on_submit=True):
        st.markdown("**Add an account**")
        left, middle, right = st.columns(3)
        name = left.text_input("User name", key="admin.new-name")
        role = middle.selectbox("Role", ROLES)
        password = right.text_input(
            "Initial password", type="password", help="at least 8 characters", key="admin.new-password"
        )
        if st.form_submit_button("Add", type="primary"):
            with reported():
                made = workspace.add_user(user, name, role, password)
                st.success(f"added {made.name} ({made.role})")


def change_user(accounts: list[User]) -> None:
    st.markdown("**Change an account**")
    left, middle, right = st.columns(3)
    names = [a.name for a in accounts]
    name = left.selectbox("Account", names, key="admin.account")
    account = accounts[names.index(name)]
    role = middle.selectbox("Role", ROLES, index=ROLES.index(account.role), key=f"admin.role-{name}")
    middle.button(
        "Set role", on_click=act, args=(lambda: f"{name} is now {workspace.set_role(user, name, role).role}",)
    )
    flip = not account.active
    right.button(
        "Enable" if flip else "Disable",
        on_click=act,
        args=(lambda: f"{name} {'enabled' if workspace.set_active(user, name, flip).active else 'disabled'}",),
    )
    with right.popover("Set a password"), st.form("admin-password", clear_on_submit=True):
        new = st.text_input("New password", type="password")
        if st.form_submit_button("Set"):
            with reported():
                workspace.set_password(user, name, new)
                st.success(f"password of {name} set; their sessions are ended")


def audit() -> None:
    st.subheader("Audit log")
    check = workspace.verify_audit(user)
    (st.success if check.ok else st.error)(check.describe())
    rows = workspace.audit_log(user, limit=500)
    st.dataframe(
        pd.DataFrame(
            {
                "At": r.at,
                "User": r.user_name,
                "Action": r.action,
                "Target": r.target,
                "Version": r.version,
                "Detail": r.detail,
            }
            for r in reversed(rows)
        ),
        hide_index=True,
        width="stretch",
    )
    st.subheader("Unusual activity (last 28 days)")
    found = workspace.anomalies(user)
    if not found:
        st.success("Nothing unusual: no user-day stands out from that user's usual days.")
    for anomaly in found:
        st.warning(f"**{anomaly.user}** · {anomaly.pattern} · {anomaly.day}: {anomaly.explanation}")


st.subheader("Accounts")
accounts = workspace.users(user)
st.dataframe(
    pd.DataFrame({"Name": a.name, "Role": a.role.value, "Active": a.active, "Created": a.created_at} for a in accounts),
    hide_index=True,
    width="stretch",
)
add_user_form()
change_user(accounts)
audit()
