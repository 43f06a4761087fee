"""The ``mlwarden`` entry point and its one error boundary.

Every command raises ``MlwardenError`` for problems the user can fix; this module alone turns them
into a message, a hint and exit code 2 (a traceback only with ``--debug``).
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from mlwarden import __version__
from mlwarden.cli.audit import audit_app
from mlwarden.cli.data import forget_command, redact_command
from mlwarden.cli.db import db_app
from mlwarden.cli.detect import detect_command
from mlwarden.cli.guard import guard_app
from mlwarden.cli.integrity import hash_command, keygen_command, sign_command, verify_command
from mlwarden.cli.lineage import lineage_app
from mlwarden.cli.risks import risks_command
from mlwarden.cli.scan import scan_command
from mlwarden.cli.scanners import scanners_command
from mlwarden.core.errors import MlwardenError
from mlwarden.core.policy import EXIT_USAGE

__all__ = ["app", "main"]

app = typer.Typer(
    name="mlwarden",
    help="MLSecOps checks that run, gates that block and a guard that acts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"mlwarden {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """MLSecOps checks that run, gates that block and a guard that acts."""


app.command("scan")(scan_command)
app.command("risks")(risks_command)
app.command("scanners")(scanners_command)
app.command("detect")(detect_command)
app.command("redact")(redact_command)
app.command("forget")(forget_command)
app.command("keygen")(keygen_command)
app.command("sign")(sign_command)
app.command("verify")(verify_command)
app.command("hash")(hash_command)
app.add_typer(lineage_app, name="lineage")
app.add_typer(db_app, name="db")
app.add_typer(guard_app, name="guard")
app.add_typer(audit_app, name="audit")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map errors to exit codes (0 clean, 1 findings, 2 usage or unreadable target)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        app(args=args, prog_name="mlwarden")
    except MlwardenError as exc:
        if debug:
            raise
        # Messages carry paths and hints such as "pip install 'mlwarden[postgres]'": never markup.
        err.print(f"[bold red]error:[/] {escape(exc.message)}", markup=True, emoji=False)
        if exc.hint:
            err.print(f"[bold]hint:[/] {escape(exc.hint)}", markup=True, emoji=False)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc}", markup=False)
        err.print("run again with --debug for a traceback, and please report it", markup=False)
        sys.exit(EXIT_USAGE)
