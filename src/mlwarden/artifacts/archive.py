"""Expanding generic archives (zip, tar, gzip, bzip2, xz, zlib) into member artifacts, within budget.

Model containers (PyTorch zip and legacy tar, npz, Keras v3) are *not* expanded: their scanners
read the members themselves. Every member is copied into a temporary spool we own (see
``extract``); nothing is ever written to a path taken from the archive.

Zip caveat: Python's ``zipfile`` trusts the central directory, while some extractors walk the local
headers. ``zipfile`` compares the two names when it opens a member; a mismatch is reported as
``MW-ARCHIVE-010``. Data hidden between entries, outside both, is not seen (a known gap).
"""

from __future__ import annotations

import lzma
import re
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from mlwarden.artifacts.archive_names import inner_name, unsafe_reason
from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.extract import ExtractState, LimitHit, SpoolOpener, StreamDecoder, TruncatedStream, copy_bounded
from mlwarden.artifacts.formats import ARCHIVE_FORMATS, Format
from mlwarden.artifacts.limits import Budget
from mlwarden.artifacts.rules import (
    ARCHIVE_CORRUPT,
    ARCHIVE_DUPLICATE,
    ARCHIVE_ENCRYPTED,
    ARCHIVE_HEADER_MISMATCH,
    ARCHIVE_LINK_MEMBER,
    ARCHIVE_NESTING,
    ARCHIVE_NOT_INSPECTED,
    ARCHIVE_TOO_MANY_MEMBERS,
    ARCHIVE_TRAVERSAL,
    EXECUTABLE_DISGUISED,
    WALKER_NAME,
    WALKER_VERSION,
)
from mlwarden.artifacts.sevenzip import read_7z
from mlwarden.artifacts.sniff import HEAD_BYTES, is_tar, sniff, tar_format, zf_offset, zip_format
from mlwarden.core.errors import MissingExtraError
from mlwarden.core.findings import Finding, Location, ScanError, ScanErrorKind
from mlwarden.core.rules import Rule

__all__ = ["PARSE_ERRORS", "Item", "classify", "emit"]

Item = Artifact | Finding | ScanError

# What parsers of hostile containers raise; each becomes an MW-ARCHIVE-006 finding, never a crash.
PARSE_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    tarfile.TarError,
    zlib.error,
    lzma.LZMAError,
    TruncatedStream,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    OverflowError,
    struct.error,
)
_ZIP_FAMILY = frozenset({Format.ZIP, Format.PYTORCH_ZIP, Format.NUMPY_NPZ, Format.KERAS_V3})
_ZIP_BEHIND_PREFIX = frozenset({Format.BINARY, Format.EXECUTABLE})
# Names that promise weights, a pickle or data: a native program under one of them is disguised.
_MODEL_SUFFIXES = frozenset(
    f".{word}"
    for word in re.findall(
        r"\w+",
        "pkl pickle pt pth bin ckpt joblib npy npz h5 hdf5 keras onnx safetensors gguf ggml pb tflite mar nemo "
        "pdparams pdmodel msgpack model weights dat data json txt csv parquet",
    )
)
_STREAM_KIND = {Format.GZIP: "gzip", Format.BZIP2: "bzip2", Format.XZ: "xz", Format.ZLIB: "zlib"}


@dataclass(frozen=True, slots=True)
class _Member:
    name: str
    opener: SpoolOpener


def _finding(rule: Rule, where: Location, message: str, key: str, evidence: str = "") -> Finding:
    return rule.finding(
        location=where,
        message=message,
        scanner=WALKER_NAME,
        scanner_version=WALKER_VERSION,
        match_key=key,
        evidence=evidence[:200],
    )


