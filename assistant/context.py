"""What a stage sees of the assistant while it drafts (stages.base.StageContext), and the helpers the facade uses
to find a stage and the access levels a user reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.errors import KnowledgeBaseError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from assistant.api import Assistant
    from assistant.catalog import Catalog
    from assistant.llm.model import Model
    from assistant.progress import ProgressFn
    from assistant.retrieval.access import AccessLevel
    from assistant.retrieval.models import Passage
    from assistant.stages.base import Stage
    from assistant.workspace import User


def load_stage(name: str) -> Stage:
    """A registered stage by name (an unknown one lists the stages there are)."""
    from assistant.stages.registry import get_stage

    return get_stage(name)


def _load_catalog() -> Catalog:
    from assistant.catalog import load_catalog

    return load_catalog()


@dataclass
class Retrieval:
    """Passages retrieved for a draft, and why there are none when the knowledge base could not give any."""

    passages: list[Passage] = field(default_factory=list)
    problem: str | None = None


@dataclass
class DraftContext:
    """What a stage sees of the assistant while it drafts (assistant.stages.base.StageContext)."""

    assistant: Assistant
    model: Model
    catalog: Catalog = field(default_factory=_load_catalog)
    progress: ProgressFn | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    allowed: frozenset[AccessLevel] | None = None  # access levels the draft may read (None: every level)

    def retrieve(self, query: str, k: int = 6) -> Retrieval:
        """Passages for the query (of the allowed access levels); an empty, changed or unreachable index is
        reported as the problem."""
        try:
            with self.assistant.search_lock:
                return Retrieval(self.assistant.search(query, k=k, allowed=self.allowed))
        except KnowledgeBaseError as exc:
            return Retrieval(problem=str(exc))

    def draft(
        self, stage: str, source: Any, options: Mapping[str, str] | None = None, worded: bool = True
    ) -> BaseModel:
        """Another stage's draft with that stage's options, made with the same model (or offline)."""
        spec = load_stage(stage)
        model = self.model if worded else self.assistant.model("offline")
        progress = self.progress if worded else None
        context = DraftContext(self.assistant, model, self.catalog, progress, dict(options or {}), self.allowed)
        return spec.draft(context, spec.load_input(source))

    def report(self, done: int, total: int, what: str) -> None:
        """Pass the draft's progress to whoever asked for it."""
        if self.progress:
            self.progress(done, total, what)


def readable_by(user: User | None) -> frozenset[AccessLevel] | None:
    """The access levels a user's drafts and answers may read (None: local trusted use, everything)."""
    return user.readable if user is not None else None
