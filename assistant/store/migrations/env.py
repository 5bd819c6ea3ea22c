"""Alembic environment: migrations run on the connection (and inside the transaction) the store passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from assistant.store.schema import metadata


def run(connection: Connection) -> None:
    """Run the pending migrations on the connection."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if _connection is not None:
    run(_connection)
else:  # the `alembic` command run by hand (e.g. `revision --autogenerate`): the configured database
    from assistant.config import Settings
    from assistant.store.engine import create_engine_for

    with create_engine_for(Settings()).connect() as _own:
        run(_own)
