"""The review workspace through its Streamlit pages (AppTest against a real index and real accounts): logins,
chat with citations that open the cited page, documents by role, drafting SH-001 into review, editing with
re-checks, decisions by role, exports recorded in the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.docfiles import make_pdf
from tests.uiapp import PASSWORD, Home, button, make_home, page, texts

SH_001 = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"


@pytest.fixture
def home(tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch) -> Home:
    return make_home(tmp_path, embeddings, monkeypatch)


def login(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input[0].set_value(name)
    app.text_input[1].set_value(password)
    return app.button[0].click().run()


def test_login_with_the_right_password_and_not_with_a_wrong_one(home: Home) -> None:
    app = page("pages/0_Chat.py")
    assert app.title[0].value == "prepro — log in"
    login(app, "eng", "not-the-password")
    assert texts(app, "error") == ["wrong user name or password"]
    login(app, "eng", PASSWORD)
    assert not app.exception
    assert "Signed in as **eng** (engineer)" in texts(app.sidebar, "markdown")
    button(app, "Log out").click().run()
    assert app.title[0].value == "prepro — log in"


def test_the_first_start_shows_the_generated_password_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREPRO_HOME", str(tmp_path / "fresh"))
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "ui"))
    import streamlit as st

    st.cache_resource.clear()
    app = page("pages/0_Chat.py")
    shown = [w for w in texts(app, "warning") if "one-time password" in w]
    assert len(shown) == 1
    password = shown[0].split("`")[1]
    login(app, "admin", password)
    assert app.title[0].value == "prepro — set your password"  # nothing else until the one-time one is replaced
    assert not app.sidebar.button
    app.text_input[0].set_value(password)
    app.text_input[1].set_value("my own admin password")
    app.text_input[2].set_value("my own admin password")
    app.button[0].click().run()
    assert not app.exception and not texts(app, "error"), texts(app, "error")
    assert "Signed in as **admin** (admin)" in texts(app.sidebar, "markdown")
    assert not [
        w for w in texts(page("pages/0_Chat.py"), "warning") if "one-time password" in w
    ]  # a new session: not again


def test_a_citation_opens_the_pdf_page_with_the_passage_highlighted(home: Home) -> None:
    app = page("pages/0_Chat.py", home.token("eng"))
    app.chat_input[0].set_value("What roughness does fine turning of steel reach?").run()
    assert not app.exception
    assert any("5.2 Fine turning of steel reaches Ra 1.6" in m for m in texts(app, "markdown"))
    cite = next(b for b in app.button if b.label.startswith("[1] turning.pdf"))
    assert ", p. 2" in cite.label
    cite.click().run()
    assert not app.exception
    excerpt, whole = app.image  # the band around the passage, and the whole page folded away
    assert "turning.pdf, page 2:" in excerpt.captions[0] and "0 words" not in excerpt.captions[0]
    assert app.sidebar.button  # the conversation is listed for this user
    assert any(b.label.startswith("What roughness") for b in app.sidebar.button)


def test_a_markdown_citation_shows_the_passage_in_its_document(home: Home) -> None:
    app = page("pages/0_Chat.py", home.token("eng"))
    app.chat_input[0].set_value("What accuracy does finish cylindrical grinding reach?").run()
    next(b for b in app.button if b.label.startswith("[1] grinding.md")).click().run()
    assert not app.exception
    assert "4.1 Finish cylindrical grinding reaches IT6" in " ".join(texts(app, "markdown"))
    assert any("## 4 Accuracy" in c for c in texts(app, "caption"))  # the text before the passage


def test_an_admin_uploads_a_pdf_and_an_engineer_only_reads(home: Home, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "milling.pdf", [["7.1 Face milling reaches Ra 3.2 µm on cast iron."]])
    app = page("pages/3_Knowledge_base.py", home.token("admin"))
    app.file_uploader[0].set_value(("milling.pdf", pdf.read_bytes(), "application/pdf"))
    app.text_input(key="upload.revision").set_value("MIL-7")
    app.button[0].click().run()  # the form's Index button
    assert not app.exception
    assert not texts(app, "error")
    assert any("1 added" in s for s in texts(app, "success"))
    table = app.dataframe[0].value
    row = table[table["Document"] == "milling.pdf"].iloc[0]
    assert (row["Pages"], row["Revision"], row["Access"]) == (1, "MIL-7", "internal")
    assert not page("pages/3_Knowledge_base.py", home.token("eng")).file_uploader  # read-only for engineers


def test_an_upload_over_the_limits_is_an_error_in_red(home: Home) -> None:
    app = page("pages/3_Knowledge_base.py", home.token("admin"))
    app.file_uploader[0].set_value(("empty.pdf", b"   ", "application/pdf"))
    app.button[0].click().run()
    assert texts(app, "error") == ["empty.pdf is empty"]
    assert not app.success


def test_a_restricted_document_is_invisible_to_an_engineer(home: Home) -> None:
    engineer = page("pages/3_Knowledge_base.py", home.token("eng"))
    assert "pricing.md" not in list(engineer.dataframe[0].value["Document"])
    engineer.text_input(key="search").set_value("negotiated price of bar stock").run()
    assert not any("pricing.md" in m for m in texts(engineer, "markdown"))
    assert any("No good match" in i for i in texts(engineer, "info"))
    admin = page("pages/3_Knowledge_base.py", home.token("admin"))
    admin.text_input(key="search").set_value("negotiated price of bar stock").run()
    assert any("pricing.md" in m for m in texts(admin, "markdown"))


def draft_sample(app: AppTest) -> AppTest:
    """Load SH-001 into the routing form and draft it."""
    assert app.selectbox(key="stage").value == "routing"
    app.selectbox(key="sample-routing").set_value("SH-001")
    button(app, "Load the sample").click().run()
    assert app.text_input(key="part.id").value == "SH-001"
    return button(app, "Draft").click().run()


def test_drafting_sh001_from_the_form_puts_it_into_review(home: Home) -> None:
    app = draft_sample(page("pages/1_Draft.py", home.token("tech")))
    assert not app.exception and not texts(app, "error")
    expected = home.assistant.draft("routing", SH_001)
    assert list(app.dataframe[-1].value["No"]) == [op.number for op in expected.operations]
    app.text_input(key="part.hardness").set_value("HRC 30..35").run()
    assert any("stale" in w for w in texts(app, "warning"))  # a changed input marks the draft stale
    app.text_input(key="part.hardness").set_value("HRC 40..45").run()
    button(app, "Save as a version and review it").click().run()
    assert not app.exception
    assert app.header[0].value == "routing/SH-001 — version 1, draft"


def test_a_part_file_fills_the_form_and_words_need_an_llm(home: Home) -> None:
    app = page("pages/1_Draft.py", home.token("tech"))
    app.file_uploader(key="upload-routing").set_value(("SH-001.yaml", SH_001.read_bytes(), "application/yaml")).run()
    button(app, "Load the file").click().run()
    assert app.text_input(key="part.id").value == "SH-001"
    assert len(app.data_editor[0].value) == 7  # the feature table
    app.text_area(key="part.description").set_value("A shaft 40 mm by 240 mm of steel 45").run()
    button(app, "Read it into the form").click().run()
    assert any("needs an LLM" in e for e in texts(app, "error"))


def test_a_failed_draft_clears_the_old_result(home: Home) -> None:
    app = draft_sample(page("pages/1_Draft.py", home.token("tech")))
    assert app.subheader
    app.text_input(key="part.hardness").set_value("soft").run()
    button(app, "Draft").click().run()
    assert texts(app, "error")
    assert not [s for s in texts(app, "subheader") if s.startswith("The draft")]


def saved_sh001(home: Home) -> int:
    """SH-001's routing draft saved by the technologist (version 1); its draft id."""
    workspace = home.assistant.workspace
    engineer = workspace.authenticate(home.token("tech"))
    made = home.assistant.draft("routing", SH_001)
    return workspace.save_version(engineer, "routing", made, SH_001).draft_id


