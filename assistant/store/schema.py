"""The tables prepro keeps, as SQLAlchemy Core objects (the same columns as the migrations)."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, Table, Text, UniqueConstraint, text

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
    Column("access", Text, nullable=False, server_default=text("'internal'")),  # public | internal | restricted
    Column("revision", Text),
    Column("effective_date", Text),
    Column("flagged", Integer, nullable=False, server_default=text("0")),  # passages with instruction-like text
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

users = Table(
    "users",
    metadata,
    Column("name", Text, primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", Text, nullable=False),  # engineer | technologist | reviewer | admin
    Column("active", Integer, nullable=False, server_default=text("1")),
    Column("failed_logins", Integer, nullable=False, server_default=text("0")),
    Column("locked_until", Text),
    Column("created_at", Text, nullable=False),
    Column("clearance", Text, nullable=False, server_default=text("'internal'")),  # public | internal | restricted
    Column("must_change_password", Integer, nullable=False, server_default=text("0")),  # one-time or admin-set
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", Text, primary_key=True),
    Column("user_name", Text, ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
    Column("created_at", Text, nullable=False),
    Column("expires_at", Text, nullable=False),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("stage", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("state", Text, nullable=False),  # draft | in_review | changes_requested | approved | rejected
    Column("version", Integer, nullable=False),  # the latest version: optimistic locking compares it
    Column("created_by", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    UniqueConstraint("stage", "subject", name="drafts_stage_subject"),
    sqlite_autoincrement=True,
)

draft_versions = Table(
    "draft_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content", Text, nullable=False),  # the draft's JSON
    Column("input", Text, nullable=False),  # the stage input's JSON
    Column("author", Text, nullable=False),
    Column("note", Text, nullable=False, server_default=text("''")),
    Column("created_at", Text, nullable=False),
    UniqueConstraint("draft_id", "version", name="draft_versions_draft_version"),
    sqlite_autoincrement=True,
)

comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("at", Text, nullable=False),
    sqlite_autoincrement=True,
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("decision", Text, nullable=False),  # approve | reject | request_changes
    Column("comment", Text, nullable=False, server_default=text("''")),
    Column("at", Text, nullable=False),
    sqlite_autoincrement=True,
)

document_revisions = Table(  # every indexed revision of a document, its file archived (PREPRO_HOME/revisions)
    "document_revisions",
    metadata,
    Column("doc", Text, primary_key=True),
    Column("sha256", Text, primary_key=True),
    Column("revision", Text),
    Column("effective_date", Text),
    Column("title", Text, nullable=False),
    Column("archived_path", Text, nullable=False),
    Column("archived_at", Text, nullable=False),
)

approved_sources = Table(  # the revision of each document an approved version cites, as it was at the approval
    "approved_sources",
    metadata,
    Column("decision_id", Integer, ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("doc", Text, primary_key=True),
    Column("sha256", Text, nullable=False),
    Column("revision", Text),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),
    Column("user_name", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("version", Integer),
    Column("detail", Text, nullable=False, server_default=text("''")),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),  # sha256 over the row and prev_hash: an edited row breaks the chain
    sqlite_autoincrement=True,
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_name", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    sqlite_autoincrement=True,
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
    Column("role", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("citations", Text, nullable=False, server_default=text("'[]'")),
    Column("at", Text, nullable=False),
    sqlite_autoincrement=True,
)
