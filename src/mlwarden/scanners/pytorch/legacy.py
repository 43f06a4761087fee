"""The legacy (non-zip) PyTorch formats, read as torch.serialization._legacy_load reads them.

Pickle sequence (torch.save with _use_new_zipfile_serialization=False): five pickles back to back
(magic number, protocol version, sys_info, the object, the storage keys), then for each key an
8-byte element count and the raw storage bytes. torch unpickles all five, including the first three
that scanners used to ignore, then reads raw bytes only; so exactly those five are scanned and the
storages are skipped by their recorded sizes, with element sizes taken from the storage types the
object pickle names. The older tar format (members sys_info, pickle, storages, tensors) is tried
first by torch for real files; storages and tensors interleave pickles with raw records.
"""

from __future__ import annotations

import io
import struct
import tarfile
from collections.abc import Iterator
from typing import BinaryIO, cast

from mlwarden.core.findings import Finding
from mlwarden.scanners.pytorch.archive import ZipJob
from mlwarden.scanners.pytorch.pickles import Frame, looks_like_pickle, read_frame, scan_pickles
from mlwarden.scanners.pytorch.rules import HIDDEN_DATA, HIDDEN_PICKLE, LEGACY_TAR, MALFORMED
from mlwarden.scanners.zipread.listing import Window

__all__ = ["MAGIC_NUMBER", "is_tar", "scan_legacy", "scan_tar"]

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
_PICKLES = 5
_HEAD = 64
# Bytes per element of the legacy typed storages named in checkpoints.
_ELEMENT_SIZES = {
    "Double": 8, "Float": 4, "Half": 2, "BFloat16": 2, "Long": 8, "Int": 4, "Short": 2, "Char": 1,
    "Byte": 1, "Bool": 1, "ComplexDouble": 16, "ComplexFloat": 8, "QInt8": 1, "QUInt8": 1, "QInt32": 4,
    "QUInt4x2": 1, "QUInt2x4": 1, "Untyped": 1, "Float8_e5m2": 1, "Float8_e4m3fn": 1,
}  # fmt: skip


def _element_size(global_name: str) -> int | None:
    module, _, name = global_name.rpartition(".")
    if module != "torch" or not name.endswith("Storage"):
        return None
    return _ELEMENT_SIZES.get(name[: -len("Storage")])


def _window(stream: BinaryIO, start: int, end: int) -> BinaryIO:
    return io.BufferedReader(Window(stream, start, max(0, end - start)), 1 << 16)


def scan_legacy(job: ZipJob, size: int) -> Iterator[Finding]:
    """Scan the five pickles torch unpickles, then walk the raw storages after them."""
    frames: list[Frame] = []
    pos = 0
    while len(frames) < _PICKLES and pos < size:
        frame = read_frame(job.stream, pos, max_ops=job.ctx.budget.max_pickle_opcodes)
        frames.append(frame)
        if not frame.complete:
            break
        pos = frame.end
    complete = len(frames) == _PICKLES and frames[-1].complete
    # A broken pickle still runs every opcode before the break, so scan up to the break too.
    end = frames[-1].end if complete else min(size, (frames[-1].end if frames else 0) + 1)
    yield from scan_pickles(
        _window(job.stream, 0, end),
        artifact=job.artifact,
        ctx=job.ctx,
        member=None,
        scanner=job.make.scanner,
        version=job.make.version,
    )
    if not complete:
        where = frames[-1] if frames else Frame(0, 0)
        good = sum(frame.complete for frame in frames)
        message = f"only {good} of the {_PICKLES} pickles torch reads are complete: {where.error or 'file ends'}"
        yield job.make(MALFORMED, message, key="legacy-sequence", offset=where.end)
        return
    if frames[0].events[:1] != [("int", MAGIC_NUMBER)]:
        yield job.make(MALFORMED, "first pickle is not torch's magic number", key="legacy-magic", offset=0)
    yield from _storages(job, frames[3], frames[4], size)


def _storage_sizes(main: Frame) -> dict[str, int]:
    """Key -> element size: each storage type global is followed by its key in the persistent id."""
    sizes: dict[str, int] = {}
    pending: int | None = None
    for kind, value in main.events:
        if kind == "global":
            pending = _element_size(str(value))
        elif kind == "str" and pending is not None:
            sizes.setdefault(str(value), pending)
            pending = None
    return sizes


def _storages(job: ZipJob, main: Frame, keys_frame: Frame, size: int) -> Iterator[Finding]:
    sizes = _storage_sizes(main)
    keys = [str(value) for kind, value in keys_frame.events if kind == "str"]
    offset = keys_frame.end
    for index, key in enumerate(keys):
        if index % 1024 == 0:
            job.ctx.deadline.check("legacy storages")
        job.stream.seek(offset)
        raw = job.stream.read(8)
        element = sizes.get(key)
        if len(raw) < 8 or element is None:
            return  # cannot follow the layout further; nothing after this is unpickled by torch
        (count,) = struct.unpack("<q", raw)
        offset += 8 + max(0, count) * element
        if count < 0 or offset > size:
            yield job.make(MALFORMED, f"storage {key[:40]} runs past the end of the file", key="legacy-storage")
            return
    if offset < size:
        yield from _trailing(job, offset, size)


