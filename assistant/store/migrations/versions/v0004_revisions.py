"""Every indexed revision of a document is kept (its file archived under PREPRO_HOME/revisions), and an approval
records the revision of each document the approved draft cites.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "document_revisions",
        sa.Column("doc", sa.Text, primary_key=True),
        sa.Column("sha256", sa.Text, primary_key=True),
        sa.Column("revision", sa.Text),
        sa.Column("effective_date", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("archived_path", sa.Text, nullable=False),
        sa.Column("archived_at", sa.Text, nullable=False),
    )
    op.create_table(
        "approved_sources",
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("doc", sa.Text, primary_key=True),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("revision", sa.Text),
    )


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_table("approved_sources")
    op.drop_table("document_revisions")
