"""The store suite runs on SQLite always and on PostgreSQL (marker ``postgres``) from scripts/services.sh.

In CI (``CI`` set to true) a missing ``MLWARDEN_TEST_POSTGRES_URL`` fails the PostgreSQL tests instead of
skipping them, so a broken service script cannot turn the PostgreSQL half of the suite silently green.
Each PostgreSQL test gets its own schema (``search_path``), dropped afterwards.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests.store.helpers import postgres_base_url

from mlwarden.store import EngineOptions, SqlStore


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema of its own."""
    base = postgres_base_url()
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        yield (
            make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same tests against SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'store' / 'mlwarden.db').as_posix()}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    with SqlStore(store_url, options=EngineOptions(busy_timeout=0.2, connect_timeout=2)) as opened:
        yield opened
