"""Migrations: a migrated database has exactly schema.py's schema, step by step or at once, and keeps data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from tests.store.helpers import make_result

from mlwarden.store import SqlStore
from mlwarden.store.migrate import alembic_config, current_revision, downgrade, head_revision, upgrade
from mlwarden.store.schema import metadata
from mlwarden.store.url import create_store_engine


def _schema(engine: Engine) -> dict[str, Any]:
    """Tables, columns (type, nullability), indexes, unique and foreign keys, as the database reports them."""
    inspector = inspect(engine)
    shape: dict[str, Any] = {}
    for table in sorted(t for t in inspector.get_table_names() if t != "alembic_version"):
        shape[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            "indexes": sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
            "foreign": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"]) for f in inspector.get_foreign_keys(table)
            ),
        }
    return shape


def test_migrated_schema_equals_schema_py(store_url: str) -> None:
    engine = create_store_engine(store_url)
    try:
        assert upgrade(engine) == (None, head_revision())
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_fresh_and_stepwise_upgraded_databases_have_the_same_schema(tmp_path: Path) -> None:
    fresh = create_store_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    stepped = create_store_engine(f"sqlite:///{tmp_path / 'stepped.db'}")
    try:
        metadata.create_all(fresh)
        revisions = [script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
        for revision in reversed(revisions):
            upgrade(stepped, revision)
            with stepped.connect() as connection:
                assert current_revision(connection) == revision
        assert _schema(stepped) == _schema(fresh)
    finally:
        fresh.dispose()
        stepped.dispose()


def test_downgrade_to_base_and_back(store_url: str) -> None:
    engine = create_store_engine(store_url)
    try:
        upgrade(engine)
        downgrade(engine, "base")
        assert _schema(engine) == {}
        upgrade(engine)
        assert set(_schema(engine)) == set(metadata.tables)
    finally:
        engine.dispose()


def test_upgrade_keeps_existing_data_and_is_idempotent(store_url: str, tmp_path: Path) -> None:
    with SqlStore(store_url) as store:
        scan_id = store.save_scan(make_result(tmp_path))
    engine = create_store_engine(store_url)
    try:
        assert upgrade(engine) == (head_revision(), head_revision())
    finally:
        engine.dispose()
    with SqlStore(store_url) as store:
        assert store.load_scan(scan_id) is not None