def _trailing(job: ZipJob, offset: int, size: int) -> Iterator[Finding]:
    job.stream.seek(offset)
    head = job.stream.read(_HEAD)
    if looks_like_pickle(head, whole=size - offset <= _HEAD):
        frame = read_frame(job.stream, offset, max_ops=job.ctx.budget.max_pickle_opcodes)
        names = ", ".join(sorted(set(frame.globals))[:8]) or "no globals"
        message = f"{size - offset} bytes after the storages hold a pickle ({names}); torch.load ignores them"
        yield job.make(HIDDEN_PICKLE, message, key="legacy-trailing-pickle", offset=offset, evidence=names)
    else:
        message = f"{size - offset} bytes follow the last storage; torch.load ignores them"
        yield job.make(HIDDEN_DATA, message, key="legacy-trailing", offset=offset)


def is_tar(stream: BinaryIO) -> bool:
    """Whether torch's tar attempt would succeed in opening the file (header checksum valid)."""
    stream.seek(0)
    try:
        with tarfile.open(fileobj=stream, mode="r:"):
            return True
    except (tarfile.TarError, EOFError, ValueError):
        return False
    finally:
        stream.seek(0)


def scan_tar(job: ZipJob) -> Iterator[Finding]:
    """Scan the tar format: sys_info and pickle whole, storages and tensors record by record."""
    yield job.make(LEGACY_TAR, "legacy tar checkpoint: torch.load always unpickles it", key="tar")
    job.stream.seek(0)
    try:
        with tarfile.open(fileobj=job.stream, mode="r:") as tar:
            for count, info in enumerate(tar):
                job.ctx.budget.check("archive_members", count + 1, where="legacy tar")
                job.ctx.deadline.check("legacy tar")
                member = tar.extractfile(info) if info.isfile() else None
                if member is not None:
                    yield from _tar_member(job, info.name, cast(BinaryIO, member), info.size)
    except (tarfile.TarError, EOFError) as exc:
        yield job.make(MALFORMED, f"legacy tar checkpoint is damaged: {exc}", key="tar-damaged")


def _tar_member(job: ZipJob, name: str, member: BinaryIO, size: int) -> Iterator[Finding]:
    if name in ("storages", "tensors"):
        yield from _records(job, name, member, size)
        return
    head = member.read(_HEAD)
    if name in ("sys_info", "pickle") or looks_like_pickle(head, whole=size <= _HEAD):
        member.seek(0)
        yield from scan_pickles(
            member, artifact=job.artifact, ctx=job.ctx, member=name, scanner=job.make.scanner, version=job.make.version
        )


def _records(job: ZipJob, name: str, member: BinaryIO, size: int) -> Iterator[Finding]:
    """storages: count, then (pickle, int64 n, n x element bytes)..., then a views pickle; tensors:
    count, then (pickle, int32 ndim, 4 bytes, ndim int64 sizes, ndim int64 strides, int64 offset)."""
    pos, index, total = 0, -1, 0
    while pos < size:
        frame = read_frame(member, pos, max_ops=job.ctx.budget.max_pickle_opcodes)
        end = frame.end if frame.complete else min(size, frame.end + 1)
        yield from scan_pickles(
            _window(member, pos, end),
            artifact=job.artifact,
            ctx=job.ctx,
            member=name,
            scanner=job.make.scanner,
            version=job.make.version,
            base_offset=pos,
        )
        if not frame.complete:
            return
        pos, index = end, index + 1
        if index == 0:
            total = next((v for k, v in frame.events if k == "int" and isinstance(v, int)), 0)
            job.ctx.budget.check("archive_members", total, where=f"legacy tar {name}")
        elif index <= total:
            pos = _skip_record(member, name, frame, pos)
        if pos < 0:
            yield job.make(MALFORMED, f"cannot follow the {name} records", key=f"tar-{name}", member=name)
            return


def _skip_record(member: BinaryIO, name: str, frame: Frame, pos: int) -> int:
    member.seek(pos)
    if name == "tensors":
        raw = member.read(4)
        ndim = struct.unpack("<i", raw)[0] if len(raw) == 4 else -1
        return pos + 8 + 16 * ndim + 8 if 0 <= ndim <= 64 else -1
    element = next((s for k, v in frame.events if k == "global" and (s := _element_size(str(v)))), None)
    raw = member.read(8)
    if element is None or len(raw) < 8:
        return -1
    count = struct.unpack("<q", raw)[0]
    return pos + 8 + count * element if count >= 0 else -1
