"""Progress as an observer, so the library reports progress without knowing about terminals."""

from __future__ import annotations

from typing import Protocol

__all__ = ["NullProgress", "Progress"]


class Progress(Protocol):
    """Receives progress events; the CLI implements it with a rich progress bar on a TTY."""

    def started(self, total: int | None) -> None:
        """The work has begun; ``total`` is the number of artifacts when known."""

    def advanced(self, description: str) -> None:
        """One artifact is done."""

    def finished(self) -> None:
        """All work is done."""


class NullProgress:
    """Progress that reports nothing: the default for library callers and non-TTY runs."""

    def started(self, total: int | None) -> None:
        """Ignore the start."""

    def advanced(self, description: str) -> None:
        """Ignore a step."""

    def finished(self) -> None:
        """Ignore the end."""
