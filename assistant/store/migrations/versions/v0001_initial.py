"""The schema prepro kept before Alembic (SQLite PRAGMA user_version 2): manifest, chunks, meta, LLM log and cache.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create documents, chunks, meta, llm_calls and llm_cache."""
    op.create_table(
        "documents",
        sa.Column("doc", sa.Text, primary_key=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("pages", sa.Integer),
        sa.Column("image_only_pages", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("chunks", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.Text, nullable=False),
    )
    op.create_table(
        "chunks",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("doc", sa.Text, sa.ForeignKey("documents.doc", ondelete="CASCADE"), nullable=False),
        sa.Column("ord", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("section", sa.Text),
        sa.Column("clauses", sa.Text, nullable=False),
        sa.Column("heading", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
    )
    op.create_index("chunks_doc", "chunks", ["doc"])
    op.create_table("meta", sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "llm_calls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("step", sa.Text, nullable=False),
        sa.Column("prompt_tokens", sa.Integer, nullable=False),
        sa.Column("completion_tokens", sa.Integer, nullable=False),
        sa.Column("cost_usd", sa.Float, nullable=False),
        sa.Column("latency_s", sa.Float, nullable=False),
        sa.Column("cached", sa.Integer, nullable=False),
        sa.Column("counted", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "llm_cache",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop every table of this revision."""
    for table in ("llm_cache", "llm_calls", "meta", "chunks", "documents"):
        op.drop_table(table)
