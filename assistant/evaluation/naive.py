"""The naive LangChain RAG pipeline a new user would copy from a tutorial: the baseline the retrieval suite and
evals/bench_realdocs.py put beside prepro on the real PDFs.

PyPDFLoader (one Document per page) → RecursiveCharacterTextSplitter(1000, 200) → Chroma with the same
MiniLM embeddings prepro uses (passed explicitly: Chroma's own default would download a model) →
similarity_search. A chunk's page is the page of the Document it was split from. The collection searches at
prepro's pinned HNSW breadth, so that the baseline too gives the same neighbours in every process.
It needs the `dev` extra (langchain-community, langchain-text-splitters, langchain-chroma).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


@dataclass(frozen=True)
class NaiveHit:
    """One retrieved chunk: its document (file name), 1-based physical page and text."""

    doc: str
    page: int | None
    text: str


@dataclass(frozen=True)
class NaiveIngest:
    """What the naive ingest did: pages loaded (incl. empty ones), chunks stored, wall seconds."""

    pages: int
    chunks: int
    seconds: float


class NaiveRag:
    """PyPDFLoader + RecursiveCharacterTextSplitter + Chroma (embedded, in persist_dir) + similarity search."""

    def __init__(self, embeddings: Embeddings, persist_dir: Path | str) -> None:
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma

        from assistant.retrieval.vectors import SEARCH_BREADTH

        self.store = Chroma(
            collection_name="naive",
            embedding_function=embeddings,
            persist_directory=str(persist_dir),
            client_settings=ChromaSettings(anonymized_telemetry=False),
            collection_configuration={"hnsw": {"ef_search": SEARCH_BREADTH}},
        )

    def ingest(self, pdfs: Sequence[Path]) -> NaiveIngest:
        """Load, split and embed every PDF; returns the counts and the wall time."""
        from langchain_community.document_loaders import PyPDFLoader
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        started = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        pages: list[Document] = []
        for pdf in pdfs:
            pages.extend(PyPDFLoader(str(pdf)).load())
        chunks = splitter.split_documents(pages)
        self.store.add_documents(chunks)
        return NaiveIngest(pages=len(pages), chunks=len(chunks), seconds=time.perf_counter() - started)

    def search(self, query: str, k: int = 5) -> list[NaiveHit]:
        """The k nearest chunks, each cited by file name and 1-based page (PyPDFLoader's page is 0-based)."""
        found = self.store.similarity_search(query, k=k)
        return [
            NaiveHit(doc=Path(str(d.metadata.get("source", ""))).name, page=_page(d), text=d.page_content)
            for d in found
        ]


def _page(document: Document) -> int | None:
    page = document.metadata.get("page")
    return int(page) + 1 if page is not None else None