def edit_rows(app: AppTest, draft_id: int, edits: dict) -> AppTest:
    """Seed the review table's edit state (AppTest cannot type into a data editor) and run."""
    state = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edits}
    app.session_state[f"rows-{draft_id}-1"] = state
    return app.run()


def test_an_edit_is_rechecked_and_saved_as_a_new_version(home: Home) -> None:
    draft_id = saved_sh001(home)
    app = page("pages/2_Review.py", home.token("tech"))
    assert not texts(app, "error")
    edit_rows(app, draft_id, {"edited_rows": {0: {"Setup time, min": -5.0}}})
    assert not app.exception
    assert any("time-not-positive" in e for e in texts(app, "error"))
    app.text_input(key=f"note-{draft_id}-1").set_value("setup time of 005")
    button(app, "Save as version 2").click().run()
    assert any("saved version 2" in s for s in texts(app, "success"))
    assert app.header[0].value == "routing/SH-001 — version 2, draft"
    assert any("setup_time_min" in m and "-5" in m for m in texts(app, "markdown"))  # the diff of 1 → 2


def test_removing_an_operation_brings_a_finding(home: Home) -> None:
    draft_id = saved_sh001(home)
    app = page("pages/2_Review.py", home.token("tech"))
    last = len(app.data_editor[0].value) - 1  # the final inspection
    edit_rows(app, draft_id, {"deleted_rows": [last]})
    assert any("missing-final-inspection" in e for e in texts(app, "error"))


