"""Access levels on a real index: a restricted document never reaches a reader without the level, in any path."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.api import LOCAL_USER, Assistant
from assistant.cli import app
from assistant.cli import knowledge as knowledge_cli
from assistant.context import DraftContext
from assistant.errors import AuthenticationError, InputError, PermissionDenied
from assistant.retrieval import vectors
from assistant.retrieval.access import (
    DEFAULT_CLEARANCE,
    AccessLevel,
    access_level,
    chroma_filter,
    default_clearance,
    permits,
    readable_up_to,
)
from assistant.retrieval.index import KnowledgeIndex
from assistant.store import documents, meta
from tests.conftest import make_settings

TURNING = """# Turning accuracy

## 3 Turning
3.1 Rough turning of steel reaches IT12 and Ra 12.5 µm.
3.2 Fine boring of a steel housing bore reaches IT7 and Ra 0.8 µm.
"""

CATALOGUE = """# Tool catalogue

## 1 Boring bars
1.1 Boring bars with a carbide head bore steel housings from 40 mm diameter.
"""

FALCON = """# Project Falcon gearbox

## 1 Housing
1.1 The Falcon gearbox housing bore is finished to H6 and Ra 0.2 µm by fine boring on the Hermle C42 cell.
1.2 Falcon bearing seats are measured on the Zeiss Contura after each shift.
"""

EXAMPLE_PART = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"
STAFF = readable_up_to(default_clearance("engineer"))
ADMIN = readable_up_to(default_clearance("admin"))
QUESTION = "What finish does the Falcon gearbox housing bore get by fine boring on the Hermle cell?"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "turning.md").write_text(TURNING)
    (folder / "catalogue.md").write_text(CATALOGUE)
    (folder / "falcon.md").write_text(FALCON)
    return folder


@pytest.fixture
def helper(tmp_path: Path, embeddings, docs: Path) -> Assistant:
    assistant = Assistant(make_settings(tmp_path / "home"))
    assistant.index._embeddings = embeddings
    assistant.ingest([docs / "turning.md"])
    assistant.ingest([docs / "catalogue.md"], access="public")
    assistant.ingest([docs / "falcon.md"], access="restricted")
    return assistant


def _docs(passages: list) -> set[str]:
    return {p.doc for p in passages}


# ---- the levels and the roles ------------------------------------------------------------------------


def test_staff_read_up_to_internal_and_admins_everything_by_default() -> None:
    staff = frozenset({AccessLevel.PUBLIC, AccessLevel.INTERNAL})
    assert {role: readable_up_to(default_clearance(role)) for role in ("engineer", "technologist", "reviewer")} == (
        dict.fromkeys(("engineer", "technologist", "reviewer"), staff)
    )
    assert readable_up_to(default_clearance("admin")) == frozenset(AccessLevel)
    assert set(DEFAULT_CLEARANCE) == {"engineer", "technologist", "reviewer", "admin"}


def test_a_clearance_reads_its_level_and_every_less_confidential_one() -> None:
    assert readable_up_to("public") == {AccessLevel.PUBLIC}
    assert readable_up_to(AccessLevel.INTERNAL) == {AccessLevel.PUBLIC, AccessLevel.INTERNAL}
    assert readable_up_to("Restricted") == set(AccessLevel)


def test_unknown_role_and_level_name_the_valid_ones() -> None:
    with pytest.raises(InputError, match=r"unknown role 'guest' \(choose from: engineer, technologist"):
        default_clearance("guest")
    with pytest.raises(InputError, match=r"unknown access level 'secret' \(choose from: public, internal, restricted"):
        access_level("secret")
    assert access_level(" Restricted ") is AccessLevel.RESTRICTED


def test_permits_and_the_chroma_filter() -> None:
    assert permits(None, "restricted") and permits(STAFF, "internal") and not permits(STAFF, "restricted")
    assert chroma_filter(None) is None
    assert chroma_filter(STAFF) == {"access": {"$in": ["internal", "public"]}}


# ---- search, chat, stages and sources on a real index --------------------------------------------------


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_a_restricted_document_is_never_returned_to_staff(helper: Assistant, mode: str) -> None:
    for query in (QUESTION, "Falcon Hermle Zeiss Contura", "housing bore fine boring"):
        found = helper.search(query, k=10, mode=mode, allowed=STAFF)
        assert "falcon.md" not in _docs(found), (query, mode)
    assert helper.search("Falcon gearbox housing", k=5, doc="falcon.md", mode=mode, allowed=STAFF) == []
    assert helper.search("Falcon gearbox housing", k=5, kind="standard", mode=mode, allowed=frozenset()) == []


def test_admin_and_local_use_see_the_restricted_document(helper: Assistant) -> None:
    for allowed in (ADMIN, None):
        best = helper.search(QUESTION, k=3, allowed=allowed)[0]
        assert (best.doc, best.section, best.access) == ("falcon.md", "1.1", "restricted")
    public = helper.search("boring bars carbide head", k=1, allowed=frozenset({AccessLevel.PUBLIC}))
    assert _docs(public) == {"catalogue.md"} and public[0].access == "public"


def test_chat_answers_and_citations_never_come_from_a_restricted_document(helper: Assistant) -> None:
    answer = helper.ask(QUESTION, allowed=STAFF)
    assert "falcon.md" not in {c.doc for c in answer.citations}
    assert "Hermle" not in answer.answer and "H6" not in answer.answer
    streamed = list(helper.stream(QUESTION, allowed=STAFF))[-1]
    assert "falcon.md" not in {c.doc for c in streamed.citations} and "Hermle" not in streamed.answer

    admin = helper.ask(QUESTION, allowed=ADMIN)
    assert "falcon.md" in {c.doc for c in admin.citations} and "Hermle C42" in admin.answer


def test_a_stage_drafting_for_staff_retrieves_only_what_staff_may_read(helper: Assistant) -> None:
    staff = DraftContext(helper, helper.model("offline"), allowed=STAFF)
    assert "falcon.md" not in _docs(staff.retrieve(QUESTION, k=10).passages)
    admin = DraftContext(helper, helper.model("offline"), allowed=ADMIN)
    assert "falcon.md" in _docs(admin.retrieve(QUESTION, k=10).passages)


def test_sources_list_only_the_documents_a_reader_may_see(helper: Assistant) -> None:
    everything = {s.doc: s.access for s in helper.sources()}
    assert everything == {"catalogue.md": "public", "falcon.md": "restricted", "turning.md": "internal"}
    assert {s.doc for s in helper.sources(allowed=STAFF)} == {"catalogue.md", "turning.md"}


# ---- the CLI and the Python API as the user PREPRO_USER names -------------------------------------------


def _as(helper: Assistant, name: str) -> Assistant:
    """Another Assistant on the same home whose calls act for `name` (PREPRO_USER)."""
    acting = Assistant(make_settings(helper.settings.home, user=name))
    acting.index._embeddings = helper.index._embeddings
    return acting


def test_prepro_user_reads_only_up_to_that_users_clearance(helper: Assistant, docs: Path) -> None:
    helper.workspace.add_user(LOCAL_USER, "eng", "engineer", "engineer pass")
    eng = _as(helper, "eng")
    assert "falcon.md" not in _docs(eng.search(QUESTION, k=10)) and "falcon.md" not in _docs(eng.sources())
    answer = eng.ask(QUESTION)
    assert "falcon.md" not in {c.doc for c in answer.citations} and "Hermle" not in answer.answer
    with pytest.raises(InputError, match="no indexed document named 'falcon.md' that you may read"):
        eng.cited_page("falcon.md", None, "Falcon")
    with pytest.raises(PermissionDenied, match=r"user 'eng' \(role engineer\) may not add or remove documents"):
        eng.ingest([docs / "turning.md"], force=True)
    with pytest.raises(PermissionDenied, match="may not draft or edit routing drafts: that stage is a technologist's"):
        eng.draft("routing", EXAMPLE_PART, provider="offline")
    helper.workspace.set_clearance(LOCAL_USER, "eng", "restricted")  # an admin clears eng: read at the next call
    assert eng.search(QUESTION, k=3)[0].doc == "falcon.md"
    actions = [(r.user_name, r.action) for r in helper.workspace.audit_log(LOCAL_USER)]
    assert ("local", "user_change") in actions


def test_prepro_user_drafts_are_that_users_and_audited(helper: Assistant) -> None:
    helper.workspace.add_user(LOCAL_USER, "tom", "technologist", "technologist pass")
    made = _as(helper, "tom").draft("routing", EXAMPLE_PART, provider="offline")
    assert made.part_id == "SH-001"
    last = helper.workspace.audit_log(LOCAL_USER)[-1]
    assert (last.user_name, last.action, last.target) == ("tom", "draft", "routing/SH-001")
    assert helper.draft("routing", EXAMPLE_PART, provider="offline").part_id == "SH-001"  # unset: local use
    helper.workspace.set_active(LOCAL_USER, "tom", False)
    with pytest.raises(AuthenticationError, match="PREPRO_USER names 'tom', whose account is disabled"):
        _as(helper, "tom").search(QUESTION)


# ---- changing the level ------------------------------------------------------------------------------


def test_reingest_keeps_the_level_unless_one_is_given(helper: Assistant, docs: Path) -> None:
    report = helper.ingest([docs / "falcon.md"], force=True)
    assert report.files[0].status == "updated"
    assert documents.get_document(helper.index.store, "falcon.md").access == "restricted"
    assert "falcon.md" not in _docs(helper.search(QUESTION, k=10, allowed=STAFF))

    opened = helper.ingest([docs / "falcon.md"], access="public")  # the same file with a new level: re-indexed
    assert opened.files[0].status == "updated"
    best = helper.search(QUESTION, k=3, allowed=STAFF)[0]
    assert (best.doc, best.access) == ("falcon.md", "public")


def test_cli_ingest_sets_the_level_and_force_with_access_public_opens_it(
    helper: Assistant, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(knowledge_cli, "assistant", lambda: helper)
    runner = CliRunner()
    extra = docs / "falcon-2.md"
    extra.write_text(FALCON.replace("Falcon", "Osprey"))
    added = runner.invoke(app, ["ingest", str(extra), "--access", "restricted"])
    assert added.exit_code == 0, added.output
    assert documents.get_document(helper.index.store, "falcon-2.md").access == "restricted"
    assert "falcon-2.md" not in _docs(helper.search("Osprey gearbox housing bore", k=10, allowed=STAFF))

    opened = runner.invoke(app, ["ingest", str(extra), "--force", "--access", "public"])
    assert opened.exit_code == 0, opened.output
    assert helper.search("Osprey gearbox housing bore", k=3, allowed=STAFF)[0].doc == "falcon-2.md"

    bad = runner.invoke(app, ["ingest", str(extra), "--access", "secret"])
    assert bad.exit_code != 0 and "unknown access level 'secret'" in str(bad.exception)


# ---- enforced by the store, whatever the vectors say ---------------------------------------------------


def test_stale_vector_metadata_cannot_open_a_restricted_document(helper: Assistant) -> None:
    index = helper.index
    ids = [r.id for r in documents.all_chunks(index.store) if r.doc == "falcon.md"]
    vectors.update_metadata(
        index.collection, ids, [{"doc": "falcon.md", "kind": "standard", "access": "public"}] * len(ids)
    )
    for mode in ("hybrid", "dense", "bm25"):
        assert "falcon.md" not in _docs(helper.search(QUESTION, k=10, mode=mode, allowed=STAFF))
    assert index.top_similarity(QUESTION, STAFF) < index.top_similarity(QUESTION, ADMIN)


def test_vectors_of_an_index_built_before_access_levels_get_theirs(helper: Assistant, embeddings) -> None:
    index = helper.index
    ids = [r.id for r in documents.all_chunks(index.store)]
    index.collection.update(ids=ids, metadatas=[{"access": None}] * len(ids))  # what an older prepro wrote
    meta.set_meta(index.store, "vector_access", "0")
    older = KnowledgeIndex(helper.settings, embeddings)
    assert older.search("rough turning of steel", k=1, mode="dense", allowed=STAFF)[0].doc == "turning.md"
    assert "falcon.md" not in _docs(older.search(QUESTION, k=10, mode="dense", allowed=STAFF))
    restored = {m["access"] for m in index.collection.get(ids=ids, include=["metadatas"])["metadatas"]}
    assert restored == {"public", "internal", "restricted"}


def test_a_computed_answer_does_not_cite_a_document_the_asker_may_not_read(
    tmp_path: Path, embeddings, repo_root: Path
) -> None:
    helper = Assistant(make_settings(tmp_path / "kanban-home"))
    helper.index._embeddings = embeddings
    helper.ingest([repo_root / "knowledge" / "corpus" / "lean-kanban.md"], access="restricted")
    question = "How many kanban cards for 600 a day, 2 days lead time, containers of 50, safety 10 %?"
    staff = helper.ask(question, allowed=STAFF)
    assert "N = " in staff.answer and "lean-kanban.md" not in {c.doc for c in staff.citations}
    admin = helper.ask(question, allowed=ADMIN)
    assert [(c.doc, c.section) for c in admin.citations][:1] == [("lean-kanban.md", "4.1")]
