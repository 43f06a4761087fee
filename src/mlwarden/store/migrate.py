"""Schema migrations, run programmatically each time a store opens (Alembic, scripts inside the package).

The upgrade runs in one transaction that first takes the database's write lock (SQLite ``BEGIN
IMMEDIATE``) or a transaction-scoped advisory lock (PostgreSQL), so two mlwarden runs opening a
fresh database at once do not both try to create the tables; the second one finds them at head.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

__all__ = ["SCRIPT_LOCATION", "alembic_config", "current_revision", "head_revision", "upgrade"]

SCRIPT_LOCATION = "mlwarden.store:migrations"
# An arbitrary, fixed key for pg_advisory_xact_lock: "mlwd" in ASCII.
_PG_LOCK_KEY = 0x6D6C7764


def alembic_config(connection: Connection | None = None) -> Config:
    """An in-memory Alembic config pointing at the package's migrations (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision shipped with this mlwarden."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError("no migrations found in mlwarden.store.migrations")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or ``None`` for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> tuple[str | None, str]:
    """Bring the database to ``target`` in one locked transaction; return (revision before, after)."""
    writer = engine.execution_options(mlwarden_begin="IMMEDIATE")
    with writer.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        before = current_revision(connection)
        wanted = head_revision() if target == "head" else target
        if before != wanted:
            command.upgrade(alembic_config(connection), target)
        after = current_revision(connection)
    return before, after or ""


def downgrade(engine: Engine, target: str) -> None:
    """Step the schema back to ``target`` (``base`` drops every table); used by the migration tests."""
    writer = engine.execution_options(mlwarden_begin="IMMEDIATE")
    with writer.begin() as connection:
        command.downgrade(alembic_config(connection), target)
