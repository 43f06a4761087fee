"""``mlwarden db``: the inventory database; and the hook ``mlwarden scan --save/--db`` calls after a scan.

SQLAlchemy is imported only when a command needs the store, so ``mlwarden --help`` stays fast.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from mlwarden.core.findings import ScanResult
    from mlwarden.store.repository import SqlStore

__all__ = ["DB_HELP", "check_store", "db_app", "open_cli_store", "save_scan_result"]

DB_ENV = "MLWARDEN_DB"
DB_HELP = (
    f"Database URL (default: sqlite:///.mlwarden/mlwarden.db here, or ${DB_ENV}); postgresql+psycopg://… for teams."
)

db_app = typer.Typer(
    help="The inventory database: scans, artifact versions, lineage, access log.", no_args_is_help=True
)


def open_cli_store(db: str | None) -> SqlStore:
    """Open (and migrate) the store named by ``--db``, else ``$MLWARDEN_DB``, else the SQLite default here."""
    from mlwarden.store import open_store

    return open_store(db or os.environ.get(DB_ENV) or None)


def check_store(db: str | None) -> None:
    """Fail before a long scan when the store cannot work: a malformed URL or a missing driver (no connection)."""
    from mlwarden.store.url import create_store_engine, default_url

    create_store_engine(db or os.environ.get(DB_ENV) or default_url()).dispose()


def save_scan_result(result: ScanResult, db: str | None, err: Console) -> None:
    """Store a finished scan and say how many findings are new since the last scan of the same targets."""
    with open_cli_store(db) as store:
        scan_id = store.save_scan(result)
        previous = store.previous_scan(scan_id)
        new = store.findings_since(previous, scan_id) if previous is not None else frozenset()
        where = store.display_url
    since = (
        f"{len(new)} new finding(s) since scan #{previous}" if previous is not None else "first scan of these targets"
    )
    err.print(f"scan #{scan_id} stored in {where}; {since}", markup=False, soft_wrap=True)


@db_app.command("upgrade")
def upgrade_command(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Create the database or migrate it to this mlwarden's schema (opening a store does this too)."""
    with open_cli_store(db) as store:
        typer.echo(f"{store.display_url}: schema at revision {store.revision} (head)")
