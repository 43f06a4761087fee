"""Names of archive members: which ones escape an extraction directory, and what a stream unpacks to."""

from __future__ import annotations

import re

from mlwarden.artifacts.formats import Format

__all__ = ["inner_name", "unsafe_reason"]

_DRIVE = re.compile(r"^[A-Za-z]:")
_SUFFIXES: dict[Format, tuple[tuple[str, str], ...]] = {
    Format.GZIP: ((".tgz", ".tar"), (".gz", ""), (".gzip", ""), (".z", "")),
    Format.BZIP2: ((".tbz2", ".tar"), (".tbz", ".tar"), (".bz2", ""), (".bz", "")),
    Format.XZ: ((".txz", ".tar"), (".xz", ""), (".lzma", "")),
    Format.ZLIB: ((".zlib", ""), (".zz", ""), (".z", "")),
}


def unsafe_reason(name: str) -> str | None:
    """Why a member name would escape the directory it is extracted to, or None when it is safe."""
    if "\x00" in name:
        return "a NUL byte"
    if "\\" in name:
        return "a backslash"
    if name.startswith("/"):
        return "an absolute path"
    if _DRIVE.match(name):
        return "a drive letter"
    if ".." in name.split("/"):
        return "a '..' component"
    return None


def _gzip_fname(head: bytes) -> str | None:
    """The original file name a gzip header records (FNAME), without any directory part."""
    if len(head) < 10 or not head[3] & 0x08:
        return None
    pos = 10
    if head[3] & 0x04:
        if len(head) < 12:
            return None
        pos += 2 + int.from_bytes(head[10:12], "little")
    end = head.find(b"\x00", pos)
    if end <= pos:
        return None
    name = head[pos:end].decode("latin-1").replace("\\", "/").rsplit("/", 1)[-1]
    return name if name not in ("", ".", "..") else None


def inner_name(outer: str, fmt: Format, head: bytes) -> str:
    """The name of the single member a gzip/bzip2/xz/zlib stream unpacks to.

    gzip's recorded FNAME wins; otherwise the outer name minus its compression suffix
    (``model.tgz`` -> ``model.tar``), or the outer name itself when it has none.
    """
    if fmt == Format.GZIP:
        recorded = _gzip_fname(head)
        if recorded:
            return recorded
    lowered = outer.lower()
    for suffix, replacement in _SUFFIXES.get(fmt, ()):
        if lowered.endswith(suffix) and len(outer) > len(suffix):
            return outer[: -len(suffix)] + replacement
    return outer
