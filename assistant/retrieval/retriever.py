"""A LangChain retriever over prepro's hybrid index, for integrators' own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import PrivateAttr

from assistant.config import Settings
from assistant.retrieval.index import KnowledgeIndex


class PreproRetriever(BaseRetriever):
    """Hybrid (dense + BM25) retrieval over the index of the configured PREPRO_HOME.

    Each Document carries doc, page, section, kind and score in its metadata.
    """

    k: int = 5
    kind: str | None = None
    doc: str | None = None
    mode: str = "hybrid"
    _index: KnowledgeIndex | None = PrivateAttr(default=None)

    def _knowledge_index(self) -> KnowledgeIndex:
        if self._index is None:
            self._index = KnowledgeIndex(Settings())
        return self._index

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        passages = self._knowledge_index().search(
            query,
            k=int(kwargs.get("k", self.k)),
            kind=kwargs.get("kind", self.kind),
            doc=kwargs.get("doc", self.doc),
            mode=kwargs.get("mode", self.mode),
        )
        return [
            Document(
                page_content=p.text,
                metadata={
                    "doc": p.doc,
                    "page": p.page,
                    "section": p.section,
                    "kind": p.kind,
                    "score": p.score,
                    "title": p.title,
                },
            )
            for p in passages
        ]
