"""Streaming digests for the store: SHA-256 (our identity) and MD5 as DVC computes it, in one pass."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FileDigests", "file_digests"]

_CHUNK = 1 << 20
_TEXT_PROBE = 512


@dataclass(frozen=True, slots=True, kw_only=True)
class FileDigests:
    """``md5_dos2unix`` is empty unless asked for and the file looks like text (no NUL in its first 512 bytes)."""

    sha256: str
    md5: str
    md5_dos2unix: str
    size: int


def file_digests(path: Path, *, dos2unix: bool = False) -> FileDigests:
    """Read ``path`` once in 1 MiB chunks; with ``dos2unix`` also the MD5 of the content with CRLF as LF."""
    sha256 = hashlib.sha256()
    md5 = hashlib.md5(usedforsecurity=False)
    converted = hashlib.md5(usedforsecurity=False) if dos2unix else None
    size = 0
    carry = b""
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            if size == 0 and converted is not None and b"\x00" in chunk[:_TEXT_PROBE]:
                converted = None
            size += len(chunk)
            sha256.update(chunk)
            md5.update(chunk)
            if converted is not None:
                data = carry + chunk
                # Keep a trailing CR back: the LF that pairs with it may start the next chunk.
                carry = b"\r" if data.endswith(b"\r") else b""
                converted.update((data[:-1] if carry else data).replace(b"\r\n", b"\n"))
    if converted is not None:
        converted.update(carry)
    return FileDigests(sha256=sha256.hexdigest(), md5=md5.hexdigest(),
                       md5_dos2unix=converted.hexdigest() if converted is not None else "", size=size)  # fmt: skip
