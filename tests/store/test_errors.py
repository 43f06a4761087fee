"""Precise StoreErrors: locked SQLite, unreachable PostgreSQL, bad URLs, unwritable places; never a password."""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from pathlib import Path

import pytest
from tests.store.helpers import make_result

from mlwarden.core.errors import StoreError
from mlwarden.store import EngineOptions, SqlStore, default_url, mask_url

SECRET = "s3cr" + "et-pw"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_mask_url_hides_passwords_even_in_unparsable_text() -> None:
    assert mask_url(f"postgresql+psycopg://me:{SECRET}@db:5432/x") == "postgresql+psycopg://me:***@db:5432/x"
    assert SECRET not in mask_url(f"not a url but postgres://u:{SECRET}@h/db inside")
    assert mask_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_default_url_is_under_dot_mlwarden(tmp_path: Path) -> None:
    assert default_url(tmp_path) == f"sqlite:///{(tmp_path / '.mlwarden' / 'mlwarden.db').as_posix()}"


def test_locked_sqlite_gives_a_clear_error_after_the_busy_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    with SqlStore(url, options=EngineOptions(busy_timeout=0.2)) as store:
        holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            started = time.monotonic()
            with pytest.raises(StoreError, match="locked by another process") as caught:
                store.save_scan(make_result(tmp_path))
            assert 0.15 <= time.monotonic() - started < 5
            assert "waited 0.2 s" in caught.value.message
            assert caught.value.hint
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert store.latest_scan() is None
        store.save_scan(make_result(tmp_path))
        assert store.latest_scan() == 1


def test_wal_readers_are_not_blocked_by_a_writer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wal.db'}"
    with SqlStore(url, options=EngineOptions(busy_timeout=0.2)) as store:
        store.save_scan(make_result(tmp_path))
        holder = sqlite3.connect(tmp_path / "wal.db", isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            assert store.latest_scan() == 1
        finally:
            holder.execute("ROLLBACK")
            holder.close()


def test_unreachable_postgres_fails_fast_with_masked_password() -> None:
    url = f"postgresql+psycopg://mlwarden:{SECRET}@127.0.0.1:{_closed_port()}/nothing"
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        SqlStore(url, options=EngineOptions(connect_timeout=2))
    assert time.monotonic() - started < 5
    text = f"{caught.value.message} {caught.value.hint}"
    assert "cannot reach the database" in text
    assert "mlwarden:***@127.0.0.1" in text
    assert SECRET not in text
    assert SECRET not in repr(caught.value)


@pytest.mark.parametrize("url", ["not a url", "nosuchdialect://x/y", f"mysql+nosuchdriver://u:{SECRET}@h/db"])
def test_bad_urls(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        SqlStore(url)
    assert SECRET not in caught.value.message
    assert caught.value.hint


def test_directory_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot create the directory"):
        SqlStore(f"sqlite:///{blocker / 'sub' / 'x.db'}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ro' / 'x.db'}"
    SqlStore(url).close()
    (tmp_path / "ro" / "x.db").chmod(0o444)
    (tmp_path / "ro").chmod(0o555)
    try:
        with pytest.raises(StoreError, match="cannot open or write"), SqlStore(url) as store:
            store.save_scan(make_result(tmp_path))
    finally:
        (tmp_path / "ro").chmod(0o755)


def test_a_directory_where_the_database_should_be(tmp_path: Path) -> None:
    (tmp_path / "db.sqlite").mkdir()
    with pytest.raises(StoreError, match="cannot open or write"):
        SqlStore(f"sqlite:///{tmp_path / 'db.sqlite'}")


@pytest.mark.postgres
def test_wrong_postgres_password_is_masked(postgres_url: str) -> None:
    from sqlalchemy.engine import make_url

    wrong = make_url(postgres_url).set(password=SECRET).render_as_string(hide_password=False)
    with pytest.raises(StoreError, match="refused the credentials") as caught:
        SqlStore(wrong)
    assert SECRET not in caught.value.message
