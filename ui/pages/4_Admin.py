"""Administration: accounts (add, role, disable), the audit log, its chain check, and unusual activity."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from shared import act, can, get_assistant, logged_in, reported, show_notice

from assistant.api import AccessLevel, Role, User

user = logged_in()
workspace = get_assistant().workspace
ROLES = [role.value for role in Role]
LEVELS = [level.value for level in AccessLevel]
DEFAULT = "role's default"
st.title("Administration")
if not can(user, "manage_users"):
    st.error(f"This page is for admins; your role is {user.role}.")
    st.stop()
show_notice()


def add_user_form() -> None:
    with st.form("add-user", clear_on_submit=True):
        st.markdown("**Add an account**")
        left, middle, clear, right = st.columns(4)
        name = left.text_input("User name", key="admin.new-name")
        role = middle.selectbox("Role", ROLES)
        level = clear.selectbox("Clearance", [DEFAULT, *LEVELS], help="the most confidential documents they read")
        password = right.text_input(
            "One-time password",
            type="password",
            help="at least 8 characters; they set their own at the first login",
            key="admin.new-password",
        )
        if st.form_submit_button("Add", type="primary"):
            with reported():
                made = workspace.add_user(user, name, role, password, None if level == DEFAULT else level)
                st.success(f"added {made.name} ({made.role}, reads up to {made.clearance})")


def change_user(accounts: list[User]) -> None:
    st.markdown("**Change an account**")
    left, middle, clear, right = st.columns(4)
    names = [a.name for a in accounts]
    name = left.selectbox("Account", names, key="admin.account")
    account = accounts[names.index(name)]
    role = middle.selectbox("Role", ROLES, index=ROLES.index(account.role), key=f"admin.role-{name}")
    middle.button(
        "Set role", on_click=act, args=(lambda: f"{name} is now {workspace.set_role(user, name, role).role}",)
    )
    level = clear.selectbox(
        "Clearance", LEVELS, index=LEVELS.index(account.clearance or "internal"), key=f"admin.clearance-{name}"
    )
    clear.button(
        "Set clearance",
        on_click=act,
        args=(lambda: f"{name} reads up to {workspace.set_clearance(user, name, level).clearance}",),
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
                st.success(f"one-time password of {name} set; their sessions are ended and they set their own next")


def audit() -> None:
    st.subheader("Audit log")
    check = workspace.verify_audit(user)
    (st.error if not check.ok else st.warning if check.unanchored else st.success)(check.describe())
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
    pd.DataFrame(
        {
            "Name": a.name,
            "Role": a.role.value,
            "Clearance": a.clearance,
            "Active": a.active,
            "Must change password": a.must_change_password,
            "Created": a.created_at,
        }
        for a in accounts
    ),
    hide_index=True,
    width="stretch",
)
add_user_form()
change_user(accounts)
audit()
