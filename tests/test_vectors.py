"""The dense index searches exhaustively at our sizes, so a query gives the same neighbours in every process."""

from __future__ import annotations

from pathlib import Path

from assistant.retrieval.vectors import SEARCH_BREADTH, open_collection
from tests.conftest import make_settings


def test_new_and_existing_collections_search_at_the_pinned_breadth(tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = make_settings(tmp_path / "home")
    assert open_collection(settings).configuration["hnsw"]["ef_search"] == SEARCH_BREADTH
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    client = chromadb.PersistentClient(
        path=str(settings.chroma_path), settings=ChromaSettings(anonymized_telemetry=False)
    )
    client.delete_collection(settings.collection)
    client.create_collection(settings.collection, embedding_function=None, metadata={"hnsw:space": "cosine"})
    assert client.get_collection(settings.collection).configuration["hnsw"]["ef_search"] < SEARCH_BREADTH
    reopened = open_collection(settings)
    assert reopened.configuration["hnsw"] == {
        **reopened.configuration["hnsw"],
        "ef_search": SEARCH_BREADTH,
        "space": "cosine",
    }
