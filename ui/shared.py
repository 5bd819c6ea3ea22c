"""What every page shares: one cached Assistant, the login every page requires, and how outcomes are shown.

Controls a role may not use are not drawn, but the API decides: every action names the logged-in user and a
refusal (PermissionDenied) is shown as an error like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from assistant.api import (
    PERMISSIONS,
    Action,
    Assistant,
    AuthenticationError,
    Finding,
    PreproError,
    User,
)

TOKEN = "session_token"
COOKIE = "prepro_session"  # the session token kept in the browser, so that a reload stays signed in
COOKIE_SET = "cookie_set"  # this browser session wrote the cookie of its token
USER = "user"  # the User app.py authenticated in this run
NOTICE = "notice"  # (kind, text) an action run in a callback leaves for the next run to show


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


def can(user: User, action: str) -> bool:
    """Whether the user's role has a permission (to decide which controls to draw; the API checks again)."""
    return user.role in PERMISSIONS[Action(action)]


def allowed_levels(user: User) -> frozenset[Any]:
    """The document access levels the user's clearance reads (passed to search, ask and citations)."""
    return user.readable


@contextmanager
def reported() -> Iterator[None]:
    """Show our errors (wrong input, refused permission, a conflict) in red instead of a traceback."""
    try:
        yield
    except PreproError as exc:
        st.error(str(exc))


def act(action: Callable[[], str]) -> None:
    """Run an action in a widget callback; its outcome (or error) is shown at the top of the next run."""
    try:
        st.session_state[NOTICE] = ("success", action())
    except PreproError as exc:
        st.session_state[NOTICE] = ("error", str(exc))


def show_notice() -> None:
    """The outcome of the last action, once."""
    kind, text = st.session_state.pop(NOTICE, (None, ""))
    if kind == "error":
        st.error(text)
    elif kind == "success":
        st.success(text)


def _first_start() -> None:
    """Create the first admin on a database without accounts; a generated password is shown once."""
    try:
        made = get_assistant().workspace.first_admin()
    except PreproError as exc:
        st.error(str(exc))
        st.stop()
    if made is not None and made.password:
        st.session_state["one_time_password"] = (made.name, made.password)
    if "one_time_password" in st.session_state:
        name, password = st.session_state["one_time_password"]
        st.warning(
            f"First start: the account **{name}** was made with the one-time password `{password}`. "
            "It is shown only now: log in with it, and you will be asked to set your own password at once."
        )


def _login_form() -> None:
    st.title("prepro — log in")
    _first_start()
    with st.form("login"):
        name = st.text_input("User name")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Log in", type="primary")
    if submitted:
        try:
            session = get_assistant().workspace.login(name.strip(), password)
        except AuthenticationError as exc:
            st.error(str(exc))
            return
        st.session_state[TOKEN] = session.token
        st.session_state.pop("one_time_password", None)
        st.rerun()


def _write_cookie(token: str, keep: bool = True) -> None:
    """Keep the session token in a cookie of this site until the browser closes (`keep=False` deletes it); a
    reload sends it back.

    Streamlit reads cookies (st.context.cookies) but cannot set them, so a zero-height frame of this page's own
    origin sets it. The token is random (256 bits) and only its hash is stored: it is worth nothing once the
    session expires or is logged out."""
    lasts = "" if keep else " max-age=0;"
    components.html(
        f"<script>parent.document.cookie = '{COOKIE}={token}; path=/;{lasts} SameSite=Strict';</script>", height=0
    )


