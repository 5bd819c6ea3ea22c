"""The bench suites score on: assistants with their own homes under PREPRO_HOME/evals, so a run never depends on
the user's knowledge base, the provider under test, the support test (a judge's or lexical) and the seed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ConfigError
from assistant.evaluation.grounding import Support, lexical_support
from assistant.evaluation.paths import evals_home, shared_data
from assistant.resources import knowledge_dir

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.config import Settings
    from assistant.evaluation.judge import Judge
    from assistant.evaluation.naive import NaiveRag
    from assistant.store import Store


CORPORA = {"shipped": "*", "realdocs": "*.pdf"}  # which files of the folder the corpus is (realdocs: its PDFs)


def corpus_folder(name: str) -> Path:
    """The documents of a corpus: `shipped` (prepro's knowledge base) or `realdocs` (../shared/realdocs)."""
    if name not in CORPORA:
        raise ConfigError(f"unknown eval corpus {name!r} (known: {', '.join(CORPORA)})")
    return knowledge_dir() if name == "shipped" else shared_data("realdocs")


def corpus_files(name: str) -> list[Path]:
    """The corpus's documents as an ingest of its folder finds them (what is indexed and what its hash covers)."""
    from assistant.retrieval.index import discover

    folder = corpus_folder(name)
    return sorted(p for p in discover([folder])[0] if p.match(CORPORA[name])) if folder.is_dir() else []


@dataclass
class Bench:
    """What a suite sees while it scores cases."""

    settings: Settings
    provider: str | None = None
    judge: Judge | None = None
    seed: int = 0
    status: Callable[[str], None] = lambda what: None
    _assistants: dict[str, Assistant] = field(default_factory=dict)
    _naive: dict[str, NaiveRag] = field(default_factory=dict)
    baseline: dict[str, int] = field(default_factory=dict)  # calls each home had logged when the run opened it
    ingests: dict[str, dict[str, object]] = field(default_factory=dict)  # per corpus: the ingest's summary

    def _assistant(self, name: str) -> Assistant:
        if name not in self._assistants:
            from assistant.api import Assistant

            home = evals_home(self.settings.home) / name
            update = {"home": home, "database_url": None, "chroma_host": None, "user": None}  # its own index, locally
            from assistant.store import llm_log

            helper = Assistant(self.settings.model_copy(update=update))
            self._assistants[name] = helper
            self.baseline[name] = len(llm_log.calls(helper.index.store))
        return self._assistants[name]

    def drafter(self) -> Assistant:
        """An assistant whose knowledge base stays empty: drafts scored on rules alone, the same on every machine."""
        return self._assistant("drafts")

    def indexed(self, corpus: str = "shipped") -> Assistant:
        """An assistant with the corpus indexed (the first time takes a minute; unchanged files cost nothing)."""
        key = f"index-{corpus}"
        fresh = key not in self._assistants
        helper = self._assistant(key)
        if fresh:
            folder = corpus_folder(corpus)
            if not folder.is_dir():
                raise ConfigError(f"the {corpus} corpus is not at {folder}")
            self.status(f"indexing the {corpus} corpus")
            files = corpus_files(corpus)
            report = helper.ingest(files)
            for stale in {s.doc for s in helper.sources()} - {p.name for p in files}:  # left by an older corpus
                helper.remove(stale)
            failed = [f"{f.doc}: {f.reason}" for f in report.files if f.status == "failed"]
            self.ingests[corpus] = {"summary": report.summary(), "failed": failed}  # a file that fails is measured
        return helper

    def naive(self, corpus: str) -> NaiveRag:
        """The naive LangChain pipeline over the corpus's PDFs, with prepro's embeddings, built afresh once per run
        (PREPRO_HOME/evals/naive-<corpus>); ImportError without the `dev` extra."""
        if corpus not in self._naive:
            from assistant.evaluation.naive import NaiveRag

            folder = evals_home(self.settings.home) / f"naive-{corpus}"
            shutil.rmtree(folder, ignore_errors=True)  # re-adding to a kept collection would double every chunk
            rag = NaiveRag(self.indexed(corpus).index.embeddings, folder)
            self.status(f"indexing the {corpus} corpus with the naive LangChain pipeline")
            rag.ingest([p for p in corpus_files(corpus) if p.suffix.lower() == ".pdf"])
            self._naive[corpus] = rag
        return self._naive[corpus]

    @property
    def support(self) -> Support:
        """Whether a passage supports a statement: the judge's verdict, or the lexical test without a judge."""
        return self.judge.supports if self.judge else lexical_support

    def stores(self) -> dict[str, Store]:
        """The stores of the assistants used so far and the judge's (they log the LLM calls the run made)."""
        stores = {name: helper.index.store for name, helper in self._assistants.items()}
        if self.judge:
            from assistant.store import llm_log

            self.baseline.setdefault("judge", len(llm_log.calls(self.judge.store)))
            stores["judge"] = self.judge.store
        return stores

    def call_counts(self) -> dict[str, int]:
        """How many calls each store has logged so far."""
        from assistant.store import llm_log

        return {name: len(llm_log.calls(store)) for name, store in self.stores().items()}

    def provider_name(self) -> str:
        """The provider under test, as the settings resolve it."""
        return self.drafter().providers()[1] if self.provider is None else self.provider

    def support_name(self) -> str:
        """How statement support is decided: `lexical`, or `judge:<model>`."""
        return f"judge:{self.judge.label}" if self.judge else "lexical"

    def tier(self) -> str:
        """`deterministic` (offline, no judge: runs repeat exactly, compared case by case) or `stochastic`."""
        return "deterministic" if self.provider_name() == "offline" and self.judge is None else "stochastic"
