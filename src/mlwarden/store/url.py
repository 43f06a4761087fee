"""Database URLs: the SQLite default, PostgreSQL through psycopg 3, and precise errors with masked passwords.

A store URL may carry a password (``postgresql+psycopg://user:secret@host/db``). Every message this
module builds names the database through :func:`mask_url`, so a password never reaches a terminal,
a CI log or a bug report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from mlwarden.core.errors import StoreError

__all__ = [
    "DEFAULT_DB",
    "EngineOptions",
    "create_store_engine",
    "default_url",
    "mask_url",
    "translate_errors",
]

DEFAULT_DB = Path(".mlwarden") / "mlwarden.db"
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<secret>[^@/\s]*)@")
_POSTGRES_HINT = "check that the server runs and accepts connections, and that host, port and database are right"


class EngineOptions:
    """Timeouts for opening a store: how long to wait for a SQLite lock and for a server to answer."""

    __slots__ = ("busy_timeout", "connect_timeout")

    def __init__(self, *, busy_timeout: float = 5.0, connect_timeout: int = 5) -> None:
        self.busy_timeout = busy_timeout
        self.connect_timeout = connect_timeout


def default_url(root: Path | None = None) -> str:
    """``sqlite:///<root>/.mlwarden/mlwarden.db`` (root: the current directory)."""
    path = ((root or Path.cwd()) / DEFAULT_DB).absolute()
    return f"sqlite:///{path.as_posix()}"


def mask_url(url: str | URL) -> str:
    """The URL with its password replaced by ``***``; also for text SQLAlchemy cannot parse."""
    text = url.render_as_string(hide_password=False) if isinstance(url, URL) else str(url)
    return _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError(
            f"invalid database URL: {mask_url(url)}",
            hint="use sqlite:///path/to/mlwarden.db or postgresql+psycopg://user:password@host:5432/dbname",
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_store_engine(url: str, options: EngineOptions | None = None) -> Engine:
    """An engine for ``url`` with WAL and a busy timeout on SQLite and a connect timeout on PostgreSQL."""
    options = options or EngineOptions()
    parsed = _parse(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, options)
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if parsed.get_backend_name() == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": options.connect_timeout}
        return create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(
            f"no database driver for {mask_url(parsed)}: {exc}",
            hint="for PostgreSQL: pip install 'mlwarden[postgres]' and use postgresql+psycopg://",
        ) from None


def _sqlite_engine(url: URL, options: EngineOptions) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        parent = Path(database).parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the directory {parent} for {mask_url(url)}: {exc.strerror or exc}",
                hint="choose a writable location with --db sqlite:///path/to/mlwarden.db",
            ) from None
    # NullPool: one short-lived connection per unit of work, so no connection outlives its transaction
    # and a CLI run never leaves a file handle behind.
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": options.busy_timeout})
    busy_ms = int(options.busy_timeout * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock up front (BEGIN IMMEDIATE) so that waiting happens at the start,
        # within busy_timeout, instead of failing half-way through a transaction that already read.
        mode = connection.get_execution_options().get("mlwarden_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {'IMMEDIATE' if mode == 'IMMEDIATE' else 'DEFERRED'}")

    return engine


@contextmanager
def translate_errors(url: str | URL, *, busy_timeout: float = 5.0) -> Iterator[None]:
    """Turn driver errors into one ``StoreError`` that says what happened, where, and what to do."""
    try:
        yield
    except StoreError:
        raise
    except DBAPIError as exc:
        raise _store_error(exc, url, busy_timeout) from None
    except SQLAlchemyError as exc:
        raise StoreError(f"database error on {mask_url(url)}: {_first_line(exc, url)}") from None


def _first_line(exc: BaseException, url: str | URL) -> str:
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    line = text[0] if text else type(original).__name__
    password = url.password if isinstance(url, URL) else _parse_password(url)
    if password:
        # Whole tokens only: a password "p" must not turn "port 5432" into "***ort 5432".
        token = re.compile(rf"(?<![A-Za-z0-9]){re.escape(str(password))}(?![A-Za-z0-9])")
        line = token.sub("***", line)
    return mask_url(line)


def _parse_password(url: str) -> str | None:
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        return None
    return str(password) if password else None


def _store_error(exc: DBAPIError, url: str | URL, busy_timeout: float) -> StoreError:
    where = mask_url(url)
    detail = _first_line(exc, url)
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreError(
            f"the database {where} is locked by another process (waited {busy_timeout:g} s): {detail}",
            hint="wait for the other mlwarden run to finish, or give this run its own --db",
        )
    if "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return StoreError(
            f"cannot open or write the database {where}: {detail}",
            hint="check that the file and its directory exist and are writable by this user",
        )
    if "password authentication" in lowered or "authentication failed" in lowered:
        return StoreError(f"the database {where} refused the credentials: {detail}", hint="check user and password")
    if exc.connection_invalidated or _is_connect_failure(lowered):
        return StoreError(f"cannot reach the database {where}: {detail}", hint=_POSTGRES_HINT)
    return StoreError(f"database error on {where}: {detail}")


def _is_connect_failure(lowered: str) -> bool:
    markers = ("connection refused", "could not connect", "connection failed", "timeout expired", "timed out")
    return any(marker in lowered for marker in markers) or ("does not exist" in lowered and "database" in lowered)