def test_a_reviewer_approves_and_an_engineer_is_refused(home: Home) -> None:
    draft_id = saved_sh001(home)
    engineer = page("pages/2_Review.py", home.token("tech"))
    assert not [b for b in engineer.button if b.label == "Approve"]  # not drawn for authors
    button(engineer, "Submit version 1 for review").click().run()
    assert any("up for review" in s for s in texts(engineer, "success"))
    reviewer = page("pages/2_Review.py", home.token("rev"))
    workspace = home.assistant.workspace
    workspace.set_role(workspace.authenticate(home.token("admin")), "rev", "engineer")  # demoted while reading
    button(reviewer, "Approve").click().run()
    assert any("may not approve" in e for e in texts(reviewer, "error"))
    workspace.set_role(workspace.authenticate(home.token("admin")), "rev", "reviewer")
    reviewer = page("pages/2_Review.py", home.token("rev"))
    reviewer.text_area(key=f"comment-{draft_id}").set_value("checked against the drawing")
    button(reviewer, "Approve").click().run()
    assert any("approve: version 1" in s for s in texts(reviewer, "success"))
    assert reviewer.header[0].value == "routing/SH-001 — version 1, approved"


def test_approving_a_draft_with_errors_needs_a_confirmation(home: Home) -> None:
    draft_id = saved_sh001(home)
    workspace = home.assistant.workspace
    engineer = workspace.authenticate(home.token("tech"))
    content = workspace.version(engineer, draft_id).content
    content["operations"][0]["piece_time_min"] = -1
    workspace.save_version(engineer, "routing", content, SH_001, expected_version=1)
    reviewer = page("pages/2_Review.py", home.token("rev"))
    button(reviewer, "Approve").click().run()
    assert any("error finding" in e and "force" in e for e in texts(reviewer, "error"))
    reviewer.checkbox(key=f"force-{draft_id}-2").check().run()
    button(reviewer, "Approve").click().run()
    assert reviewer.header[0].value == "routing/SH-001 — version 2, approved"


def test_an_export_is_confirmed_when_it_has_errors_and_recorded(home: Home) -> None:
    draft_id = saved_sh001(home)
    workspace = home.assistant.workspace
    engineer = workspace.authenticate(home.token("tech"))
    content = workspace.version(engineer, draft_id).content
    content["operations"][0]["piece_time_min"] = -1
    workspace.save_version(engineer, "routing", content, SH_001, expected_version=1)
    app = page("pages/2_Review.py", home.token("tech"))
    app.selectbox(key=f"ex-f-{draft_id}").set_value("xlsx").run()
    assert button(app, "Prepare the file").disabled  # version 2 has an error: asks first
    app.checkbox(key=f"ex-ok-{draft_id}").check().run()
    button(app, "Prepare the file").click().run()
    (download,) = app.download_button
    assert download.label == "Download SH-001.xlsx"
    download.click().run()
    log = workspace.audit_log(workspace.authenticate(home.token("admin")))
    assert [(r.user_name, r.action, r.version, r.detail) for r in log if r.action in {"export", "download"}] == [
        ("tech", "export", 2, "xlsx"),
        ("tech", "download", 2, "xlsx"),
    ]


def test_the_admin_page_manages_accounts_and_verifies_the_log(home: Home) -> None:
    app = page("pages/4_Admin.py", home.token("admin"))
    assert not app.exception
    assert any("audit log intact" in s for s in texts(app, "success"))
    assert set(app.dataframe[0].value["Name"]) == {"admin", "eng", "tech", "rev"}
    app.text_input(key="admin.new-name").set_value("new.engineer")
    app.text_input(key="admin.new-password").set_value("long-enough-1")
    button(app, "Add").click().run()
    assert any("added new.engineer (engineer, reads up to internal)" in s for s in texts(app, "success"))


def test_an_approved_draft_lists_its_sources_at_the_approved_revision(home: Home) -> None:
    workspace = home.assistant.workspace
    content = home.assistant.draft("routing", SH_001).model_dump(mode="json")
    content["sources"] = [*content["sources"], {"doc": "grinding.md", "section": "4.1", "page": None}]
    technologist = workspace.authenticate(home.token("tech"))
    draft_id = workspace.save_version(technologist, "routing", content, SH_001).draft_id
    workspace.approve(workspace.authenticate(home.token("rev")), draft_id, 1, force=True)
    app = page("pages/2_Review.py", home.token("eng"))
    assert "Sources as approved (version 1)" in texts(app, "subheader")
    assert any(m.startswith("**grinding.md** §4.1 — revision") and "(current)" in m for m in texts(app, "markdown"))
    button_for = next(b for b in app.button if b.key == f"approved-{draft_id}-grinding.md")
    button_for.click().run()
    assert any("4.1 Finish cylindrical grinding reaches IT6" in m for m in texts(app, "markdown"))
