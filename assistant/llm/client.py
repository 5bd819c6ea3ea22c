"""Calling a chat model: response cache, token usage and cost, and errors a user can act on."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.runnables import Runnable
from pydantic import BaseModel, ValidationError, computed_field

from assistant.errors import ProviderError
from assistant.llm.model import In, Out, Step
from assistant.llm.tokens import count_tokens
from assistant.store import Store, llm_log, now

Schema = TypeVar("Schema", bound=BaseModel)

StructuredOutput = Literal["tools", "json_schema"]
"""How a provider is made to answer in a schema: a forced tool call, or a schema-constrained response format."""


class OutputMismatchError(ProviderError):
    """The model answered, but not in the requested schema (invalid or truncated JSON, missing fields)."""

    def __init__(self, provider: str, model: str, schema: str, problem: str) -> None:
        super().__init__(
            f"{provider} model '{model}' returned output that does not fit the {schema} schema ({problem})"
        )
        self.problem = problem


def _forced_tool(chat: BaseChatModel, schema: type[BaseModel]) -> Runnable:
    """The schema as the one tool the model must call (OpenAI and servers that honour tool_choice)."""
    return chat.bind_tools([schema], tool_choice=schema.__name__)


def _response_format(chat: BaseChatModel, schema: type[BaseModel]) -> Runnable:
    """The schema as the response format: llama.cpp's server compiles it to a grammar, so decoding cannot leave it.

    `{"type": "json_object", "schema": ...}` is the form both llama-cpp-python's server and llama.cpp's
    `llama-server` turn into a grammar (llama-cpp-python's request model has no `json_schema` type).
    """
    return chat.bind(response_format={"type": "json_object", "schema": schema.model_json_schema()})


STRUCTURED_BINDERS: dict[str, Callable[[BaseChatModel, type[BaseModel]], Runnable]] = {
    "tools": _forced_tool,
    "json_schema": _response_format,
}


class Usage(BaseModel):
    """Tokens, estimated cost and time spent on LLM calls."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0
    cached_calls: int = 0
    latency_s: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def add(self, other: Usage) -> None:
        """Accumulate another call's usage."""
        for name in ("prompt_tokens", "completion_tokens", "cost_usd", "calls", "cached_calls", "latency_s"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@lru_cache(maxsize=64)
def _schema_text(schema: type[BaseModel]) -> str:
    """The JSON schema of a model as stable text (computed once per model: it is slow)."""
    return json.dumps(schema.model_json_schema(), sort_keys=True)


@dataclass(frozen=True)
class Price:
    """USD per million prompt and completion tokens."""

    prompt: float = 0.0
    completion: float = 0.0

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        """Estimated cost of one call."""
        return (prompt_tokens * self.prompt + completion_tokens * self.completion) / 1_000_000


@dataclass
class LLM:
    """A configured chat model with its provider name, cache, price and usage log."""

    provider: str
    model_name: str
    chat: BaseChatModel
    base_url: str | None = None
    price: Price = field(default_factory=Price)
    store: Store | None = None
    cache: bool = True
    explain: Callable[[Exception], ProviderError | None] | None = None
    structured_output: StructuredOutput = "tools"
    cache_scope: str | None = None  # what, besides the model and messages, keys a cached answer (else base_url)
    _runnables: dict[type, Any] = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        """`provider:model`, as drafts and answers record who wrote them."""
        return f"{self.provider}:{self.model_name}"

    def run(self, step: Step[In, Out], value: In) -> Out:
        """The step's LLM way."""
        return step.with_llm(self, value)

    # ---- cache ----------------------------------------------------------------------------------
    def _key(self, messages: Sequence[BaseMessage], kind: str) -> str:
        payload = json.dumps(
            [
                self.provider,
                self.cache_scope or self.base_url,
                self.model_name,
                kind,
                [(m.type, m.content) for m in messages],
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def _cached(self, key: str) -> str | None:
        if not (self.cache and self.store):
            return None
        return llm_log.cached_value(self.store, key)

    def _store(self, key: str, value: str) -> None:
        if self.cache and self.store:
            llm_log.put_cached(self.store, key, self.provider, value, now())

    # ---- usage ----------------------------------------------------------------------------------
    def _usage(
        self, messages: Sequence[BaseMessage], reply: AIMessage | None, text: str, seconds: float, step: str
    ) -> Usage:
        meta = reply.usage_metadata if reply is not None else None
        if meta and meta.get("input_tokens"):
            prompt, completion, counted = meta["input_tokens"], meta.get("output_tokens", 0), "api"
        else:
            prompt = sum(count_tokens(str(m.content)) + 4 for m in messages)
            completion, counted = count_tokens(text), "tiktoken"
        usage = Usage(
            prompt_tokens=prompt,
            completion_tokens=completion,
            calls=1,
            latency_s=seconds,
            cost_usd=self.price.cost(prompt, completion),
        )
        self._record(step, usage, cached=False, counted=counted)
        return usage

    def _cache_hit(self, step: str) -> Usage:
        usage = Usage(calls=1, cached_calls=1)
        self._record(step, usage, cached=True, counted="cache")
        return usage

    def _record(self, step: str, usage: Usage, cached: bool, counted: str) -> None:
        if not self.store:
            return
        call = llm_log.CallRecord(
            now(),
            self.provider,
            self.model_name,
            step,
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.cost_usd,
            usage.latency_s,
            cached,
            counted,
        )
        llm_log.record_call(self.store, call)

    @contextmanager
    def _errors(self, unexplained: bool = True) -> Iterator[None]:
        """Provider exceptions as one-line ProviderErrors; others pass through unless `unexplained` is False."""
        try:
            yield
        except ProviderError:
            raise
        except Exception as exc:
            explained = self.explain(exc) if self.explain else None
            if explained is None and unexplained:
                raise
            raise explained or ProviderError(
                f"{self.provider} model '{self.model_name}' failed: {type(exc).__name__}: {str(exc)[:200]}"
            ) from exc

    # ---- calls ----------------------------------------------------------------------------------
    def complete(self, messages: Sequence[BaseMessage], step: str) -> tuple[str, Usage]:
        """The model's reply text (from the cache when the same request was answered before)."""
        key = self._key(messages, "text")
        if (hit := self._cached(key)) is not None:
            return hit, self._cache_hit(step)
        started = time.perf_counter()
        with self._errors():
            reply = self.chat.invoke(list(messages))
        text = reply.content if isinstance(reply.content, str) else str(reply.content)
        usage = self._usage(messages, reply, text, time.perf_counter() - started, step)
        self._store(key, text)
        return text, usage

    def stream(self, messages: Sequence[BaseMessage], step: str, sink: Callable[[str], None]) -> tuple[str, Usage]:
        """Like complete(), passing each piece of text to `sink` as it arrives."""
        key = self._key(messages, "text")
        if (hit := self._cached(key)) is not None:
            sink(hit)
            return hit, self._cache_hit(step)
        started, pieces, last = time.perf_counter(), [], None
        with self._errors():
            for chunk in self.chat.stream(list(messages)):
                piece = chunk.content if isinstance(chunk.content, str) else ""
                if piece:
                    pieces.append(piece)
                    sink(piece)
                last = chunk if chunk.usage_metadata else last
        text = "".join(pieces)
        usage = self._usage(messages, last, text, time.perf_counter() - started, step)
        self._store(key, text)
        return text, usage

    def structured(self, messages: Sequence[BaseMessage], schema: type[Schema], step: str) -> tuple[Schema, Usage]:
        """A reply parsed into `schema`, asked for the provider's way (`structured_output`): a forced tool call,
        or a response format the server constrains decoding to. Any failure is a ProviderError."""
        key = self._key(messages, "schema:" + _schema_text(schema))
        if (hit := self._cached(key)) is not None:
            return schema.model_validate_json(hit), self._cache_hit(step)
        started = time.perf_counter()
        with self._errors(unexplained=False):
            if schema not in self._runnables:
                self._runnables[schema] = STRUCTURED_BINDERS[self.structured_output](self.chat, schema)
            reply = self._runnables[schema].invoke(list(messages))
        parsed = self._parse(reply, schema)
        text = parsed.model_dump_json()
        usage = self._usage(
            messages, reply if isinstance(reply, AIMessage) else None, text, time.perf_counter() - started, step
        )
        self._store(key, text)
        return parsed, usage

    def choose_tool(
        self, messages: Sequence[BaseMessage], tools: Sequence[type[BaseModel]], step: str
    ) -> tuple[BaseModel | None, Usage]:
        """The arguments of the tool the model chose to call, or None when it called none (or none that fits)."""
        key = self._key(messages, "tools:" + "|".join(_schema_text(tool) for tool in tools))
        by_name = {tool.__name__: tool for tool in tools}
        if (hit := self._cached(key)) is not None:
            return _chosen(hit, by_name), self._cache_hit(step)
        started = time.perf_counter()
        with self._errors():
            reply = self.chat.bind_tools(list(tools)).invoke(list(messages))
        calls = [c for c in getattr(reply, "tool_calls", None) or [] if c["name"] in by_name]
        text = json.dumps({"name": calls[0]["name"], "args": calls[0]["args"]} if calls else None)
        usage = self._usage(
            messages, reply if isinstance(reply, AIMessage) else None, text, time.perf_counter() - started, step
        )
        self._store(key, text)
        return _chosen(text, by_name), usage

    def _parse(self, reply: BaseMessage, schema: type[Schema]) -> Schema:
        """The tool call's arguments (or, from servers that answer in plain JSON, the content) as the schema.

        JSON text is read leniently about control characters inside strings: grammar-constrained decoding
        (llama.cpp's JSON grammar) lets a raw line break into a string, which is harmless here.
        """
        calls = getattr(reply, "tool_calls", None) or []
        broken = getattr(reply, "invalid_tool_calls", None) or []  # arguments that are not JSON, e.g. cut short
        raw: Any = calls[0]["args"] if calls else (broken[0].get("args") or "") if broken else reply.content
        try:
            if isinstance(raw, str) and not raw.strip():
                problem = "the reply was empty"
            else:
                return schema.model_validate(json.loads(raw, strict=False) if isinstance(raw, str) else raw)
        except json.JSONDecodeError as exc:
            problem = f"Invalid JSON: {exc}"
        except ValidationError as exc:
            problem = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])
        if reply.response_metadata.get("finish_reason") == "length":
            problem += "; the reply was cut at the token limit PREPRO_LLM_MAX_TOKENS"
        raise OutputMismatchError(self.provider, self.model_name, schema.__name__, problem)


def _chosen(text: str, tools: dict[str, type[BaseModel]]) -> BaseModel | None:
    """A recorded tool call ({"name", "args"} or null) as its arguments model; None when absent or invalid."""
    call = json.loads(text)
    if not call:
        return None
    try:
        return tools[call["name"]].model_validate(call["args"])
    except (KeyError, ValidationError):
        return None
