"""Alembic environment: mlwarden always passes the connection (``config.attributes["connection"]``).

There is no ``alembic.ini`` and no URL here: the store opens the connection, holds the write lock or
advisory lock, and hands it over, so migrations run inside the caller's transaction.
"""

from __future__ import annotations

from alembic import context

from mlwarden.store.schema import metadata

_connection = context.config.attributes.get("connection")
if _connection is None:
    raise RuntimeError("mlwarden migrations run through mlwarden.store (mlwarden db upgrade), not the alembic CLI")
context.configure(connection=_connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
