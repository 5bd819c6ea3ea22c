"""The only module that talks to the database: SQLAlchemy Core over a SQLite file or PostgreSQL, Alembic migrations.

`open_store(settings)` gives the migrated `Store`; `documents`, `meta` and `llm_log` read and write through it.
"""

from assistant.store.core import Store, now, open_store

__all__ = ["Store", "now", "open_store"]
