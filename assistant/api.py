"""The Python API: one object that batch users, the CLI and the UI all call."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import KnowledgeBaseError, PreproError
from assistant.lazy import lazy_exports

# Everything else is imported where it is used, so that `import assistant.api` (every CLI call, `prepro --help`
# included) does not pay for LangChain, SQLAlchemy, Chroma or torch; the re-exported names load on first use.
if TYPE_CHECKING:
    from pydantic import BaseModel

    from assistant.batch import BatchResult
    from assistant.catalog import Catalog
    from assistant.chat.grounded import Answer, Turn
    from assistant.config import Settings
    from assistant.llm.model import Model
    from assistant.parts.model import PartSpec
    from assistant.progress import ProgressFn
    from assistant.retrieval.index import KnowledgeIndex
    from assistant.retrieval.models import IngestReport, Passage, Source
    from assistant.stages.base import Stage
    from assistant.stages.findings import Finding, Severity, count

_EXPORTS = {
    "Answer": "assistant.chat.grounded",
    "BatchResult": "assistant.batch",
    "Finding": "assistant.stages.findings",
    "IngestReport": "assistant.retrieval.models",
    "Passage": "assistant.retrieval.models",
    "Severity": "assistant.stages.findings",
    "Source": "assistant.retrieval.models",
    "Turn": "assistant.chat.grounded",
    "count": "assistant.stages.findings",
}

__all__ = [
    "Answer",
    "Assistant",
    "BatchResult",
    "ExportedFile",
    "Finding",
    "IngestReport",
    "Passage",
    "PreproError",
    "Severity",
    "Source",
    "Turn",
    "count",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


def _stage(name: str) -> Stage:
    from assistant.stages.registry import get_stage

    return get_stage(name)


def _load_catalog() -> Catalog:
    from assistant.catalog import load_catalog

    return load_catalog()


@dataclass(frozen=True)
class ExportedFile:
    """An exported draft: its file name, content, and whether the content is text (JSON, Markdown)."""

    name: str
    data: bytes
    text: bool


@dataclass
class Retrieval:
    """Passages retrieved for a draft, and why there are none when the knowledge base could not give any."""

    passages: list[Passage] = field(default_factory=list)
    problem: str | None = None


@dataclass
class _Context:
    """What a stage sees of the assistant while it drafts (assistant.stages.base.StageContext)."""

    assistant: Assistant
    model: Model
    catalog: Catalog = field(default_factory=_load_catalog)
    progress: ProgressFn | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    def retrieve(self, query: str, k: int = 6) -> Retrieval:
        """Passages for the query; an empty, changed or unreachable index is reported as the problem."""
        try:
            with self.assistant.search_lock:
                return Retrieval(self.assistant.search(query, k=k))
        except KnowledgeBaseError as exc:
            return Retrieval(problem=str(exc))

    def draft(
        self, stage: str, source: Any, options: Mapping[str, str] | None = None, worded: bool = True
    ) -> BaseModel:
        """Another stage's draft with that stage's options, made with the same model (or offline)."""
        spec = _stage(stage)
        model = self.model if worded else self.assistant.model("offline")
        context = _Context(self.assistant, model, self.catalog, self.progress if worded else None, dict(options or {}))
        return spec.draft(context, spec.load_input(source))

    def report(self, done: int, total: int, what: str) -> None:
        """Pass the draft's progress to whoever asked for it."""
        if self.progress:
            self.progress(done, total, what)


