"""The knowledge index on a real embedded Chroma, real embeddings, real SQLite and BM25 files."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import EmbeddingMismatchError, EmptyIndexError, InputError
from assistant.retrieval import vectors
from assistant.retrieval.index import KnowledgeIndex
from assistant.store import documents
from tests.docfiles import encrypt_pdf, make_pdf

TURNING = """---
title: Turning accuracy
kind: process
---
# Turning accuracy

## 3 Turning
3.1 Rough turning of steel reaches IT12 and Ra 12.5 µm.
3.2 Fine turning of aluminium reaches IT6 and Ra 0.4 µm with diamond tools.

## 4 Grinding
4.1 Finish cylindrical grinding reaches IT6 and Ra 0.4 µm on hardened steel journals.
"""

MATERIALS = """# Materials

## 2 Steels
2.1 Steel 45 is a medium-carbon structural steel, equivalent to C45 and AISI 1045.
2.2 Steel 40Kh is a chromium alloy steel, equivalent to 41Cr4 and AISI 5140.
"""


class CountingEmbeddings:
    """Wraps the real model and counts the documents it embeds."""

    def __init__(self, inner) -> None:
        self.inner, self.documents = inner, 0

    def embed_documents(self, texts):
        self.documents += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "turning.md").write_text(TURNING)
    (folder / "materials.md").write_text(MATERIALS)
    make_pdf(
        folder / "holes.pdf",
        [
            ["1 Scope", "1.1 This guide covers holes."],
            ["2 Reaming", "2.1 Reaming after core drilling gives IT8 holes with Ra 1.6."],
        ],
    )
    return folder


def test_ingest_then_search_returns_cited_passages(index: KnowledgeIndex, corpus: Path) -> None:
    report = index.ingest([corpus])
    assert report.count("added") == 3 and report.count("failed") == 0
    top = index.search("equivalent of Steel 45", k=3)[0]
    assert (top.doc, top.section, top.kind) == ("materials.md", "2.1", "standard")
    pdf = index.search("reaming after core drilling", k=2)[0]
    assert (pdf.doc, pdf.page, pdf.section) == ("holes.pdf", 2, "2.1")
    assert {s.doc for s in index.sources()} == {"turning.md", "materials.md", "holes.pdf"}


def test_hybrid_search_filters_by_kind_and_document(index: KnowledgeIndex, corpus: Path) -> None:
    index.ingest([corpus])
    assert {p.kind for p in index.search("steel", k=5, kind="process")} == {"process"}
    assert {p.doc for p in index.search("steel", k=5, doc="materials.md")} == {"materials.md"}
    for mode in ("dense", "bm25", "hybrid"):
        assert index.search("fine turning of aluminium", k=1, mode=mode)[0].section == "3.2", mode


def test_unchanged_files_cost_nothing_and_changed_files_replace_their_chunks(settings, embeddings, corpus) -> None:
    counting = CountingEmbeddings(embeddings)
    index = KnowledgeIndex(settings, counting)
    index.ingest([corpus])
    first = counting.documents
    again = index.ingest([corpus])
    assert again.count("unchanged") == 3 and counting.documents == first

    (corpus / "materials.md").write_text(MATERIALS.replace("Steel 45", "Steel 50"))
    report = index.ingest([corpus])
    assert [f.status for f in report.files if f.doc == "materials.md"] == ["updated"]
    hits = index.search("medium-carbon structural steel equivalent", k=5, doc="materials.md")
    assert any("Steel 50" in p.text for p in hits) and not any("Steel 45" in p.text for p in hits)
    assert len(vectors.all_ids(index.collection)) == sum(s.chunks for s in index.sources())


def test_remove_deletes_a_document_everywhere(index: KnowledgeIndex, corpus: Path) -> None:
    index.ingest([corpus])
    assert index.remove("materials.md") == 1
    assert "materials.md" not in {p.doc for p in index.search("Steel 45 equivalent", k=5)}
    assert "materials.md" not in index.keyword_index().docs
    with pytest.raises(InputError, match="no indexed document named 'turning'; did you mean: turning.md"):
        index.remove("turning")


def test_bad_files_are_reported_and_the_rest_still_indexes(index: KnowledgeIndex, corpus: Path, tmp_path: Path) -> None:
    index.ingest([corpus])
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "corrupt.pdf").write_bytes(b"%PDF-1.7 this is not a pdf")
    (bad / "empty.md").write_text("")
    encrypt_pdf(make_pdf(tmp_path / "p.pdf", [["1 Scope", "1.1 Locked text."]]), bad / "locked.pdf", "pw")
    (bad / "good.md").write_text("# Good\n\n## 1 Keyways\n1.1 Keyways are milled before hardening.\n")
    report = index.ingest([bad])
    failed = {f.doc: f.reason for f in report.files if f.status == "failed"}
    assert set(failed) == {"corrupt.pdf", "empty.md", "locked.pdf"}
    assert "encrypted" in failed["locked.pdf"] and failed["corrupt.pdf"].startswith("corrupt.pdf: ")
    assert report.count("added") == 1
    assert index.search("keyways milled before hardening", k=1)[0].doc == "good.md"
    assert len(index.sources()) == 4, "documents indexed before are kept"


def test_a_crash_mid_ingest_leaves_the_previous_index_usable(index: KnowledgeIndex, corpus: Path, monkeypatch) -> None:
    index.ingest([corpus])
    (corpus / "turning.md").write_text(TURNING.replace("IT12", "IT14").replace("Rough", "Very rough"))

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(documents, "replace_document", crash)
    with pytest.raises(RuntimeError):
        index.ingest([corpus / "turning.md"])
    monkeypatch.undo()

    fresh = KnowledgeIndex(index.settings, index.embeddings)
    hits = fresh.search("rough turning of steel", k=3, doc="turning.md")
    assert hits and all("Very rough" not in p.text for p in hits), "orphan vectors of the new version are not served"
    fresh.ingest([corpus])
    assert len(vectors.all_ids(fresh.collection)) == sum(s.chunks for s in fresh.sources()), "orphans collected"
    assert "Very rough" in fresh.search("rough turning of steel", k=1, doc="turning.md")[0].text


def test_keyword_index_heals_when_missing(index: KnowledgeIndex, corpus: Path) -> None:
    index.ingest([corpus])
    for item in index.settings.bm25_path.iterdir():
        item.unlink()
    fresh = KnowledgeIndex(index.settings, index.embeddings)
    assert fresh.search("Steel 40Kh chromium", k=1, mode="bm25")[0].section == "2.2"


def test_empty_index_and_bad_queries_have_clear_errors(index: KnowledgeIndex) -> None:
    with pytest.raises(EmptyIndexError, match="empty; index documents first: prepro ingest knowledge/"):
        index.search("anything")
    with pytest.raises(InputError, match="unknown search mode 'magic'"):
        index.search("x", mode="magic")
    with pytest.raises(InputError, match="query is empty"):
        index.search("  ")


def test_a_changed_embedding_model_is_refused(index: KnowledgeIndex, corpus: Path) -> None:
    index.ingest([corpus])
    other = index.settings.model_copy(update={"embedding_model": "/models/other-model"})
    with pytest.raises(EmbeddingMismatchError, match="built with embeddings 'local:all-MiniLM-L6-v2'"):
        KnowledgeIndex(other, index.embeddings).search("steel")
