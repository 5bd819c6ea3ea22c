"""Every Streamlit page runs (AppTest) for every role against a real index; chat, search and each stage's draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.uiapp import Home, button, make_home, page, texts

PAGES = [
    "pages/0_Chat.py",
    "pages/1_Draft.py",
    "pages/2_Review.py",
    "pages/3_Knowledge_base.py",
    "pages/4_Admin.py",
    "pages/5_Evals.py",
]


@pytest.fixture
def home(tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch) -> Home:
    return make_home(tmp_path, embeddings, monkeypatch)


@pytest.mark.parametrize("user", ["admin", "eng", "tech", "rev"])
def test_every_page_runs_for_every_role(home: Home, user: str) -> None:
    token = home.token(user)
    for name in PAGES if user == "admin" else [p for p in PAGES if "Admin" not in p]:
        app = page(name, token)
        assert not app.exception, (name, app.exception)
        assert app.title[0].value != "prepro — log in", name


def test_the_admin_page_is_listed_for_admins_only(home: Home) -> None:
    with pytest.raises(ValueError, match="4_Admin"):
        page("pages/4_Admin.py", home.token("eng"))
    assert not page("pages/4_Admin.py", home.token("admin")).exception


def test_the_app_asks_for_a_login_first(home: Home) -> None:
    app = page("pages/2_Review.py")
    assert app.title[0].value == "prepro — log in"
    assert [w.label for w in app.text_input] == ["User name", "Password"]
    assert not app.dataframe


def test_chat_page_answers_with_citations(home: Home) -> None:
    app = page("pages/0_Chat.py", home.token("tech"))
    app.chat_input[0].set_value("What accuracy does finish cylindrical grinding reach?").run()
    assert not app.exception
    assert any("4.1 Finish cylindrical grinding reaches IT6" in t for t in texts(app, "markdown"))
    assert any(b.label.startswith("[1] grinding.md §4.1") for b in app.button)
    assert any(" tokens" in c for c in texts(app, "caption"))  # provider and token usage
    app.chat_input[0].set_value("And which roughness?").run()  # a follow-up in the same conversation
    assert len([b for b in app.sidebar.button if "accuracy" in b.label]) == 1  # still one conversation


def test_knowledge_page_lists_and_searches(home: Home) -> None:
    app = page("pages/3_Knowledge_base.py", home.token("eng"))
    assert "Indexed: 2 documents" in app.subheader[0].value
    table = app.dataframe[0].value
    assert list(table.columns[:4]) == ["Document", "Title", "Kind", "Access"]
    assert table.set_index("Document").loc["turning.pdf", "Pages"] == 2
    app.text_input(key="search").set_value("finish grinding accuracy").run()
    assert any("grinding.md §4.1" in m for m in texts(app, "markdown"))


@pytest.mark.parametrize(("stage", "subject"), [("design", "SH-001"), ("organization", "LINE-01"), ("research", None)])
def test_draft_page_drafts_each_stage(home: Home, stage: str, subject: str | None) -> None:
    app = page("pages/1_Draft.py", home.token("tech" if stage == "organization" else "eng"))
    assert [o.split(" — ")[0] for o in app.selectbox(key="stage").options] == (
        ["routing", "organization"] if stage == "organization" else ["design", "research"]
    )  # an author is offered the stages of their role
    app.selectbox(key="stage").set_value(stage).run()
    if subject:
        app.selectbox(key=f"sample-{stage}").set_value(subject)
        button(app, "Load the sample").click().run()
    else:
        app.text_area(key="research.text").set_value("Output shaft for a 5 kW reducer, 1450 rpm, 3000 a year").run()
    button(app, "Draft").click().run()
    assert not app.exception
    assert not texts(app, "error"), texts(app, "error")
    assert any(s.startswith("The draft — by offline") for s in texts(app, "subheader"))
