"""The review workspace: users and sessions, drafts with their versions, comments and review decisions, the
hash-chained audit log, chat conversations; documents gain an access level, revision, effective date and the
count of passages flagged at ingest.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def upgrade() -> None:
    """Create the workspace tables and the new document columns."""
    # plain ALTER TABLE ADD COLUMN: a batch copy of `documents` on SQLite would cascade-delete the chunks
    op.add_column("documents", sa.Column("access", sa.Text, nullable=False, server_default=sa.text("'internal'")))
    op.add_column("documents", sa.Column("revision", sa.Text))
    op.add_column("documents", sa.Column("effective_date", sa.Text))
    op.add_column("documents", sa.Column("flagged", sa.Integer, nullable=False, server_default=sa.text("0")))
    op.create_table(
        "users",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("active", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("locked_until", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.Text, primary_key=True),
        sa.Column("user_name", sa.Text, sa.ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("expires_at", sa.Text, nullable=False),
    )
    op.create_table(
        "drafts",
        _id(),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.UniqueConstraint("stage", "subject", name="drafts_stage_subject"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "draft_versions",
        _id(),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=sa.text("''")),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.UniqueConstraint("draft_id", "version", name="draft_versions_draft_version"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "comments",
        _id(),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "decisions",
        _id(),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=sa.text("''")),
        sa.Column("at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "audit_log",
        _id(),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("user_name", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("version", sa.Integer),
        sa.Column("detail", sa.Text, nullable=False, server_default=sa.text("''")),
        sa.Column("prev_hash", sa.Text, nullable=False),
        sa.Column("hash", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "conversations",
        _id(),
        sa.Column("user_name", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "messages",
        _id(),
        sa.Column("conversation_id", sa.Integer, sa.ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("citations", sa.Text, nullable=False, server_default=sa.text("'[]'")),
        sa.Column("at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Drop the workspace tables and the new document columns."""
    for name in ("messages", "conversations", "audit_log", "decisions", "comments", "draft_versions", "drafts"):
        op.drop_table(name)
    op.drop_table("sessions")
    op.drop_table("users")
    for column in ("flagged", "effective_date", "revision", "access"):
        op.drop_column("documents", column)  # SQLite 3.35+ drops a column in place
