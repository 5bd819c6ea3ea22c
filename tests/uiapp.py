"""What the UI tests share: a home with a real small index and accounts, and driving pages with AppTest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.api import LOCAL_USER, Assistant
from assistant.retrieval.index import KnowledgeIndex
from tests.conftest import make_settings
from tests.docfiles import make_pdf

UI = Path(__file__).resolve().parent.parent / "ui"
ADMIN_PASSWORD = "admin-pass-1"
PASSWORD = "password-1"  # every other account's
TOKEN = "session_token"  # ui/shared.py keeps the session token under this key
GRINDING = (
    "# Grinding\n\n## 4 Accuracy\n4.1 Finish cylindrical grinding reaches IT6 and "
    "Ra 0.4 µm on hardened steel journals.\n"
)
TURNING_PAGE = [
    "Turning of shafts",
    "5.2 Fine turning of steel reaches Ra 1.6 µm with a sharp carbide insert",
    "at a feed of 0.1 mm/rev and a cutting speed of 180 m/min.",
]
SECRET = "# Pricing\n\n## 1 Supplier prices\n1.1 The negotiated price of bar stock is confidential.\n"


@dataclass
class Home:
    """A PREPRO_HOME with three documents indexed (one restricted), its Assistant, and logins by name."""

    path: Path
    assistant: Assistant

    def token(self, name: str) -> str:
        """A session token of the account (as the login form would keep it)."""
        password = ADMIN_PASSWORD if name == "admin" else PASSWORD
        return self.assistant.workspace.login(name, password).token


def make_home(tmp_path: Path, embeddings: object, monkeypatch: pytest.MonkeyPatch) -> Home:
    """Index a Markdown file, a PDF (two pages) and a restricted Markdown file; make admin, eng, tech and rev."""
    docs, secret = tmp_path / "docs", tmp_path / "secret"
    docs.mkdir()
    secret.mkdir()
    (docs / "grinding.md").write_text(GRINDING)
    make_pdf(docs / "turning.pdf", [["Contents", "1 Scope of the standard"], TURNING_PAGE], cover="Turning")
    (secret / "pricing.md").write_text(SECRET)
    home = tmp_path / "home"
    settings = make_settings(home)
    index = KnowledgeIndex(settings, embeddings)  # type: ignore[arg-type]
    index.ingest([docs])
    index.ingest([secret], access="restricted")
    monkeypatch.setenv("PREPRO_HOME", str(home))
    monkeypatch.setenv("PREPRO_ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.syspath_prepend(str(UI))  # pages import ui/shared.py, as `streamlit run ui/app.py` lets them
    st.cache_resource.clear()  # the cached Assistant must see this test's PREPRO_HOME
    helper = Assistant(make_settings(home, admin_password=ADMIN_PASSWORD))
    workspace = helper.workspace
    workspace.first_admin()
    for name, role in (("eng", "engineer"), ("tech", "technologist"), ("rev", "reviewer")):
        workspace.add_user(LOCAL_USER, name, role, PASSWORD)
    return Home(home, helper)


def page(name: str, token: str | None = None) -> AppTest:
    """The app (ui/app.py) at one page (`pages/2_Review.py`; `pages/0_Chat.py` is the first), run once, logged in
    with `token` if given."""
    app = AppTest.from_file(str(UI / "app.py"), default_timeout=120)
    if token:
        app.session_state[TOKEN] = token
    app.run()  # st.navigation registers the pages the user's role sees
    if token and name != "pages/0_Chat.py":
        app.switch_page(name).run()
    return app


def button(app: AppTest, label: str) -> object:
    """The button with this label (the first, if several)."""
    found = [b for b in app.button if b.label == label]
    assert found, f"no button '{label}' among {[b.label for b in app.button]}"
    return found[0]


def texts(app: AppTest, kind: str) -> list[str]:
    """The values of every element of a kind (`error`, `success`, `markdown`, `caption` ...)."""
    return [e.value for e in getattr(app, kind)]
