"""The Python API: one object that batch users, the CLI and the UI all call."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path

from assistant.chat import Answer, GroundedChat, Turn
from assistant.config import Settings
from assistant.llm import LLM
from assistant.providers import get_llm, provider_name
from assistant.retrieval.index import KnowledgeIndex, ProgressFn
from assistant.retrieval.models import IngestReport, Passage, Source


class Assistant:
    """prepro's entry point: knowledge base, grounded answers and stage drafts."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._llms: dict[str, LLM | None] = {}

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

    def llm(self, provider: str | None = None) -> LLM | None:
        """The chat model of a provider (the configured one by default); None means offline."""
        name = provider_name(self.settings, provider)
        if name not in self._llms:
            self._llms[name] = get_llm(self.settings, self.index.conn, name)
        return self._llms[name]

    def ask(
        self,
        question: str,
        history: Sequence[Turn | dict | tuple[str, str]] | None = None,
        provider: str | None = None,
        k: int = 5,
    ) -> Answer:
        """Answer a question from the indexed documents, with citations."""
        return GroundedChat(self.index, self.llm(provider), k=k).ask(question, history)

    def stream(
        self,
        question: str,
        history: Sequence[Turn | dict | tuple[str, str]] | None = None,
        provider: str | None = None,
        k: int = 5,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is produced, then the complete Answer."""
        pieces: queue.Queue[str | Answer | BaseException] = queue.Queue()
        chat = GroundedChat(self.index, self.llm(provider), k=k)

        def work() -> None:
            try:
                pieces.put(chat.ask(question, history, sink=pieces.put))
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer and re-raised there
                pieces.put(exc)

        threading.Thread(target=work, daemon=True).start()
        while True:
            item = pieces.get()
            if isinstance(item, BaseException):
                raise item
            yield item
            if isinstance(item, Answer):
                return
