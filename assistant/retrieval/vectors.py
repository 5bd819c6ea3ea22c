"""The dense side of the index: a Chroma collection (embedded or server) fed with our own embeddings."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from assistant.config import Settings
from assistant.errors import VectorStoreError

Where = dict[str, Any]
# Candidates the HNSW graph explores per query: at this breadth a collection of a few thousand passages is searched
# exhaustively, so the same query gives the same neighbours in every process (Chroma's default, 100, lets the part of
# the graph rebuilt at each start change 1-3 rankings of 116 questions between runs)
SEARCH_BREADTH = 200


def open_collection(settings: Settings) -> Any:
    """The chunk collection: a Chroma server when PREPRO_CHROMA_HOST is set, else embedded under PREPRO_HOME."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        else:
            settings.chroma_path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
        collection = client.get_or_create_collection(
            settings.collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        hnsw = (collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search", SEARCH_BREADTH) < SEARCH_BREADTH:  # also on collections made before
            collection.modify(configuration={"hnsw": {"ef_search": SEARCH_BREADTH}})
        return collection
    except Exception as exc:
        where = (
            f"server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else settings.chroma_path
        )
        raise VectorStoreError(
            f"cannot open the Chroma collection at {where} ({exc}); check PREPRO_CHROMA_HOST/PORT or PREPRO_HOME"
        ) from exc


def add(
    collection: Any, ids: Sequence[str], embeddings: Sequence[Sequence[float]], metadatas: Sequence[dict[str, Any]]
) -> None:
    """Upsert vectors in batches Chroma accepts."""
    for start in range(0, len(ids), 1000):
        stop = start + 1000
        collection.upsert(
            ids=list(ids[start:stop]),
            embeddings=[list(e) for e in embeddings[start:stop]],
            metadatas=list(metadatas[start:stop]),
        )


def update_metadata(collection: Any, ids: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
    """Replace the metadata of existing vectors (their embeddings stay)."""
    for start in range(0, len(ids), 1000):
        stop = start + 1000
        collection.update(ids=list(ids[start:stop]), metadatas=list(metadatas[start:stop]))


def delete(collection: Any, ids: Sequence[str]) -> None:
    """Remove vectors by id (missing ids are ignored)."""
    for start in range(0, len(ids), 1000):
        collection.delete(ids=list(ids[start : start + 1000]))


def all_ids(collection: Any) -> list[str]:
    """Every vector id in the collection."""
    return list(collection.get(include=[])["ids"])


def query(collection: Any, embedding: Sequence[float], n: int, where: Where | None) -> list[tuple[str, float]]:
    """Nearest chunks as (id, cosine similarity), best first."""
    try:
        result = collection.query(
            query_embeddings=[list(embedding)], n_results=n, where=where or None, include=["distances"]
        )
    except Exception as exc:
        raise VectorStoreError(
            f"the Chroma collection cannot be queried ({type(exc).__name__}: {exc}); "
            "is the Chroma server (PREPRO_CHROMA_HOST/PORT) still running?"
        ) from exc
    return [(i, 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]
