"""Byte-level helpers for model containers: zip headers, stacked pickles, npy headers.

Only parsing and writing; nothing here loads a model.
"""

from __future__ import annotations

import io
import pickletools
import struct
import zipfile
from collections.abc import Callable


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    """Members of a zip in stored order (reading bytes, never unpickling them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def write_zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED) -> bytes:
    """A fresh zip with the given members, in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as zf:
        for name, payload in members:
            zf.writestr(name, payload)
    return out.getvalue()


def replace_member(data: bytes, suffix: str, transform: Callable[[bytes], bytes]) -> bytes:
    """Rewrite a zip, passing the member whose name ends with ``suffix`` through ``transform``."""
    members = [(name, transform(payload) if name.endswith(suffix) else payload) for name, payload in zip_members(data)]
    return write_zip(members)


def patch_zip_header(data: bytes, suffix: str, *, crc: int | None = None, flag_bits: int = 0) -> bytes:
    """Tamper with the CRC-32 and/or general-purpose flags of one member, in both local and central headers."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = next(x for x in zf.infolist() if x.filename.endswith(suffix))
    local = info.header_offset
    _patch_fields(buf, local, flags_at=6, crc_at=14, crc=crc, flag_bits=flag_bits)
    name = info.filename.encode()
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46 : pos + 46 + name_len]) == name:
            _patch_fields(buf, pos, flags_at=8, crc_at=16, crc=crc, flag_bits=flag_bits)
        pos = buf.find(b"PK\x01\x02", pos + 4)
    return bytes(buf)


def rename_local_header(data: bytes, suffix: str, new_name: bytes) -> bytes:
    """Overwrite a member's name in its local header only (same length); the central directory keeps the old one."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = next(x for x in zf.infolist() if x.filename.endswith(suffix))
    old = info.filename.encode()
    if len(new_name) != len(old):
        raise ValueError("the new name must keep the header length")
    start = info.header_offset + 30
    buf[start : start + len(old)] = new_name
    return bytes(buf)


def _patch_fields(buf: bytearray, base: int, *, flags_at: int, crc_at: int, crc: int | None, flag_bits: int) -> None:
    flags = struct.unpack_from("<H", buf, base + flags_at)[0]
    struct.pack_into("<H", buf, base + flags_at, flags | flag_bits)
    if crc is not None:
        struct.pack_into("<I", buf, base + crc_at, crc)


def split_stacked_pickles(data: bytes, count: int) -> tuple[list[bytes], bytes]:
    """Split the first ``count`` pickles off a stream (by parsing opcodes up to STOP) and return the rest."""
    stream = io.BytesIO(data)
    parts: list[bytes] = []
    for _ in range(count):
        start = stream.tell()
        for opcode, _arg, pos in pickletools.genops(stream):
            if opcode.name == "STOP":
                end = pos + 1
                break
        parts.append(data[start:end])
        stream.seek(end)
    return parts, data[stream.tell() :]


def npy_bytes(descr: str, shape: tuple[int, ...], body: bytes, version: int = 1) -> bytes:
    """An NPY file (v1.0, or v2.0 with a 4-byte header length): magic, padded header dict, then ``body``.

    ``body`` is raw data or, for object arrays, a pickle.
    """
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    size_len = 2 if version == 1 else 4
    total = 8 + size_len + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    size = struct.pack("<H" if version == 1 else "<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode("latin1") + body
