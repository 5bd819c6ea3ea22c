"""The LLM response cache and the log of LLM calls (tokens, cost, latency)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import bindparam, select

from assistant.store.core import Store
from assistant.store.schema import llm_cache, llm_calls
from assistant.store.upsert import upsert

_CACHED = select(llm_cache.c.value).where(llm_cache.c.key == bindparam("key"))


@dataclass(frozen=True)
class CallRecord:
    """One LLM call (or cache hit) as the usage log keeps it."""

    at: str
    provider: str
    model: str
    step: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    latency_s: float
    cached: bool
    counted: str  # where the token counts came from: api, tiktoken or cache


def cached_value(store: Store, key: str) -> str | None:
    """The cached reply for a request key, if any."""
    with store.reading() as conn:
        value: str | None = conn.execute(_CACHED, {"key": key}).scalar()
    return value


def put_cached(store: Store, key: str, provider: str, value: str, at: str) -> None:
    """Cache a reply under its request key (replacing an older one)."""
    with store.transaction() as conn:
        upsert(conn, llm_cache, {"key": key, "provider": provider, "value": value, "created_at": at}, "key")


def record_call(store: Store, call: CallRecord) -> None:
    """Append one call to the usage log."""
    with store.transaction() as conn:
        conn.execute(llm_calls.insert().values(**{**asdict(call), "cached": int(call.cached)}))


def calls(store: Store) -> list[CallRecord]:
    """The usage log, oldest first."""
    columns = [llm_calls.c[f.name] for f in fields(CallRecord)]
    with store.reading() as conn:
        rows = conn.execute(select(*columns).order_by(llm_calls.c.id)).all()
    return [CallRecord(**{**r._asdict(), "cached": bool(r.cached)}) for r in rows]
