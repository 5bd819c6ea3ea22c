"""The Python API: one object that batch users, the CLI and the UI all call."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from assistant.batch import BatchResult, run_batch
from assistant.catalog import load_catalog
from assistant.chat import Answer, GroundedChat, Turn
from assistant.config import Settings
from assistant.errors import InputError, KnowledgeBaseError
from assistant.export.card import CardHeader
from assistant.llm import LLM
from assistant.part_facts import part_facts
from assistant.parts import PartSpec, load_part
from assistant.providers import get_llm, provider_name
from assistant.retrieval.index import KnowledgeIndex, ProgressFn
from assistant.retrieval.models import IngestReport, Passage, Source
from assistant.route_card import Finding, RoutingDraft, load_draft
from assistant.stages.technology import card_header, extract_part, llm_draft, offline_draft, route_query
from assistant.validate import check_routing

PartInput = PartSpec | dict[str, Any] | str | Path
STAGES = ("routing",)


def _stage(stage: str) -> None:
    if stage not in STAGES:
        raise InputError(f"unknown stage '{stage}' (available: {', '.join(STAGES)})")


class Assistant:
    """prepro's entry point: knowledge base, grounded answers and stage drafts."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._llms: dict[str, LLM | None] = {}
        self._lock = threading.Lock()

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
        with self._lock:
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

    def _passages(self, query: str, k: int = 6) -> list[Passage]:
        """Retrieved passages for a draft; none when the knowledge base is empty."""
        try:
            with self._lock:
                return self.search(query, k=k)
        except KnowledgeBaseError:
            return []

    def draft(self, stage: str, part: PartInput, provider: str | None = None) -> RoutingDraft:
        """A stage draft for one part (stage `routing`: the route card of PART_SPEC.md)."""
        _stage(stage)
        spec, catalog = load_part(part), load_catalog()
        draft, facts = offline_draft(spec, catalog)
        llm = self.llm(provider)
        if llm is None:
            return draft
        return llm_draft(draft, facts, catalog, llm, self._passages(route_query(facts)))

    def check(self, stage: str, draft: RoutingDraft | dict[str, Any] | str | Path, part: PartInput) -> list[Finding]:
        """The validators' findings on a draft, whoever wrote it."""
        _stage(stage)
        spec, routing, catalog = load_part(part), load_draft(draft), load_catalog()
        if routing.part_id != spec.id:
            raise InputError(f"the draft is for part {routing.part_id} but the part spec is {spec.id}")
        return check_routing(routing, part_facts(spec, catalog), catalog)

    def draft_batch(
        self,
        stage: str,
        parts: Path | str | Sequence[PartSpec | dict[str, Any]],
        concurrency: int = 4,
        outdir: Path | str | None = None,
        fmt: str = "json",
        provider: str | None = None,
        progress: ProgressFn | None = None,
    ) -> BatchResult:
        """Draft many parts; with `outdir`, one file per part is written and parts already there are skipped."""
        _stage(stage)
        self.llm(provider)  # fail fast on a bad provider before any part is drafted
        return run_batch(
            lambda spec: self.draft(stage, spec, provider),
            parts,
            Path(outdir) if outdir else None,
            concurrency,
            fmt,
            progress,
            self.card_header,
        )

    def card_header(self, part: PartInput) -> CardHeader:
        """The route-card header (part, material, blank, production data) for exports."""
        spec = load_part(part)
        return card_header(part_facts(spec, load_catalog()))

    def extract_part(self, text: str, provider: str | None = None) -> PartSpec:
        """A part spec from a free-text description (needs an LLM); show it for confirmation before drafting."""
        llm = self.llm(provider)
        if llm is None:
            raise InputError(
                "reading a part from free text needs an LLM: set PREPRO_LLM_PROVIDER (local, openai, "
                "openai-compatible) or write the part spec as YAML"
            )
        return extract_part(text, llm)
