"""``mlwarden scanners``: what is installed, which formats each reads, and which extra it needs."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from mlwarden.core.extras import is_available
from mlwarden.scanners.registry import load_registry

__all__ = ["scanners_command"]

_EXTRA_MODULES = {"torch": "torch", "onnx": "onnx", "keras": "h5py"}


def scanners_command() -> None:
    """List the registered scanners (built-in and plugins) with their formats and rule counts."""
    registry = load_registry()
    table = Table(title="mlwarden scanners")
    for column in ("name", "version", "formats", "rules", "extra"):
        table.add_column(column)
    for scanner in registry.scanners:
        extra = scanner.extra or "-"
        if scanner.extra:
            installed = is_available(_EXTRA_MODULES.get(scanner.extra, scanner.extra))
            extra += " (installed)" if installed else " (not installed)"
        formats = ", ".join(sorted(f.value for f in scanner.formats))
        table.add_row(scanner.name, str(scanner.version), formats, str(len(scanner.rules)), extra)
    Console().print(table)
    for error in registry.errors:
        typer.echo(f"warning: {error.message}", err=True)