def _declared_entries(stream: BinaryIO) -> int | None:
    """The entry count the zip's end-of-central-directory declares (zip64 aware), read from the tail."""
    size = stream.seek(0, 2)
    tail_len = min(size, 22 + 65535 + 20)
    stream.seek(size - tail_len)
    tail = stream.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return None
    total: int = struct.unpack_from("<H", tail, pos + 10)[0]
    if total == 0xFFFF and pos >= 20 and tail.startswith(b"PK\x06\x07", pos - 20):
        stream.seek(struct.unpack_from("<Q", tail, pos - 12)[0])
        record = stream.read(56)
        if record.startswith(b"PK\x06\x06") and len(record) >= 40:
            total = struct.unpack_from("<Q", record, 32)[0]
    stream.seek(0)
    return total


def _open_zip(stream: BinaryIO, budget: Budget) -> zipfile.ZipFile:
    """Open a zip, refusing first (cheaply, from the tail) one that declares too many members."""
    declared = _declared_entries(stream)
    if declared is not None and declared > budget.max_archive_members:
        raise LimitHit(
            ARCHIVE_TOO_MANY_MEMBERS,
            f"the zip declares {declared} members (limit {budget.max_archive_members}); none were scanned",
            "max_archive_members",
        )
    stream.seek(0)
    return zipfile.ZipFile(stream)


_EOCD = b"PK\x05\x06"
_EOCD_WINDOW = 22 + 0xFFFF  # the end record plus the longest zip comment


def _ends_with_zip(opener: Callable[[], BinaryIO], size: int) -> bool:
    """Whether the last bytes hold a zip end-of-central-directory record."""
    with opener() as stream:
        stream.seek(max(size - _EOCD_WINDOW, 0))
        return _EOCD in stream.read(_EOCD_WINDOW)


def classify(head: bytes, *, name: str, size: int, opener: Callable[[], BinaryIO], budget: Budget) -> Format:
    """``sniff`` refined with the full member list of a zip, or of a tar that looks like PyTorch's."""
    fmt = sniff(head, name=name, size=size)
    try:
        if fmt in _ZIP_BEHIND_PREFIX and _ends_with_zip(opener, size):
            # zip readers (zipfile, hence keras.load_model, and llamafile's APE loader) find an archive by
            # its tail and accept any prefix: an executable or junk in front must not hide the members.
            with opener() as stream, _open_zip(stream, budget) as archive:
                return zip_format(archive.namelist())
        if fmt is Format.PICKLE and _ends_with_zip(opener, size):
            # torch.load unpickles any file that does not start with a zip header, and zip readers find
            # archives by their tail: a pickle/zip polyglot goes to the PyTorch scanner, which reads both.
            return Format.PYTORCH_LEGACY
        if fmt in _ZIP_FAMILY:
            with opener() as stream, _open_zip(stream, budget) as archive:
                return zip_format(archive.namelist())
        if fmt == Format.PYTORCH_LEGACY and is_tar(head):
            with opener() as stream, tarfile.open(fileobj=stream, mode="r:") as archive:
                names = [info.name for _, info in zip(range(budget.max_archive_members), archive, strict=False)]
            return tar_format(names)
    except LimitHit:
        return fmt
    except PARSE_ERRORS:
        return fmt
    return fmt


def _member_artifact(parent: Artifact, member: _Member, budget: Budget) -> Artifact:
    opener = member.opener
    with opener() as stream:
        head = stream.read(HEAD_BYTES)
    base = member.name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return Artifact(
        path=parent.path,
        format=classify(head, name=base, size=opener.size, opener=opener, budget=budget),
        size=opener.size,
        opener=opener,
        member=f"{parent.member}!/{member.name}" if parent.member else member.name,
        depth=parent.depth + 1,
        name_hint=base,
    )


def _member_location(parent: Artifact, name: str) -> Location:
    return Location(path=parent.path, member=f"{parent.member}!/{name}" if parent.member else name)


