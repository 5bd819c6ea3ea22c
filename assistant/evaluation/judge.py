"""The LLM judge: does a passage support a statement? A G-Eval-style rubric (prompts/eval_judge.md) scored 1-5;
4 or 5 is support. Verdicts are cached in the store by a hash of judge model, prompt version, inputs, decoding
parameters and the repeat, so a warm re-run makes no call. The verdict is asked for in a schema (a forced tool
call, or decoding constrained to it on llama.cpp); a reply that does not fit is asked again once, then counted as
a failure (and as no support), never dropped."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, Field

from assistant.errors import ProviderError
from assistant.llm.client import LLM, OutputMismatchError
from assistant.llm.prompts import load_prompt
from assistant.resources import prompts_dir
from assistant.store import Store, llm_log, now

PROMPT = "eval_judge"
SUPPORTED_FROM = 4
FAILED = '{"failed": true}'  # cached in place of a verdict that failed twice


def prompt_version() -> str:
    """The first 12 hex digits of the judge prompt file's SHA-256."""
    return hashlib.sha256((prompts_dir() / f"{PROMPT}.md").read_bytes()).hexdigest()[:12]


def _misfit(exc: ProviderError) -> bool:
    """The reply came but does not fit the verdict (bad JSON, or cut at the token limit); not a dead server."""
    return isinstance(exc, OutputMismatchError) or type(exc.__cause__).__name__ == "LengthFinishReasonError"


class Verdict(BaseModel):
    """The judge's reply: a support score and one sentence of reason."""

    score: int = Field(ge=1, le=5)
    reason: str = Field("", max_length=300)  # bounded, so that a constrained decoder closes the object


@dataclass
class Judge:
    """A judge on one LLM; `sample` is the repeat being scored (each repeat is its own cached sample)."""

    llm: LLM
    store: Store
    sample: int = 0
    stats: dict[str, int] = field(default_factory=lambda: {"calls": 0, "cached": 0, "retries": 0, "failures": 0})

    @property
    def label(self) -> str:
        """provider:model of the judge."""
        return self.llm.label

    def decoding(self) -> dict[str, Any]:
        """The decoding parameters that change a verdict."""
        chat = self.llm.chat
        return {"temperature": getattr(chat, "temperature", None), "max_tokens": getattr(chat, "max_tokens", None)}

    def key(self, statement: str, passage: str) -> str:
        """The cache key of one verdict."""
        payload = [self.label, prompt_version(), statement, passage, self.decoding(), self.sample]
        return "eval-judge:" + hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()

    def score(self, statement: str, passage: str) -> int | None:
        """The 1-5 support score (None after two replies that do not fit the verdict schema)."""
        key = self.key(statement, passage)
        if (hit := llm_log.cached_value(self.store, key)) is not None:
            self.stats["cached"] += 1
            if hit == FAILED:
                self.stats["failures"] += 1
                return None
            return Verdict.model_validate_json(hit).score
        messages = load_prompt(PROMPT).render(passage=passage, statement=statement)
        uncached = replace(self.llm, cache=False)  # each repeat is a fresh sample; this cache keys the verdicts
        for attempt in range(2):
            self.stats["calls"] += 1
            try:
                verdict, _ = uncached.structured(messages, Verdict, step="eval_judge")
            except ProviderError as exc:
                if not _misfit(exc):
                    raise
                self.stats["retries"] += attempt == 0
                continue
            llm_log.put_cached(self.store, key, self.llm.provider, verdict.model_dump_json(), now())
            return verdict.score
        self.stats["failures"] += 1
        llm_log.put_cached(self.store, key, self.llm.provider, FAILED, now())  # a re-run repeats it, for free
        return None

    def supports(self, statement: str, passage: str) -> bool:
        """Support is a score of 4 or 5; a failed verdict counts as no support (and in `stats`)."""
        verdict = self.score(statement, passage)
        return verdict is not None and verdict >= SUPPORTED_FROM
