"""Streamlit pages run (AppTest) against a real index: chat answers with citations, drafting, the knowledge page."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.api import Assistant
from assistant.retrieval.index import KnowledgeIndex
from tests.conftest import make_settings

UI = Path(__file__).resolve().parent.parent / "ui"
EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"


@pytest.fixture
def home(tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "grinding.md").write_text(
        "# Grinding\n\n## 4 Accuracy\n4.1 Finish cylindrical grinding reaches IT6 and "
        "Ra 0.4 µm on hardened steel journals.\n"
    )
    home = tmp_path / "home"
    KnowledgeIndex(make_settings(home), embeddings).ingest([docs])
    monkeypatch.setenv("PREPRO_HOME", str(home))
    monkeypatch.syspath_prepend(str(UI))  # pages import ui/shared.py, as `streamlit run ui/app.py` lets them
    st.cache_resource.clear()  # the cached Assistant must see this test's PREPRO_HOME
    return home


def test_chat_page_answers_with_citations(home: Path) -> None:
    app = AppTest.from_file(str(UI / "app.py"), default_timeout=120)
    app.run()
    assert not app.exception
    app.chat_input[0].set_value("What accuracy does finish cylindrical grinding reach?").run()
    assert not app.exception
    texts = [m.value for m in app.markdown]
    assert any("4.1 Finish cylindrical grinding reaches IT6" in t for t in texts)
    assert any("grinding.md §4.1" in c.value for c in app.caption)


def test_draft_page_drafts_the_example(home: Path) -> None:
    app = AppTest.from_file(str(UI / "pages" / "1_Draft_routing.py"), default_timeout=120)
    app.run()
    app.text_area[0].set_value(EXAMPLE.read_text()).run()
    app.button[0].click().run()
    assert not app.exception
    assert "SH-001 — drafted by offline" in [s.value for s in app.subheader]
    expected = Assistant(make_settings(home)).draft("routing", EXAMPLE)
    assert list(app.dataframe[0].value["No"]) == [op.number for op in expected.operations]


def test_knowledge_page_lists_and_searches(home: Path) -> None:
    app = AppTest.from_file(str(UI / "pages" / "2_Knowledge_base.py"), default_timeout=120)
    app.run()
    assert not app.exception
    assert "Indexed: 1 documents" in app.subheader[0].value
    app.text_input[1].set_value("finish grinding accuracy").run()
    assert any("grinding.md §4.1" in m.value for m in app.markdown)