def emit(artifact: Artifact, state: ExtractState) -> Iterator[Item]:
    """Yield ``artifact`` and, when it is a generic archive, its members (recursively, within budget)."""
    yield artifact
    suffix = "." + artifact.name_hint.rsplit(".", 1)[-1].lower() if "." in artifact.name_hint else ""
    if artifact.format is Format.EXECUTABLE and suffix in _MODEL_SUFFIXES:
        message = f"{artifact.display} is a native executable although its name ends in {suffix!r}"
        yield _finding(EXECUTABLE_DISGUISED, artifact.location(), message, f"executable:{suffix}")
    if artifact.format not in ARCHIVE_FORMATS:
        return
    if artifact.depth + 1 > state.budget.max_archive_depth:
        yield _finding(
            ARCHIVE_NESTING,
            artifact.location(),
            f"{artifact.display} is an archive nested {artifact.depth} levels deep "
            f"(limit {state.budget.max_archive_depth}); it was not opened",
            "max_archive_depth",
        )
        return
    try:
        source = artifact.open()
    except OSError as exc:
        yield ScanError(path=artifact.path, member=artifact.member, kind=ScanErrorKind.UNREADABLE, message=str(exc))
        return
    with source:
        yield from _expand(artifact, source, state)


def _expand(artifact: Artifact, source: BinaryIO, state: ExtractState) -> Iterator[Item]:
    members = {Format.ZIP: _zip_members, Format.TAR: _tar_members, Format.SEVEN_ZIP: _7z_members}.get(
        artifact.format, _stream_members
    )
    try:
        for item in members(artifact, source, state):
            if isinstance(item, _Member):
                yield from emit(_member_artifact(artifact, item, state.budget), state)
            else:
                yield item
    except LimitHit as hit:
        yield _finding(hit.rule, artifact.location(), f"{artifact.display}: {hit.message}", hit.key)
    except MissingExtraError as exc:
        yield ScanError(
            path=artifact.path, member=artifact.member, kind=ScanErrorKind.MISSING_EXTRA, message=exc.message,
            hint=exc.hint,
        )  # fmt: skip
        message = f"{artifact.display} is a {artifact.format.value} archive; its members were not inspected"
        yield _finding(ARCHIVE_NOT_INSPECTED, artifact.location(), message, f"not-inspected:{artifact.format.value}")
    except PARSE_ERRORS as exc:
        yield _finding(
            ARCHIVE_CORRUPT,
            artifact.location(),
            f"{artifact.display} is truncated or corrupt ({type(exc).__name__}: {exc}); the rest was not scanned",
            f"corrupt:{artifact.format.value}",
        )


def _common_checks(parent: Artifact, name: str, seen: dict[str, int]) -> Iterator[Finding | str]:
    """Findings every archive member gets (traversal, duplicates), then its unique display name."""
    reason = unsafe_reason(name)
    where = _member_location(parent, name)
    if reason:
        yield _finding(ARCHIVE_TRAVERSAL, where, f"member name {name!r} has {reason}", f"traversal:{name}", name)
    count = seen[name] = seen.get(name, 0) + 1
    if count == 2:
        yield _finding(
            ARCHIVE_DUPLICATE, where, f"{parent.display} has more than one member named {name!r}", f"dup:{name}", name
        )
    yield name if count == 1 else f"{name}#{count}"


def _counted(index: int, budget: Budget) -> None:
    if index >= budget.max_archive_members:
        raise LimitHit(
            ARCHIVE_TOO_MANY_MEMBERS,
            f"more than {budget.max_archive_members} members; the rest were not scanned",
            "max_archive_members",
        )


def _zip_members(parent: Artifact, source: BinaryIO, state: ExtractState) -> Iterator[_Member | Finding]:
    seen: dict[str, int] = {}
    with _open_zip(source, state.budget) as archive:
        for index, info in enumerate(archive.infolist()):
            _counted(index, state.budget)
            name = ""
            for check in _common_checks(parent, info.filename, seen):
                if isinstance(check, str):
                    name = check
                else:
                    yield check
            if not info.is_dir():
                yield from _zip_member(parent, archive, info, name, state)


