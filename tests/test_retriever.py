"""PreproRetriever passes LangChain's standard retriever tests against a real index."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.retrieval.index import KnowledgeIndex
from assistant.retrieval.retriever import PreproRetriever
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def ingested_home(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Path:
    home = tmp_path_factory.mktemp("retriever-home")
    docs = home / "docs"
    docs.mkdir()
    for n in range(6):
        (docs / f"heat-{n}.md").write_text(
            f"# Heat treatment {n}\n\n## {n + 1} Steels\n{n + 1}.1 Steel 40Kh is hardened in oil from 850 °C, case {n}.\n"
        )
    KnowledgeIndex(make_settings(home), embeddings).ingest([docs])
    return home


class TestPreproRetriever(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _home(self, ingested_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PREPRO_HOME", str(ingested_home))

    @property
    def retriever_constructor(self) -> type[PreproRetriever]:
        return PreproRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"k": 2}

    @property
    def retriever_query_example(self) -> str:
        return "heat treatment of 40Kh"


def test_documents_carry_citation_metadata(ingested_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREPRO_HOME", str(ingested_home))
    docs = PreproRetriever(k=5, doc="heat-3.md").invoke("hardened in oil", k=3)
    assert len(docs) == 1
    meta = docs[0].metadata
    assert (meta["doc"], meta["section"], meta["kind"], meta["page"]) == ("heat-3.md", "4.1", "standard", None)
    assert meta["score"] > 0