class Assistant:
    """prepro's entry point: knowledge base, grounded answers and stage drafts."""

    def __init__(self, settings: Settings | None = None) -> None:
        from assistant.config import Settings

        self.settings = settings or Settings()
        self._models: dict[str, Model] = {}
        self._lock = threading.Lock()
        self.search_lock = threading.Lock()  # one search at a time from concurrent batch drafts

    @cached_property
    def index(self) -> KnowledgeIndex:
        """The knowledge index under PREPRO_HOME."""
        from assistant.retrieval.index import KnowledgeIndex

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

    def model(self, provider: str | None = None) -> Model:
        """The model of a provider (the configured one by default): an LLM, or the offline model."""
        from assistant.llm.providers import get_model, provider_name

        name = provider_name(self.settings, provider)
        with self._lock:
            if name not in self._models:
                self._models[name] = get_model(self.settings, self.index.store, name)
            return self._models[name]

    def ask(
        self,
        question: str,
        history: Sequence[Turn | dict[str, str] | tuple[str, str]] | None = None,
        provider: str | None = None,
        k: int = 5,
    ) -> Answer:
        """Answer a question from the indexed documents, with citations."""
        from assistant.chat.grounded import GroundedChat

        return GroundedChat(self.index, self.model(provider), k=k).ask(question, history)

    def stream(
        self,
        question: str,
        history: Sequence[Turn | dict[str, str] | tuple[str, str]] | None = None,
        provider: str | None = None,
        k: int = 5,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is produced, then the complete Answer."""
        from assistant.chat.grounded import Answer, GroundedChat

        pieces: queue.Queue[str | Answer | BaseException] = queue.Queue()
        chat = GroundedChat(self.index, self.model(provider), k=k)

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

    def draft(
        self,
        stage: str,
        source: Any,
        provider: str | None = None,
        progress: ProgressFn | None = None,
        options: Mapping[str, str] | None = None,
    ) -> Any:
        """A stage's draft (stage `routing`: the route card of PART_SPEC.md for a part spec, dict or file);
        `progress(done, total, what)` follows long work inside it (an LLM wording the operations); `options`
        are the stage's (routing: `equipment` = by-production, universal or cnc)."""
        spec = _stage(stage)
        model = self.model(provider)
        return spec.draft(
            _Context(self, model, progress=progress, options=dict(options or {})), spec.load_input(source)
        )

    def check(self, stage: str, draft: Any, source: Any) -> list[Finding]:
        """The checks' findings on a draft, whoever wrote it, against its input (a part spec for routing)."""
        spec = _stage(stage)
        context = _Context(self, self.model("offline"))
        return spec.check(context, spec.load_draft(draft), spec.load_input(source))

    def export(self, stage: str, draft: Any, fmt: str, source: Any = None) -> bytes:
        """A draft as a file's content in one of the stage's formats; `source` (its input) fills the header."""
        return self.export_file(stage, draft, fmt, source).data

    def export_file(self, stage: str, draft: Any, fmt: str, source: Any) -> ExportedFile:
        """A draft as a named file (`<subject>.<fmt>`), and whether its content is text."""
        from assistant.batch import slug
        from assistant.export import render

        spec = _stage(stage)
        context = _Context(self, self.model("offline"))
        value = spec.load_input(source) if source is not None else None
        header = spec.header(context, value) if value is not None else None
        data = render(spec.exporters, spec.load_draft(draft), fmt, header)
        name = spec.file_name(slug(spec.subject(value)) if value is not None else "draft", fmt)
        return ExportedFile(name=name, data=data, text=fmt in spec.text_formats)

    def draft_batch(
        self,
        stage: str,
        items: Path | str | Sequence[Any],
        concurrency: int = 4,
        outdir: Path | str | None = None,
        fmt: str = "json",
        provider: str | None = None,
        progress: ProgressFn | None = None,
    ) -> BatchResult:
        """Draft many inputs; with `outdir`, one file per item is written and items already there are skipped."""
        from assistant.batch import run_batch

        spec = _stage(stage)
        context = _Context(self, self.model(provider))  # fails fast on a bad provider before any item
        return run_batch(
            spec,
            lambda value: spec.draft(context, value),
            items,
            Path(outdir) if outdir else None,
            concurrency,
            fmt,
            progress,
            lambda value: spec.header(context, value),
        )

    def providers(self) -> tuple[list[str], str]:
        """The LLM providers there are, and the one the settings choose."""
        from assistant.llm.providers import CHAT_PROVIDERS, provider_name

        return list(CHAT_PROVIDERS), provider_name(self.settings)

    @staticmethod
    def stages() -> dict[str, str]:
        """The stages there are, each with what it drafts."""
        from assistant.stages.registry import REGISTRY

        return {name: stage.summary for name, stage in REGISTRY.items()}

    def extract_part(self, text: str, provider: str | None = None) -> PartSpec:
        """A part spec from a free-text description (needs an LLM); show it for confirmation before drafting."""
        from assistant.stages.routing.draft import extract_part

        return extract_part(text, self.model(provider))
