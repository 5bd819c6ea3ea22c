"""The Python API: one object that batch users, the CLI and the UI all call."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from assistant.config import Settings
from assistant.retrieval.index import KnowledgeIndex, ProgressFn
from assistant.retrieval.models import IngestReport, Passage, Source


class Assistant:
    """prepro's entry point: knowledge base, grounded answers and stage drafts."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    @cached_property
    def index(self) -> KnowledgeIndex:
        """The knowledge index under PREPRO_HOME."""
        return KnowledgeIndex(self.settings)

    def ingest(
        self,
        paths: Sequence[Path | str],
        password: str | None = None,
        kind: str | None = None,
        force: bool = False,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        """Index files and folders (PDF, DOCX, Markdown, text, YAML catalogues)."""
        return self.index.ingest(paths, password=password, kind=kind, force=force, progress=progress)

    def search(
        self, query: str, k: int = 5, kind: str | None = None, doc: str | None = None, mode: str = "hybrid"
    ) -> list[Passage]:
        """The k best cited passages for a query."""
        return self.index.search(query, k=k, kind=kind, doc=doc, mode=mode)

    def sources(self) -> list[Source]:
        """What is indexed."""
        return self.index.sources()

    def remove(self, doc: str) -> int:
        """Delete a document from the index; returns the number of chunks removed."""
        return self.index.remove(doc)
