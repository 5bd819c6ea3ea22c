"""Schema migrations: Alembic run in code; a database made before Alembic (SQLite user_version 2) is adopted.

A new revision (after changing schema.py): python -c "from alembic import command; from assistant.store.migrate
import alembic_config; command.revision(alembic_config(), 'what changed', autogenerate=True, rev_id='0002')"
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from assistant.errors import KnowledgeBaseError

if TYPE_CHECKING:
    from assistant.store.core import Store

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"  # the first revision: the schema prepro kept before Alembic

# The tables and columns of a pre-Alembic database (PRAGMA user_version 2), which BASELINE recreates.
LEGACY_SCHEMA: dict[str, str] = {
    "documents": "doc path sha256 title kind pages image_only_pages chunks ingested_at",
    "chunks": "id doc ord text context section clauses heading page kind title",
    "meta": "key value",
    "llm_calls": "id at provider model step prompt_tokens completion_tokens cost_usd latency_s cached counted",
    "llm_cache": "key provider value created_at",
}

# Statements that make concurrent migrations of one database wait for each other (SQLite: BEGIN IMMEDIATE).
_MIGRATION_LOCKS = {"postgresql": "SELECT pg_advisory_xact_lock(4242011)"}


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code; migrations/env.py runs on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")  # an importable module name
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None, f"no migrations in {MIGRATIONS}"
    return revision


def current(conn: Connection) -> str | None:
    """The revision a database is at (None: not under Alembic yet)."""
    return MigrationContext.configure(conn).get_current_revision()


def migrate(store: Store) -> None:
    """Bring the database to the newest revision, in one transaction; adopt a pre-Alembic database first."""
    with store.reading() as conn:
        if current(conn) == head():
            return
    with store.transaction() as conn:
        if lock := _MIGRATION_LOCKS.get(conn.dialect.name):
            conn.exec_driver_sql(lock)
        config = alembic_config(conn)
        if current(conn) is None and _adoptable(conn, store.label):
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


def _adoptable(conn: Connection, label: str) -> bool:
    """False for an empty database; True for one with the pre-Alembic schema; an error for anything else."""
    inspector = inspect(conn)
    tables = set(inspector.get_table_names())
    if not tables:
        return False
    missing: list[str] = []
    for table, columns in LEGACY_SCHEMA.items():
        if table not in tables:
            missing.append(f"table {table}")
            continue
        present = {column["name"] for column in inspector.get_columns(table)}
        missing += [f"column {table}.{name}" for name in columns.split() if name not in present]
    if missing:
        raise KnowledgeBaseError(
            f"the database {label} was not made by prepro (or is damaged): it has tables "
            f"{', '.join(sorted(tables))} but lacks {', '.join(missing)}; move it away or set PREPRO_HOME "
            "(or PREPRO_DATABASE_URL) to another location, then re-ingest"
        )
    return True
