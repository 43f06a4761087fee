"""One thing to scan: a file on disk or a member inside an archive, with its sniffed format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Location

__all__ = ["Artifact"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Artifact:
    """An artifact a scanner reads through ``open()``, which returns a fresh seekable binary stream.

    ``path`` is the display path of the outermost file (relative to the scan root when the target
    is a directory); ``member`` is the chain of archive member names inside it, joined by ``!/``.
    ``fs_path`` is set only for plain files on disk, so scanners that need a real path (for sibling
    files such as ONNX external data) can find them; it is ``None`` for archive members.
    """

    path: str
    format: Format
    size: int
    opener: Callable[[], BinaryIO] = field(repr=False, compare=False)
    member: str | None = None
    fs_path: Path | None = None
    depth: int = 0
    name_hint: str = ""

    def open(self) -> BinaryIO:
        """A new binary stream positioned at the start; the caller closes it."""
        return self.opener()

    def location(
        self,
        *,
        line: int | None = None,
        column: int | None = None,
        offset: int | None = None,
        cell: int | None = None,
    ) -> Location:
        """A Location inside this artifact."""
        return Location(path=self.path, member=self.member, line=line, column=column, offset=offset, cell=cell)

    @property
    def display(self) -> str:
        """``path`` or ``path!/member`` for messages."""
        return f"{self.path}!/{self.member}" if self.member else self.path

    @property
    def basename(self) -> str:
        """The last path component of the member, or of the file."""
        name = self.member.rsplit("!/", 1)[-1] if self.member else self.path
        return name.replace("\\", "/").rsplit("/", 1)[-1]
