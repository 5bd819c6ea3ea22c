"""Accounts gain a clearance (the most confidential access level they read) and a flag that a one-time or
admin-set password must be changed before anything else.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns; existing admins keep reading restricted documents, everyone else internal ones."""
    op.add_column("users", sa.Column("clearance", sa.Text, nullable=False, server_default=sa.text("'internal'")))
    op.add_column("users", sa.Column("must_change_password", sa.Integer, nullable=False, server_default=sa.text("0")))
    op.execute("UPDATE users SET clearance = 'restricted' WHERE role = 'admin'")


def downgrade() -> None:
    """Drop the columns."""
    op.drop_column("users", "must_change_password")
    op.drop_column("users", "clearance")
