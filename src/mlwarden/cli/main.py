"""The ``mlwarden`` entry point and its one error boundary.

Every command raises ``MlwardenError`` for problems the user can fix; this module alone turns them
into a message, a hint and exit code 2 (a traceback only with ``--debug``).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING, Any

import typer

from mlwarden import __version__
from mlwarden.core.errors import MlwardenError

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["app", "main"]  # noqa: F822  (``app`` is built on first access, see __getattr__)

_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


def _version(value: bool) -> None:
    if value:
        print(f"mlwarden {__version__}")
        raise typer.Exit(0)


def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """MLSecOps checks that run, gates that block and a guard that acts."""


@cache
def _app() -> typer.Typer:
    """Every command. Built on first use: ``mlwarden detect`` runs without importing the other commands."""
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

    app = typer.Typer(
        name="mlwarden",
        help="MLSecOps checks that run, gates that block and a guard that acts.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        context_settings=_SETTINGS,
    )
    app.callback()(_root)
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
    return app


def _detect_app() -> typer.Typer:
    """``mlwarden detect`` alone: a stream filter's start-up is part of its throughput."""
    from mlwarden.cli.detect import detect_command

    app = typer.Typer(pretty_exceptions_enable=False, add_completion=False, context_settings=_SETTINGS)
    app.command()(detect_command)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map errors to exit codes (0 clean, 1 findings, 2 usage or unreadable target)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        if args[:1] == ["detect"]:
            _detect_app()(args=args[1:], prog_name="mlwarden detect")
        else:
            _app()(args=args, prog_name="mlwarden")
    except MlwardenError as exc:
        if debug:
            raise
        from rich.markup import escape

        err = _stderr()
        # Messages carry paths and hints such as "pip install 'mlwarden[postgres]'": never markup.
        err.print(f"[bold red]error:[/] {escape(exc.message)}", markup=True, emoji=False)
        if exc.hint:
            err.print(f"[bold]hint:[/] {escape(exc.hint)}", markup=True, emoji=False)
        sys.exit(_exit_usage())
    except KeyboardInterrupt:
        _stderr().print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        err = _stderr()
        err.print(f"internal error: {type(exc).__name__}: {exc}", markup=False)
        err.print("run again with --debug for a traceback, and please report it", markup=False)
        sys.exit(_exit_usage())


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _exit_usage() -> int:
    from mlwarden.core.policy import EXIT_USAGE

    return EXIT_USAGE