def _zip_member(
    parent: Artifact, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, state: ExtractState
) -> Iterator[_Member | Finding]:
    where = _member_location(parent, name)
    if stat.S_ISLNK(info.external_attr >> 16):
        yield _finding(ARCHIVE_LINK_MEMBER, where, f"member {name!r} is a symlink", f"link:{name}", name)
        return
    if info.flag_bits & 0x1:
        yield _finding(ARCHIVE_ENCRYPTED, where, f"member {name!r} is encrypted and was not scanned", f"enc:{name}")
        return
    try:
        with archive.open(info) as stream:
            opener = copy_bounded(stream.read, lambda: info.compress_size, state, f"member {name!r}")
    except zipfile.BadZipFile as exc:
        rule = ARCHIVE_HEADER_MISMATCH if "differ" in str(exc) else ARCHIVE_CORRUPT
        yield _finding(rule, where, f"member {name!r} cannot be read: {exc}", f"bad:{name}")
        return
    except (NotImplementedError, zlib.error, lzma.LZMAError, EOFError, OSError) as exc:
        yield _finding(ARCHIVE_CORRUPT, where, f"member {name!r} cannot be read: {exc}", f"bad:{name}")
        return
    yield _Member(name, opener)


def _tar_members(parent: Artifact, source: BinaryIO, state: ExtractState) -> Iterator[_Member | Finding]:
    seen: dict[str, int] = {}
    total = source.seek(0, 2)
    source.seek(0)
    with tarfile.open(fileobj=source, mode="r:") as archive:
        index = 0
        while (info := archive.next()) is not None:
            _counted(index, state.budget)
            index += 1
            name = ""
            for check in _common_checks(parent, info.name, seen):
                if isinstance(check, str):
                    name = check
                else:
                    yield check
            yield from _tar_member(parent, archive, info, name, state)
        if archive.offset > total:
            raise TruncatedStream(f"the tar ends {archive.offset - total} bytes early")


def _tar_member(
    parent: Artifact, archive: tarfile.TarFile, info: tarfile.TarInfo, name: str, state: ExtractState
) -> Iterator[_Member | Finding]:
    if info.issym() or info.islnk() or info.isdev():
        kind = "symlink" if info.issym() else "hardlink" if info.islnk() else "device or fifo"
        target = f" to {info.linkname!r}" if info.linkname else ""
        yield _finding(
            ARCHIVE_LINK_MEMBER,
            _member_location(parent, name),
            f"member {name!r} is a {kind}{target}; it was not extracted",
            f"link:{name}",
            info.linkname,
        )
        return
    stream = archive.extractfile(info) if info.isfile() else None
    if stream is not None:
        with stream:
            yield _Member(name, copy_bounded(stream.read, lambda: 1 << 62, state, f"member {name!r}"))


def _7z_members(parent: Artifact, source: BinaryIO, state: ExtractState) -> Iterator[_Member | Finding]:
    seen: dict[str, int] = {}
    for index, member in enumerate(read_7z(source, state, parent.size)):
        if isinstance(member, Exception):
            raise TruncatedStream(f"7z decompression failed after {index} member(s): {member}") from member
        _counted(index, state.budget)
        name = ""
        for check in _common_checks(parent, member.name, seen):
            if isinstance(check, str):
                name = check
            else:
                yield check
        if member.is_link:
            where = _member_location(parent, name)
            yield _finding(ARCHIVE_LINK_MEMBER, where, f"member {name!r} is a symlink", f"link:{name}", name)
        elif member.opener is not None:
            yield _Member(name, member.opener)


def _stream_members(parent: Artifact, source: BinaryIO, state: ExtractState) -> Iterator[_Member | Finding]:
    kind = _STREAM_KIND[parent.format]
    head = source.read(512)
    source.seek(0)
    decoder = StreamDecoder(source, kind, skip=max(zf_offset(head), 0))  # joblib's "ZF" framing
    opener = copy_bounded(decoder.read, lambda: decoder.consumed, state, f"{kind} stream")
    yield _Member(inner_name(parent.basename, parent.format, head), opener)