def _browser_cookie() -> str | None:
    """The session cookie the browser sent when this page was loaded (none in a test without a browser)."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and value else None


def _cookie_token() -> str | None:
    """The session token the browser sent when this page was loaded, unless this session logged out since."""
    return None if st.session_state.get(COOKIE_SET) == "" else _browser_cookie()


def current_user() -> User | None:
    """The user of this browser session's token (or of the cookie a reload brought back), checked again on every
    run (expired, logged out or disabled: none)."""
    token = st.session_state.get(TOKEN) or _cookie_token()
    if not token:
        st.session_state.pop(USER, None)
        return None
    try:
        user = get_assistant().workspace.authenticate(token)
    except AuthenticationError as exc:
        if st.session_state.pop(TOKEN, None):
            st.error(str(exc))
        st.session_state.pop(USER, None)
        st.session_state[COOKIE_SET] = ""  # a stale cookie: dropped, and deleted below
        return None
    st.session_state[TOKEN] = token
    return user


def _logout() -> None:
    get_assistant().workspace.logout(st.session_state.pop(TOKEN, ""))
    for key in (USER, "conversation", "cited", "drafted"):
        st.session_state.pop(key, None)
    st.session_state[COOKIE_SET] = ""  # the login form deletes the cookie


def _own_password(user: User) -> None:
    with st.sidebar.expander("Change my password"), st.form("own-password", clear_on_submit=True):
        current = st.text_input("Current password", type="password")
        new = st.text_input("New password", type="password")
        again = st.text_input("New password again", type="password")
        if st.form_submit_button("Set password"):
            if new != again:
                st.error("the new passwords differ; type the same one twice")
                return
            with reported():
                get_assistant().workspace.set_password(user, user.name, new, current=current)
                st.session_state.pop(TOKEN, None)  # a new password ends the sessions: log in again
                st.rerun()


def _set_own_password(user: User) -> None:
    """The one-time password's replacement, before anything else (the API refuses every action until then)."""
    st.title("prepro — set your password")
    st.warning(f"**{user.name}**, you logged in with a one-time password: choose your own to go on.")
    with st.form("first-password"):
        current = st.text_input("One-time password", type="password")
        new = st.text_input("New password", type="password", help="at least 8 characters")
        again = st.text_input("New password again", type="password")
        submitted = st.form_submit_button("Set password", type="primary")
    if not submitted:
        return
    if new != again:
        st.error("the new passwords differ; type the same one twice")
        return
    with reported():
        get_assistant().workspace.set_password(user, user.name, new, current=current)
        st.session_state[TOKEN] = get_assistant().workspace.login(user.name, new).token
        st.rerun()


def require_login() -> User:
    """The logged-in user (kept for the page this run shows); otherwise the login form, and the run stops there.
    A user with a one-time password sets their own first."""
    user = current_user()
    if user is None:
        if st.session_state.get(COOKIE_SET) == "" and _browser_cookie():
            _write_cookie("", keep=False)
        _login_form()
        st.stop()
    assert user is not None  # st.stop() ends the run
    token = st.session_state[TOKEN]
    if st.session_state.get(COOKIE_SET) != token and _browser_cookie() != token:
        _write_cookie(token)
    st.session_state[COOKIE_SET] = token
    if user.must_change_password:
        _set_own_password(user)
        st.stop()
    st.session_state[USER] = user
    st.sidebar.markdown(f"Signed in as **{user.name}** ({user.role})")
    st.sidebar.button("Log out", on_click=_logout)
    _own_password(user)
    return user


def logged_in() -> User:
    """The user app.py authenticated in this run (a page run on its own asks for the login itself)."""
    user = st.session_state.get(USER)
    return user if isinstance(user, User) else require_login()


def findings_banner(findings: list[Finding], where: Callable[[Finding], str] = lambda f: "") -> None:
    """Findings, errors first: errors in red, warnings in yellow, the rest folded away."""
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    others = [f for f in findings if f.severity not in {"error", "warning"}]
    if not findings:
        st.success("The checks find nothing to fix.")
    for finding in errors:
        st.error(f"{where(finding)}**{finding.rule}**: {finding.message}")
    for finding in warnings:
        st.warning(f"{where(finding)}**{finding.rule}**: {finding.message}")
    if others:
        with st.expander(f"{len(others)} notes"):
            for finding in others:
                st.markdown(f"- {where(finding)}**{finding.rule}**: {finding.message}")
