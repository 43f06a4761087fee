"""Builders for benign and hostile archives, made in memory at test time (no binary fixtures).

Reusable by any scanner's tests: zip bombs, zip-slip names, duplicate and encrypted members,
local-header/central-directory mismatches, links in tars, deep nesting and truncation.
"""

from __future__ import annotations

import gzip
import io
import stat
import struct
import tarfile
import warnings
import zipfile
from collections.abc import Iterable

__all__ = [
    "deep_nested_zip",
    "encrypted_zip",
    "gzip_bytes",
    "mismatched_name_zip",
    "tar_bytes",
    "tar_with_links",
    "truncate",
    "zip_bomb",
    "zip_bytes",
    "zip_with_symlink",
]


def zip_bytes(members: Iterable[tuple[str, bytes]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``(name, data)`` pairs in order; duplicate names are kept (zipfile only warns)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": intended here
        with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
            for name, data in members:
                archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def zip_bomb(inflated_bytes: int, *, name: str = "bomb.bin") -> bytes:
    """A zip whose one member inflates to ``inflated_bytes`` zeros (50 MB becomes ~50 KB), built streaming."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(name, "w", force_zip64=inflated_bytes > 0xFFFFFFFF) as member,
    ):
        left = inflated_bytes
        while left > 0:
            member.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
    return buffer.getvalue()


def _patch_flags(data: bytes, flag: int) -> bytes:
    """OR ``flag`` into every local header's and central directory entry's general-purpose flags."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = out.find(signature)
        while pos >= 0:
            (flags,) = struct.unpack_from("<H", out, pos + offset)
            struct.pack_into("<H", out, pos + offset, flags | flag)
            pos = out.find(signature, pos + 4)
    return bytes(out)


def encrypted_zip(name: str = "secret.pkl", data: bytes = b"not really encrypted") -> bytes:
    """A stored zip whose member carries the 'encrypted' flag (bit 0), as a scanner sees real ones."""
    return _patch_flags(zip_bytes([(name, data)], compression=zipfile.ZIP_STORED), 0x1)


def mismatched_name_zip(central: str = "good.txt", local: str = "evil.pkl") -> bytes:
    """A zip whose local header names the member differently from the central directory (same length)."""
    if len(central) != len(local):
        raise ValueError("names must have the same length so offsets stay valid")
    data = bytearray(zip_bytes([(central, b"payload")]))
    pos = data.find(b"PK\x03\x04")
    data[pos + 30 : pos + 30 + len(local)] = local.encode()
    return bytes(data)


def zip_with_symlink(name: str = "link", target: str = "/etc/passwd") -> bytes:
    """A zip with a Unix symlink entry (mode S_IFLNK in the external attributes)."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, target)
    return buffer.getvalue()


def deep_nested_zip(depth: int, payload: bytes = b"core") -> bytes:
    """``depth`` zips, each holding the next as ``level<N>.zip``; the innermost holds ``payload``."""
    data = zip_bytes([("payload.txt", payload)])
    for level in range(depth - 1, 0, -1):
        data = zip_bytes([(f"level{level}.zip", data)])
    return data


def tar_bytes(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A plain (uncompressed) tar of ``(name, data)`` regular files; names are stored verbatim."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def tar_with_links() -> bytes:
    """A tar with a symlink to /etc/passwd, a hardlink and a character device, plus one regular file."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        regular = tarfile.TarInfo("ok.txt")
        regular.size = 2
        archive.addfile(regular, io.BytesIO(b"ok"))
        for name, kind, link in (
            ("passwd", tarfile.SYMTYPE, "/etc/passwd"),
            ("hard", tarfile.LNKTYPE, "ok.txt"),
            ("null", tarfile.CHRTYPE, ""),
        ):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = link
            archive.addfile(info)
    return buffer.getvalue()


def gzip_bytes(data: bytes, *, fname: str | None = None) -> bytes:
    """A gzip stream; ``fname`` sets the FNAME header field that names the inner file."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=fname or "", mode="wb", fileobj=buffer, mtime=0) as stream:
        stream.write(data)
    return buffer.getvalue()


def truncate(data: bytes, keep: float = 0.5) -> bytes:
    """The first ``keep`` fraction of ``data`` (at least one byte), as a cut-off download looks."""
    return data[: max(1, int(len(data) * keep))]
