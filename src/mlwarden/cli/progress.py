"""A rich progress display for terminals; the library only sees the Progress protocol."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

__all__ = ["RichProgress"]


class RichProgress:
    """Shows artifacts scanned so far on stderr; used only when stderr is a terminal."""

    def __init__(self, console: Console) -> None:
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task = self._bar.add_task("scanning", total=None)

    def started(self, total: int | None) -> None:
        """Show the bar."""
        self._bar.update(self._task, total=total)
        self._bar.start()

    def advanced(self, description: str) -> None:
        """Count one artifact; show its name, trimmed."""
        self._bar.update(self._task, advance=1, description=description[-60:].encode("ascii", "replace").decode())

    def finished(self) -> None:
        """Remove the bar."""
        self._bar.stop()
