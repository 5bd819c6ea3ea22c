"""The tables prepro keeps, as SQLAlchemy Core objects (the same columns as the first migration)."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, Table, Text, text

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("doc", Text, primary_key=True),
    Column("path", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("pages", Integer),
    Column("image_only_pages", Integer, nullable=False, server_default=text("0")),
    Column("chunks", Integer, nullable=False),
    Column("ingested_at", Text, nullable=False),
)

chunks = Table(
    "chunks",
    metadata,
    Column("id", Text, primary_key=True),
    Column("doc", Text, ForeignKey("documents.doc", ondelete="CASCADE"), nullable=False),
    Column("ord", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("context", Text, nullable=False),
    Column("section", Text),
    Column("clauses", Text, nullable=False),
    Column("heading", Text, nullable=False),
    Column("page", Integer),
    Column("kind", Text, nullable=False),
    Column("title", Text, nullable=False),
)
Index("chunks_doc", chunks.c.doc)

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

llm_calls = Table(
    "llm_calls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),
    Column("provider", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("step", Text, nullable=False),
    Column("prompt_tokens", Integer, nullable=False),
    Column("completion_tokens", Integer, nullable=False),
    Column("cost_usd", Float, nullable=False),
    Column("latency_s", Float, nullable=False),
    Column("cached", Integer, nullable=False),
    Column("counted", Text, nullable=False),
    sqlite_autoincrement=True,
)

llm_cache = Table(
    "llm_cache",
    metadata,
    Column("key", Text, primary_key=True),
    Column("provider", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)
