"""The Python API: one object that batch users, the CLI and the UI all call."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.context import DraftContext, load_stage, readable_by
from assistant.errors import (
    AuthenticationError,
    EditConflict,
    InputError,
    PermissionDenied,
    PreproError,
)
from assistant.lazy import lazy_exports

# Everything else is imported where it is used, so that `import assistant.api` (every CLI call, `prepro --help`
# included) does not pay for LangChain, SQLAlchemy, Chroma or torch; the re-exported names load on first use.
if TYPE_CHECKING:
    from assistant.batch import BatchResult
    from assistant.chat.grounded import Answer, Turn
    from assistant.config import Settings
    from assistant.context import Retrieval
    from assistant.draft_table import FINDINGS, ROW, Edited, rows_of, table_spec
    from assistant.evaluation.overview import EvalOverview
    from assistant.llm.model import Model
    from assistant.pages_view import CitedPage
    from assistant.parts.model import Feature, PartSpec
    from assistant.progress import ProgressFn
    from assistant.retrieval.access import AccessLevel
    from assistant.retrieval.index import KnowledgeIndex
    from assistant.retrieval.loaders import DOC_KINDS
    from assistant.retrieval.models import IngestReport, Passage, Source
    from assistant.stages.findings import Finding, Severity, count
    from assistant.uploads import UPLOAD_LIMITS
    from assistant.workspace import User, Workspace

_WORKSPACE_TYPES = (
    "LOCAL_USER",
    "PERMISSIONS",
    "Action",
    "Anomaly",
    "ApprovedRevision",
    "AuditAction",
    "AuditCheck",
    "AuditRecord",
    "Change",
    "CommentRecord",
    "ConversationRecord",
    "DecisionRecord",
    "Diff",
    "DraftRecord",
    "FirstAdmin",
    "Message",
    "ReviewState",
    "Role",
    "Session",
    "User",
    "Version",
    "Workspace",
)
_EXPORTS = {
    "Retrieval": "assistant.context",
    "AccessLevel": "assistant.retrieval.access",
    "Answer": "assistant.chat.grounded",
    "CitedPage": "assistant.pages_view",
    "DOC_KINDS": "assistant.retrieval.loaders",
    "Feature": "assistant.parts.model",
    "PartSpec": "assistant.parts.model",
    "Edited": "assistant.draft_table",
    "rows_of": "assistant.draft_table",
    "table_spec": "assistant.draft_table",
    "ROW": "assistant.draft_table",
    "FINDINGS": "assistant.draft_table",
    "UPLOAD_LIMITS": "assistant.uploads",
    "BatchResult": "assistant.batch",
    "Finding": "assistant.stages.findings",
    "IngestReport": "assistant.retrieval.models",
    "Passage": "assistant.retrieval.models",
    "Severity": "assistant.stages.findings",
    "Source": "assistant.retrieval.models",
    "Turn": "assistant.chat.grounded",
    "count": "assistant.stages.findings",
    **dict.fromkeys(_WORKSPACE_TYPES, "assistant.workspace"),
}

__all__ = [
    "Retrieval",
    "DOC_KINDS",
    "FINDINGS",
    "ROW",
    "UPLOAD_LIMITS",
    "AccessLevel",
    "Answer",
    "Assistant",
    "AuthenticationError",
    "BatchResult",
    "CitedPage",
    "Edited",
    "EditConflict",
    "ExportedFile",
    "Feature",
    "Finding",
    "IngestReport",
    "PartSpec",
    "Passage",
    "PermissionDenied",
    "PreproError",
    "Severity",
    "Source",
    "Turn",
    "count",
    "rows_of",
    "table_spec",
    *_WORKSPACE_TYPES,
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


_DOCUMENT_CHANGE = {"added": "document_add", "updated": "document_update"}  # ingest outcome → audit action


@dataclass(frozen=True)
class ExportedFile:
    """An exported draft: its file name, content, and whether the content is text (JSON, Markdown)."""

    name: str
    data: bytes
    text: bool


class Assistant:
    """prepro's entry point: knowledge base, grounded answers, stage drafts and the review workspace.

    Methods that take `user=` (a `User` from `workspace.login`/`authenticate`) check that user's role and
    write the audit log. Without a user a call acts for the account PREPRO_USER names (its role and clearance
    apply, and it is audited), or else is local trusted use (a CLI command, a batch script run by whoever owns
    PREPRO_HOME): nothing is checked or audited, and every document is read.
    """

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

    @cached_property
    def workspace(self) -> Workspace:
        """Accounts, drafts under review, the audit log and conversations (assistant.workspace), in the same
        database as the index; approvals re-run the stage's checks, exports render as `export_file` does."""
        from assistant.workspace import Workspace

        return Workspace(
            self.index.store,
            self.settings,
            errors_of=self._error_messages,
            exporter=self.export_file,
            revision_of=self._kept_revision,
        )

    def _kept_revision(self, doc: str) -> tuple[str, str | None] | None:
        """A document's indexed content (hash, revision label), its file archived for later citations."""
        record = self.index.keep_current_revision(doc)
        return (record.sha256, record.revision) if record else None

    def acting_user(self) -> User | None:
        """The account PREPRO_USER names, as the database has it now (None when unset: local trusted use)."""
        return self.workspace.account(self.settings.user) if self.settings.user else None

    def _allow(self, user: User | None, action: str, stage: str | None = None) -> User | None:
        """The acting user (`user`, else PREPRO_USER's), checked for an action, and for drafting a `stage` that
        the role authors it (None: local trusted use)."""
        from assistant.workspace import Action

        acting = user or self.acting_user()
        if acting is None:
            return None
        if stage is None:
            return self.workspace.require(acting, Action(action))
        return self.workspace.require_stage(acting, Action(action), stage)

    def _readable(self, allowed: frozenset[AccessLevel] | None) -> frozenset[AccessLevel] | None:
        """The access levels a read uses: those given, else PREPRO_USER's clearance (None: every level)."""
        return allowed if allowed is not None else readable_by(self.acting_user())

    def _audit(self, user: User | None, action: str, target: str, detail: str = "") -> None:
        from assistant.workspace import AuditAction

        if user is not None:
            self.workspace.record(user, AuditAction(action), target, detail=detail)

    def ingest(
        self,
        paths: Sequence[Path | str],
        password: str | None = None,
        kind: str | None = None,
        force: bool = False,
        progress: ProgressFn | None = None,
        user: User | None = None,
        *,
        access: str | None = None,
        title: str | None = None,
        revision: str | None = None,
        effective_date: str | None = None,
    ) -> IngestReport:
        """Index files and folders (PDF, DOCX, Markdown, text, YAML catalogues); with `user`, admins only.

        `access` (public, internal, restricted; default internal, and a re-indexed document keeps its level),
        `revision` and `effective_date` (YYYY-MM-DD) are stored with each document; `title` names a single file.
        """
        acting = self._allow(user, "manage_documents")
        report = self.index.ingest(
            paths,
            password=password,
            kind=kind,
            force=force,
            progress=progress,
            access=access,
            title=title,
            revision=revision,
            effective_date=effective_date,
        )
        for outcome in report.files:
            if outcome.status in {"added", "updated"}:
                self._audit(acting, _DOCUMENT_CHANGE[outcome.status], outcome.doc)
        return report

    def search(
        self,
        query: str,
        k: int = 5,
        kind: str | None = None,
        doc: str | None = None,
        mode: str = "hybrid",
        allowed: frozenset[AccessLevel] | None = None,
    ) -> list[Passage]:
        """The k best cited passages for a query, from documents of the `allowed` access levels (None: all);
        none when nothing in the knowledge base matches well (PREPRO_MIN_RELEVANCE)."""
        return self.index.search(query, k=k, kind=kind, doc=doc, mode=mode, allowed=self._readable(allowed))

    def sources(self, allowed: frozenset[AccessLevel] | None = None) -> list[Source]:
        """What is indexed (the documents of the `allowed` access levels; None: all), flagged passages counted."""
        return self.index.sources(self._readable(allowed))

    def remove(self, doc: str, user: User | None = None) -> int:
        """Delete a document from the index; returns the number of chunks removed; with `user`, admins only."""
        acting = self._allow(user, "manage_documents")
        removed = self.index.remove(doc)
        self._audit(acting, "document_remove", doc, f"{removed} chunks")
        return removed

    def upload(
        self,
        files: Sequence[tuple[str, bytes]],
        user: User | None = None,
        *,
        replaces: str | None = None,
        password: str | None = None,
        progress: ProgressFn | None = None,
        **meta: Any,
    ) -> IngestReport:
        """Index uploaded files (name, content) kept under PREPRO_HOME/uploads, each within the upload limits
        (assistant.uploads); `replaces` names the document one file replaces; `meta` as for `ingest`."""
        from assistant.uploads import keep_uploads

        self._allow(user, "manage_documents")
        for name in {replaces or Path(name).name for name, _ in files}:
            self.index.keep_current_revision(name)  # before its file is overwritten: approvals may cite it
        paths = keep_uploads(self.settings.home / "uploads", list(files), replaces)
        return self.ingest(paths, password=password, progress=progress, user=user, **meta)

    def cited_page(
        self,
        doc: str,
        page: int | None,
        passage: str,
        allowed: frozenset[AccessLevel] | None = None,
        sha256: str | None = None,
    ) -> CitedPage:
        """What a citation opens: the PDF page as a PNG with the passage highlighted, or the passage in its
        document's text; a document outside the `allowed` access levels is not shown. `sha256` opens the
        revision of that content (an approval's, kept when the document was replaced) instead of the current one."""
        from assistant.pages_view import cited_page

        found = [s for s in self.sources(allowed) if s.doc == doc]
        if not found:
            raise InputError(f"no indexed document named '{doc}' that you may read")
        path = self.index.revision_file(doc, sha256) if sha256 else Path(found[0].path)
        return cited_page(path, doc, page, passage)

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
        allowed: frozenset[AccessLevel] | None = None,
    ) -> Answer:
        """Answer a question from the indexed documents of the `allowed` access levels (None: all), with citations."""
        from assistant.chat.grounded import GroundedChat

        chat = GroundedChat(self.index, self.model(provider), k=k, allowed=self._readable(allowed))
        return chat.ask(question, history)

    def stream(
        self,
        question: str,
        history: Sequence[Turn | dict[str, str] | tuple[str, str]] | None = None,
        provider: str | None = None,
        k: int = 5,
        allowed: frozenset[AccessLevel] | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is produced, then the complete Answer (`allowed` as for `ask`)."""
        from assistant.chat.grounded import Answer, GroundedChat

        pieces: queue.Queue[str | Answer | BaseException] = queue.Queue()
        chat = GroundedChat(self.index, self.model(provider), k=k, allowed=self._readable(allowed))

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
        user: User | None = None,
    ) -> Any:
        """A stage's draft (stage `routing`: the route card of PART_SPEC.md for a part spec, dict or file);
        `progress(done, total, what)` follows long work inside it (an LLM wording the operations); `options`
        are the stage's (routing: `equipment` = by-production, universal or cnc); with `user`, authors only, and
        the draft reads only the documents that user may read."""
        acting = self._allow(user, "draft", stage)
        spec = load_stage(stage)
        model = self.model(provider)
        value = spec.load_input(source)
        context = DraftContext(self, model, progress=progress, options=dict(options or {}), allowed=readable_by(acting))
        made = spec.draft(context, value)
        self._audit(acting, "draft", f"{stage}/{spec.subject(value)}", f"model {model.label}")
        return made

    def _error_messages(self, stage: str, draft: Any, source: Any) -> list[str]:
        """The messages of the error findings the stage's checks give on a draft (what blocks an approval)."""
        from assistant.stages.findings import Severity

        return [f.message for f in self.check(stage, draft, source) if f.severity is Severity.ERROR]

    def check(self, stage: str, draft: Any, source: Any) -> list[Finding]:
        """The checks' findings on a draft, whoever wrote it, against its input (a part spec for routing)."""
        spec = load_stage(stage)
        context = DraftContext(self, self.model("offline"))
        return spec.check(context, spec.load_draft(draft), spec.load_input(source))

    def edit_draft(
        self, stage: str, draft: Any, source: Any, table: Sequence[Mapping[str, Any]] | None = None
    ) -> Edited:
        """A draft (JSON value) with a person's table edits (`draft_table.rows_of` rows; None: as it is), re-checked
        against its input: the edited JSON, its findings refreshed, and the findings to show, errors first."""
        from assistant.draft_table import edited

        return edited(stage, draft, table, lambda value: self.check(stage, value, source))

    def export(self, stage: str, draft: Any, fmt: str, source: Any = None, user: User | None = None) -> bytes:
        """A draft as a file's content in one of the stage's formats; `source` (its input) fills the header;
        with `user`, authors and reviewers only."""
        return self.export_file(stage, draft, fmt, source, user=user).data

    def export_file(self, stage: str, draft: Any, fmt: str, source: Any, user: User | None = None) -> ExportedFile:
        """A draft as a named file (`<subject>.<fmt>`), and whether its content is text."""
        from assistant.batch import slug
        from assistant.export import render

        acting = self._allow(user, "export")
        spec = load_stage(stage)
        context = DraftContext(self, self.model("offline"))
        value = spec.load_input(source) if source is not None else None
        header = spec.header(context, value) if value is not None else None
        data = render(spec.exporters, spec.load_draft(draft), fmt, header)
        name = spec.file_name(slug(spec.subject(value)) if value is not None else "draft", fmt)
        self._audit(acting, "export", f"{stage}/{spec.subject(value) if value is not None else name}", fmt)
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
        """Draft many inputs; with `outdir`, one file per item is written and items already there are skipped.
        With PREPRO_USER set, that user must be an author and the drafts read only what that user may read."""
        from assistant.batch import run_batch

        acting = self._allow(None, "draft", stage)
        spec = load_stage(stage)
        model = self.model(provider)  # fails fast on a bad provider before any item
        context = DraftContext(self, model, allowed=readable_by(acting))
        self._audit(acting, "draft", f"{stage}/batch", f"model {model.label}")
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
    def stages(role: str | None = None) -> dict[str, str]:
        """The stages there are (or those a `role` drafts: engineers research and design, technologists routing
        and organization), each with what it drafts."""
        from assistant.stages.registry import REGISTRY

        return {name: stage.summary for name, stage in REGISTRY.items() if role in {None, stage.author}}

    @staticmethod
    def formats(stage: str) -> list[str]:
        """The formats a stage's drafts export to (json, md, docx, ... as `export` takes them)."""
        return list(load_stage(stage).exporters)

    def evaluations(self) -> EvalOverview:
        """The saved eval runs under PREPRO_HOME/evals, read only: each suite's latest run with its aggregates,
        the trend of its metrics over runs, and the cases worse than in the previous run of that suite."""
        from assistant.evaluation.overview import overview

        return overview(self.settings.home)

    @staticmethod
    def samples(stage: str) -> dict[str, Path]:
        """The sample inputs of a stage shipped in a source checkout (evals/datasets), by name."""
        from assistant.stage_inputs import samples

        return samples(stage)

    @staticmethod
    def read_input(stage: str, name: str, data: bytes | None = None) -> Any:
        """The raw input (a dict) of a stage read from a file: a sample by name, or uploaded content named `name`."""
        from assistant.stage_inputs import read_one, read_upload, samples

        if data is not None:
            return read_upload(stage, name, data)
        found = samples(stage)
        if name not in found:
            raise InputError(f"no sample '{name}' for stage {stage} (samples: {', '.join(found) or 'none'})")
        return read_one(stage, found[name])

    def extract_part(self, text: str, provider: str | None = None) -> PartSpec:
        """A part spec from a free-text description (needs an LLM); show it for confirmation before drafting."""
        from assistant.stages.routing.draft import extract_part

        return extract_part(text, self.model(provider))
