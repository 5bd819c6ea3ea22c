"""The relevance floor: gibberish finds nothing, real questions keep their passages, the setting turns it off."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.api import Assistant
from assistant.cli import app
from assistant.cli import knowledge as knowledge_cli
from assistant.retrieval.fusion import relevance
from tests.conftest import make_settings

TURNING = """# Turning accuracy

## 3 Turning
3.1 Rough turning of steel reaches IT12 and Ra 12.5 µm.
3.2 Fine turning of aluminium reaches IT6 and Ra 0.4 µm with diamond tools.

## 4 Grinding
4.1 Finish cylindrical grinding reaches IT6 and Ra 0.4 µm on hardened steel journals.
"""

KEYS = """# Keys

## 3 Key sizes
3.1 A shaft of 44 to 50 mm diameter takes a 14 x 9 parallel key.
3.2 A shaft of 30 to 38 mm diameter takes a 10 x 8 parallel key.
"""

GIBBERISH = ["xqzv plorb frindle", "blorf snargle wibble", "qwertyuiop", "glarp the snorfing wizzle"]
REAL = ["What Ra does finish grinding reach on hardened journals?", "key for a 45 mm shaft", "IT12"]


@pytest.fixture
def helper(tmp_path: Path, embeddings) -> Assistant:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "turning.md").write_text(TURNING)
    (docs / "keys.md").write_text(KEYS)
    assistant = Assistant(make_settings(tmp_path / "home"))
    assistant.index._embeddings = embeddings
    assistant.ingest([docs])
    return assistant


def test_relevance_weighs_the_two_sides_as_the_fusion_does() -> None:
    assert relevance(0.6, 1.0, 0.5) == pytest.approx((0.3 + 1.0) / 1.5)
    assert relevance(0.3, 0.0, 0.5) == pytest.approx(0.1)  # no query term in the index: never above 1/3
    assert relevance(-0.2, 0.5, 0.0) == pytest.approx(0.5)  # dense weight 0: the keyword side alone


def test_gibberish_finds_nothing_and_real_questions_keep_their_passages(helper: Assistant) -> None:
    assert helper.settings.min_relevance == 0.4
    for query in GIBBERISH:
        assert helper.search(query, k=5) == [], query
        assert helper.index.search(query, k=5, min_relevance=0.0), "without the floor the nearest chunks come back"
    for query in REAL:
        assert helper.search(query, k=5), query
    assert helper.search("key for a 45 mm shaft", k=1)[0].section == "3.1"


def test_the_floor_is_a_setting_and_zero_turns_it_off(tmp_path: Path, embeddings, monkeypatch) -> None:
    monkeypatch.setenv("PREPRO_MIN_RELEVANCE", "0")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "keys.md").write_text(KEYS)
    open_floor = Assistant()
    open_floor.index._embeddings = embeddings
    open_floor.ingest([docs])
    assert open_floor.settings.min_relevance == 0.0
    assert open_floor.search("xqzv plorb frindle", k=2)


def test_a_chat_on_gibberish_answers_that_the_documents_do_not(helper: Assistant) -> None:
    answer = helper.ask("xqzv plorb frindle?")
    assert not answer.grounded and answer.citations == []


def test_cli_search_says_there_is_no_good_match(helper: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge_cli, "assistant", lambda: helper)
    result = CliRunner().invoke(app, ["search", "xqzv plorb frindle"])
    assert result.exit_code == 0 and "no good match in the knowledge base" in result.output
    assert CliRunner().invoke(app, ["search", "xqzv plorb frindle", "--format", "json"]).output.strip() == "[]"
