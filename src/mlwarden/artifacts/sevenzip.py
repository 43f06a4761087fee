"""7z archives, read with the optional ``py7zr`` (extra ``archive``) into spools we own, within budget.

Re-packing a model as 7z hides it from scanners that only open zip and tar (ReversingLabs' nullifAI
models were 7z-compressed PyTorch files). Members are decompressed by ``py7zr`` into writers we
provide -- nothing is written to a path from the archive -- and every chunk is checked against the
budget (member size, total extracted bytes, ratio to the archive's size). A member that was partly
written before a decompression or CRC error is still returned: a loader may run what it holds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from mlwarden.artifacts.extract import ExtractState, LimitHit, SpoolOpener, check_limits
from mlwarden.artifacts.rules import ARCHIVE_TOO_MANY_MEMBERS
from mlwarden.core.extras import require

__all__ = ["SevenZipMember", "read_7z"]

_SPOOL_MEMORY = 4 * 1024 * 1024


@dataclass(slots=True)
class SevenZipMember:
    """One member: its name, kind flags, and the spool its bytes went to (None for links/dirs)."""

    name: str
    is_link: bool = False
    is_dir: bool = False
    opener: SpoolOpener | None = None


@dataclass(slots=True)
class _Writer:
    """A ``py7zr.io.Py7zIO``-compatible sink: bytes go to a spool, limits are checked on every write."""

    name: str
    state: ExtractState
    consumed: int
    spool: IO[bytes] = field(
        default_factory=lambda: tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY, mode="w+b")  # noqa: SIM115
    )
    written: int = 0

    def write(self, data: bytes | bytearray) -> int:
        self.written += len(data)
        self.state.extracted += len(data)
        check_limits(self.state, self.written, self.consumed, f"7z member {self.name!r}")
        return self.spool.write(data)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.written

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return self.written

    def close(self) -> None:
        return None


@dataclass(slots=True)
class _Factory:
    state: ExtractState
    consumed: int
    products: dict[str, _Writer] = field(default_factory=dict)

    def create(self, filename: str) -> _Writer:
        writer = self.products[filename] = _Writer(filename, self.state, self.consumed)
        return writer

    def close_all(self) -> None:
        """Close the spools no member took over."""
        for writer in self.products.values():
            writer.spool.close()
        self.products.clear()


def read_7z(source: BinaryIO, state: ExtractState, size: int) -> Iterator[SevenZipMember | Exception]:
    """The members of a 7z archive; an exception met while decompressing is yielded after what was written.

    Raises ``MissingExtraError`` without the ``archive`` extra, ``LimitHit`` on a budget, and py7zr's
    errors when the archive cannot be opened at all.
    """
    py7zr = require("py7zr", extra="archive")
    with py7zr.SevenZipFile(source, mode="r") as archive:
        infos = archive.list()
        if len(infos) > state.budget.max_archive_members:
            raise LimitHit(
                ARCHIVE_TOO_MANY_MEMBERS,
                f"the 7z declares {len(infos)} members (limit {state.budget.max_archive_members}); none were scanned",
                "max_archive_members",
            )
        factory = _Factory(state, max(size, 1))
        failure: Exception | None = None
        try:
            archive.extractall(factory=factory)
        except LimitHit:
            factory.close_all()
            raise
        except Exception as exc:  # noqa: BLE001 - py7zr raises many types on hostile input; keep what was written
            failure = exc
    yield from _members(infos, factory.products.pop)
    factory.close_all()
    if failure is not None:
        yield failure


def _members(infos: list[object], take: Callable[[str, None], _Writer | None]) -> Iterator[SevenZipMember]:
    for info in infos:
        name = str(getattr(info, "filename", ""))
        if getattr(info, "is_symlink", False):
            yield SevenZipMember(name, is_link=True)
            continue
        writer = take(name, None)
        if writer is not None and not getattr(info, "is_directory", False):
            yield SevenZipMember(name, opener=SpoolOpener(writer.spool, writer.written))
