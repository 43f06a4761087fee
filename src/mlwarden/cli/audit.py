"""``mlwarden audit``: check the guard's hash-chained audit log (PLAT-04 incident response).

``audit verify`` walks the chain and exits 0 when every link holds, 1 when a row was edited,
deleted or reordered (each problem is listed), 2 when the database cannot be read.
"""

from __future__ import annotations

import typer

__all__ = ["audit_app", "verify_command"]

DEFAULT_AUDIT_DB = "sqlite:///.mlwarden/guard-audit.db"

audit_app = typer.Typer(help="The guard's tamper-evident audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify_command(
    db: str = typer.Option(DEFAULT_AUDIT_DB, "--db", help="Audit database URL (as in guard.yaml audit.url)."),
) -> None:
    """Verify every link of the audit chain; print the head hash to anchor it elsewhere."""
    from mlwarden.guard.audit import verify_chain

    report = verify_chain(db)
    for problem in report.problems:
        typer.echo(f"BROKEN {problem}", err=True)
    status = "ok" if report.ok else "TAMPERED"
    typer.echo(f"{status}: {report.rows} records, head {report.head}")
    if not report.ok:
        raise typer.Exit(1)
